import Kernels

/// A parsed, validated GGUF file (v2/v3, little-endian) over a memory map.
///
/// Parsing reads only the header; tensor data stays in the map until `GGUFTensor.bytes` or
/// `dequantized()` touches it. Every count, length and offset is checked against the file size first,
/// and tensors must lie contiguously in order like ggml requires.
public final class GGUFFile {
    public static let magic: UInt32 = 0x4655_4747  // "GGUF" read as a little-endian u32
    public static let defaultAlignment = 32
    /// Deepest array-in-array nesting accepted in metadata.
    public static let maxArrayDepth = 8
    /// Tensor names are ≤ 64 bytes in ggml; longer ones are read but capped here.
    public static let maxTensorNameBytes = 1024
    public static let maxKeyBytes = 65535

    public let file: MappedFile
    public var path: String { file.path }
    public let version: UInt32
    public let metadata: GGUFMetadata
    public let tensorInfos: [GGUFTensorInfo]
    public let alignment: Int
    /// Absolute byte offset of the tensor data section.
    public let dataOffset: Int
    /// True when type-42 tensors had the legacy PrismML group-128 layout and are read as PQ2_0.
    public let legacyQ2_0Group128: Bool
    private let index: [String: Int]

    public convenience init(path: String) throws {
        try self.init(file: MappedFile(path: path))
    }

    public init(file: MappedFile) throws {
        self.file = file
        do {
            var p = GGUFParser(file: file)
            let header = try p.parseHeader()
            version = header.version
            metadata = try p.parseMetadata(count: header.kvCount)
            alignment = try GGUFParser.alignment(of: metadata, path: file.path)
            let raw = try p.parseTensorInfos(count: header.tensorCount)
            let end = p.reader.offset
            let padded = end + (alignment - end % alignment) % alignment
            dataOffset = padded
            if header.tensorCount > 0, padded > file.count {
                throw GGUFError.truncated(path: file.path, what: "tensor data section", offset: UInt64(end),
                                          length: UInt64(padded - end), fileSize: file.count)
            }
            (tensorInfos, legacyQ2_0Group128) = try GGUFLayout.resolve(raw, alignment: alignment, dataOffset: padded, file: file)
        } catch let e as MappedFileError {
            guard case let .outOfBounds(path, offset, length, size, what) = e else { throw e }
            throw GGUFError.truncated(path: path, what: what, offset: offset, length: length, fileSize: size)
        }
        var idx = [String: Int]()
        for (i, t) in tensorInfos.enumerated() { idx[t.name] = i }
        index = idx
    }

    /// `general.architecture` (e.g. `llama`, `gemma3`).
    public var architecture: String? { metadata["general.architecture"]?.stringValue }

    public func tensor(named name: String) throws -> GGUFTensor {
        guard let i = index[name] else { throw GGUFError.tensorNotFound(path: path, name: name) }
        return GGUFTensor(info: tensorInfos[i], file: self)
    }

    public var tensors: [GGUFTensor] { tensorInfos.map { GGUFTensor(info: $0, file: self) } }

    /// Number of tensors of each type.
    public var typeHistogram: [GGMLType: Int] {
        tensorInfos.reduce(into: [:]) { $0[$1.type, default: 0] += 1 }
    }
}

/// Reads the header fields in order; every read is bounds-checked by `ByteReader`.
struct GGUFParser {
    var reader: ByteReader
    let path: String
    let size: Int

    init(file: MappedFile) {
        reader = file.reader()
        path = file.path
        size = file.count
    }

    var remaining: UInt64 { UInt64(max(0, size - reader.offset)) }

    mutating func parseHeader() throws -> (version: UInt32, tensorCount: UInt64, kvCount: UInt64) {
        let magic = try reader.read(UInt32.self, what: "GGUF magic")
        guard magic == GGUFFile.magic else { throw GGUFError.badMagic(path: path, found: magic) }
        let version = try reader.read(UInt32.self, what: "GGUF version")
        guard version == 2 || version == 3 else { throw GGUFError.unsupportedVersion(path: path, version: version) }
        let tensorCount = try reader.read(UInt64.self, what: "tensor count")
        let kvCount = try reader.read(UInt64.self, what: "metadata key/value count")
        // Smallest key/value: 8-byte key length + 4-byte type + 1-byte value; after them the tensor infos.
        let kvLimit = remaining / 13
        guard kvCount <= kvLimit else { throw GGUFError.implausibleCount(path: path, what: "metadata key/value count", count: kvCount, limit: kvLimit) }
        // Smallest tensor info: 8-byte name length + 4 n_dims + 4 type + 8 offset.
        let tLimit = remaining / 24
        guard tensorCount <= tLimit else { throw GGUFError.implausibleCount(path: path, what: "tensor count", count: tensorCount, limit: tLimit) }
        return (version, tensorCount, kvCount)
    }

    mutating func readString(what: String, limit: UInt64? = nil) throws -> String {
        let n = try reader.read(UInt64.self, what: "length of \(what)")
        if let limit, n > limit { throw GGUFError.stringTooLong(path: path, what: what, length: n, limit: limit) }
        return try reader.readString(byteCount: n, what: what)
    }

    mutating func parseMetadata(count: UInt64) throws -> GGUFMetadata {
        var md = GGUFMetadata()
        for i in 0..<count {
            let key = try readString(what: "metadata key #\(i)", limit: UInt64(GGUFFile.maxKeyBytes))
            let typeOffset = reader.offset
            let typeID = try reader.read(UInt32.self, what: "value type of '\(key)'")
            guard let type = GGUFValueType(rawValue: typeID) else {
                throw GGUFError.unknownValueType(path: path, key: key, typeID: typeID, offset: typeOffset)
            }
            let value = try readValue(type, key: key, depth: 0)
            guard md.insert(key, value) else { throw GGUFError.duplicateKey(path: path, key: key) }
        }
        return md
    }

    mutating func readValue(_ type: GGUFValueType, key: String, depth: Int) throws -> GGUFValue {
        if let size = type.fixedSize {
            return GGUFArray.decodeFixed(type, try reader.bytes(UInt64(size), what: "value of '\(key)'"))
        }
        if type == .string { return .string(try readString(what: "value of '\(key)'")) }
        return .array(try readArray(key: key, depth: depth + 1))
    }

    mutating func readArray(key: String, depth: Int) throws -> GGUFArray {
        guard depth <= GGUFFile.maxArrayDepth else { throw GGUFError.nestingTooDeep(path: path, key: key, limit: GGUFFile.maxArrayDepth) }
        let typeOffset = reader.offset
        let typeID = try reader.read(UInt32.self, what: "array element type of '\(key)'")
        guard let type = GGUFValueType(rawValue: typeID) else {
            throw GGUFError.unknownValueType(path: path, key: key, typeID: typeID, offset: typeOffset)
        }
        let n = try reader.read(UInt64.self, what: "array length of '\(key)'")
        let limit = remaining / UInt64(type.minimumSize)
        guard n <= limit else { throw GGUFError.implausibleCount(path: path, what: "array length of '\(key)'", count: n, limit: limit) }
        let count = Int(n)
        if let size = type.fixedSize {
            let start = reader.offset
            try reader.skip(UInt64(size * count), what: "elements of '\(key)'")
            return GGUFArray(elementType: type, count: count, storage: .fixed(reader.file, offset: start))
        }
        if type == .string {
            var starts = [Int](), lengths = [Int]()
            starts.reserveCapacity(count)
            lengths.reserveCapacity(count)
            for _ in 0..<count {
                let len = try reader.read(UInt64.self, what: "string length in '\(key)'")
                let start = reader.offset
                try reader.skip(len, what: "string in '\(key)'")
                starts.append(start)
                lengths.append(Int(len))  // fits: the skip above checked it against the file size
            }
            return GGUFArray(elementType: type, count: count, storage: .strings(reader.file, starts: starts, lengths: lengths))
        }
        var inner = [GGUFArray]()
        for _ in 0..<count { inner.append(try readArray(key: key, depth: depth + 1)) }
        return GGUFArray(elementType: type, count: count, storage: .arrays(inner))
    }

    static func alignment(of md: GGUFMetadata, path: String) throws -> Int {
        guard let v = md["general.alignment"] else { return GGUFFile.defaultAlignment }
        guard case let .uint32(a) = v else { throw GGUFError.badAlignment(path: path, detail: "has type \(v.type)") }
        guard a != 0, a & (a - 1) == 0 else { throw GGUFError.badAlignment(path: path, detail: "is \(a)") }
        return Int(a)
    }
}
