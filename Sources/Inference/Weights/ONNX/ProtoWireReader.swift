/// Protobuf wire types (`protobuf.dev/programming-guides/encoding`). Groups (3, 4) are obsolete and refused.
enum ProtoWireType: UInt8 {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5
}

/// A cursor over one protobuf message inside a memory-mapped file.
///
/// Every read is checked against the end of the *enclosing* message (not just the file), so a lying length in
/// a nested message cannot make the parser read its parent's or neighbour's bytes. Errors name the message
/// being parsed and the file offset.
struct ProtoWireReader {
    let file: MappedFile
    /// The whole mapping; indices below are absolute file offsets.
    private let bytes: UnsafeRawBufferPointer
    private(set) var position: Int
    let end: Int
    /// What is being parsed (e.g. "TensorProto 'bert.embeddings.LayerNorm.weight'"), for errors.
    let context: String

    /// A reader over the whole file, i.e. the top-level `ModelProto`.
    init(file: MappedFile, context: String) {
        self.file = file
        self.bytes = file.bytes(0..<file.count)
        self.position = 0
        self.end = file.count
        self.context = context
    }

    private init(file: MappedFile, bytes: UnsafeRawBufferPointer, range: Range<Int>, context: String) {
        self.file = file
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
        self.context = context
    }

    /// A reader over a nested message whose bytes were returned by `readLengthDelimited`.
    func submessage(_ range: Range<Int>, context: String) -> ProtoWireReader {
        assert(range.upperBound <= end, "submessage must lie inside its parent")
        return ProtoWireReader(file: file, bytes: bytes, range: range, context: context)
    }

    var isAtEnd: Bool { position >= end }

    func truncated(_ what: String) -> ONNXError {
        .truncated(path: file.path, offset: position, what: "\(what) in \(context)")
    }

    /// Reads a field key; field number 0 and group wire types are errors.
    mutating func readTag() throws -> (field: UInt64, wireType: ProtoWireType) {
        let tagOffset = position
        let key = try readVarint(what: "field key")
        let field = key >> 3
        guard field != 0 else {
            throw ONNXError.malformed(path: file.path, offset: tagOffset, reason: "field number 0 in \(context)")
        }
        guard let wire = ProtoWireType(rawValue: UInt8(key & 7)) else {
            throw ONNXError.malformed(path: file.path, offset: tagOffset, reason: "unsupported wire type \(key & 7) for field \(field) in \(context)")
        }
        return (field, wire)
    }

    /// Base-128 varint, at most 10 bytes; the 10th byte may only carry the top bit of a 64-bit value.
    mutating func readVarint(what: String) throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = position
        while true {
            guard position < end else { throw truncated(what) }
            let b = bytes[position]
            position += 1
            if shift == 63 && b > 1 {
                throw ONNXError.malformed(path: file.path, offset: start, reason: "varint longer than 64 bits (\(what) in \(context))")
            }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func readFixed32(what: String) throws -> UInt32 {
        guard end - position >= 4 else { throw truncated(what) }
        let v = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self))
        position += 4
        return v
    }

    mutating func readFixed64(what: String) throws -> UInt64 {
        guard end - position >= 8 else { throw truncated(what) }
        let v = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
        position += 8
        return v
    }

    /// The absolute byte range of a length-delimited field, checked to lie inside this message.
    mutating func readLengthDelimited(what: String) throws -> Range<Int> {
        let length = try readVarint(what: "length of \(what)")
        guard length <= UInt64(end - position) else {
            throw ONNXError.lengthOutOfBounds(
                path: file.path, offset: position, length: length, available: end - position, what: "\(what) in \(context)")
        }
        let r = position..<(position + Int(length))
        position = r.upperBound
        return r
    }

    /// A length-delimited field decoded as UTF-8 (invalid sequences repaired, never trusted).
    mutating func readString(what: String) throws -> String {
        let r = try readLengthDelimited(what: what)
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[r]), as: UTF8.self)
    }

    /// A varint field reinterpreted as a two's-complement int64 (protobuf `int64` / `int32` encoding).
    mutating func readInt64(what: String) throws -> Int64 {
        Int64(bitPattern: try readVarint(what: what))
    }

    /// Skips a field we do not use; its length is still checked.
    mutating func skip(_ wire: ProtoWireType, field: UInt64) throws {
        switch wire {
        case .varint: _ = try readVarint(what: "field \(field)")
        case .fixed64: _ = try readFixed64(what: "field \(field)")
        case .fixed32: _ = try readFixed32(what: "field \(field)")
        case .lengthDelimited: _ = try readLengthDelimited(what: "field \(field)")
        }
    }

    /// Error for a known field carrying the wrong wire type.
    func wrongWireType(_ wire: ProtoWireType, field: UInt64, name: String) -> ONNXError {
        .malformed(path: file.path, offset: position, reason: "field \(field) (\(name)) has wire type \(wire.rawValue) in \(context)")
    }

    /// Appends a repeated varint field, accepting both packed (length-delimited) and unpacked encodings.
    mutating func readRepeatedVarint(_ wire: ProtoWireType, field: UInt64, name: String, into out: inout [Int64]) throws {
        switch wire {
        case .varint:
            out.append(try readInt64(what: name))
        case .lengthDelimited:
            let r = try readLengthDelimited(what: name)
            var sub = submessage(r, context: "\(name) of \(context)")
            while !sub.isAtEnd { out.append(try sub.readInt64(what: name)) }
        default:
            throw wrongWireType(wire, field: field, name: name)
        }
    }

    /// Appends a repeated fixed32 field (float), packed or not.
    mutating func readRepeatedFixed32(_ wire: ProtoWireType, field: UInt64, name: String, into out: inout [UInt32]) throws {
        switch wire {
        case .fixed32:
            out.append(try readFixed32(what: name))
        case .lengthDelimited:
            let r = try readLengthDelimited(what: name)
            guard r.count % 4 == 0 else {
                throw ONNXError.malformed(path: file.path, offset: r.lowerBound, reason: "packed \(name) of \(r.count) bytes is not a multiple of 4 in \(context)")
            }
            out.reserveCapacity(out.count + r.count / 4)
            for o in stride(from: r.lowerBound, to: r.upperBound, by: 4) {
                out.append(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: o, as: UInt32.self)))
            }
        default:
            throw wrongWireType(wire, field: field, name: name)
        }
    }

    /// Appends a repeated fixed64 field (double), packed or not.
    mutating func readRepeatedFixed64(_ wire: ProtoWireType, field: UInt64, name: String, into out: inout [UInt64]) throws {
        switch wire {
        case .fixed64:
            out.append(try readFixed64(what: name))
        case .lengthDelimited:
            let r = try readLengthDelimited(what: name)
            guard r.count % 8 == 0 else {
                throw ONNXError.malformed(path: file.path, offset: r.lowerBound, reason: "packed \(name) of \(r.count) bytes is not a multiple of 8 in \(context)")
            }
            for o in stride(from: r.lowerBound, to: r.upperBound, by: 8) {
                out.append(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: o, as: UInt64.self)))
            }
        default:
            throw wrongWireType(wire, field: field, name: name)
        }
    }
}
