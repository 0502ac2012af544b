/// A validated, memory-mapped safetensors file.
///
/// The whole header is checked at open (sizes, dtypes, offsets, exact coverage of the data buffer), so later
/// reads cannot fail on layout; they only fail on a wrong name or dtype. Tensor bytes stay in the mapping.
public final class SafetensorsFile: @unchecked Sendable {
    /// The safetensors reference implementation refuses headers above 100 MB.
    public static let maxHeaderSize: UInt64 = 100_000_000

    public let file: MappedFile
    public var path: String { file.path }
    /// Byte length of the JSON header (`N`); tensor data starts at `8 + N`.
    public let headerSize: Int
    public var dataStart: Int { 8 + headerSize }
    /// The optional `__metadata__` string map (e.g. `format: pt`).
    public let metadata: [String: String]
    /// Every tensor, in data order.
    public let tensors: [SafetensorsTensorInfo]
    private let index: [String: Int]

    public convenience init(path: String) throws {
        let mapped: MappedFile
        do { mapped = try MappedFile(path: path) } catch let e as MappedFileError { throw SafetensorsError.cannotRead(e) }
        try self.init(file: mapped)
    }

    public init(file: MappedFile) throws {
        self.file = file
        let path = file.path
        guard file.count >= 8 else { throw SafetensorsError.fileTooSmall(path: path, size: file.count) }
        let declared = file.bytes(0..<8).loadUnaligned(as: UInt64.self).littleEndian
        guard declared <= Self.maxHeaderSize else {
            throw SafetensorsError.headerTooLarge(path: path, declared: declared, limit: Self.maxHeaderSize)
        }
        guard declared <= UInt64(file.count - 8) else {
            throw SafetensorsError.headerOutsideFile(path: path, declared: declared, fileSize: file.count)
        }
        headerSize = Int(declared)
        let json: SafetensorsJSONValue
        do {
            json = try SafetensorsHeaderJSONParser.parse(file.bytes(8..<8 + headerSize))
        } catch let e as SafetensorsJSONSyntaxError {
            throw SafetensorsError.invalidJSON(path: path, offset: 8 + e.offset, reason: e.reason)
        }
        guard case .object(let members) = json else { throw SafetensorsError.headerNotObject(path: path, found: json.kind) }

        let bufferSize = file.count - 8 - headerSize
        var metadata: [String: String] = [:]
        var infos: [SafetensorsTensorInfo] = []
        for (key, value) in members {
            if key == "__metadata__" {
                metadata = try Self.parseMetadata(value, path: path)
            } else {
                infos.append(try Self.parseEntry(name: key, value, path: path, dataStart: 8 + headerSize, bufferSize: bufferSize))
            }
        }
        try Self.checkCoverage(&infos, path: path, bufferSize: bufferSize)
        self.metadata = metadata
        self.tensors = infos
        var index: [String: Int] = [:]
        for (i, t) in infos.enumerated() { index[t.name] = i }
        self.index = index
    }

    public var names: [String] { tensors.map(\.name) }

    public func contains(_ name: String) -> Bool { index[name] != nil }

    /// The header entry of a tensor; the error suggests a close name (e.g. with or without a `bert.` prefix).
    public func info(_ name: String) throws -> SafetensorsTensorInfo {
        if let i = index[name] { return tensors[i] }
        let suggestion = tensors.first { $0.name.hasSuffix("." + name) || name.hasSuffix("." + $0.name) }?.name
        throw SafetensorsError.tensorNotFound(path: path, tensor: name, suggestion: suggestion)
    }

    // MARK: - Header validation

    private static func parseMetadata(_ value: SafetensorsJSONValue, path: String) throws -> [String: String] {
        guard case .object(let entries) = value else {
            throw SafetensorsError.invalidMetadata(path: path, key: "__metadata__", reason: "expected an object of strings, found \(value.kind)")
        }
        var out: [String: String] = [:]
        for (k, v) in entries {
            guard case .string(let s) = v else {
                throw SafetensorsError.invalidMetadata(path: path, key: k, reason: "expected a string, found \(v.kind)")
            }
            out[k] = s
        }
        return out
    }

    private static func parseEntry(
        name: String, _ value: SafetensorsJSONValue, path: String, dataStart: Int, bufferSize: Int
    ) throws -> SafetensorsTensorInfo {
        func bad(_ reason: String) -> SafetensorsError { .invalidTensorEntry(path: path, tensor: name, reason: reason) }
        guard case .object(let fields) = value else { throw bad("expected an object, found \(value.kind)") }
        func field(_ key: String) throws -> SafetensorsJSONValue {
            guard let v = fields.first(where: { $0.key == key })?.value else { throw bad("missing \"\(key)\"") }
            return v
        }
        guard case .string(let dtypeName) = try field("dtype") else { throw bad("\"dtype\" must be a string") }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw SafetensorsError.unknownDType(path: path, tensor: name, dtype: dtypeName)
        }
        guard case .array(let dims) = try field("shape") else { throw bad("\"shape\" must be an array") }
        var shape: [Int] = []
        var count: UInt64 = 1
        var countOverflow = false
        for d in dims {
            guard let u = d.unsignedInteger, u <= UInt64(Int.max) else {
                throw SafetensorsError.invalidShape(path: path, tensor: name, reason: "dimension \(d.kind) is not a non-negative integer")
            }
            shape.append(Int(u))
            let (p, o) = count.multipliedReportingOverflow(by: u)
            countOverflow = countOverflow || o
            count = p
        }
        guard case .array(let offsets) = try field("data_offsets"), offsets.count == 2,
              let begin = offsets[0].unsignedInteger, let end = offsets[1].unsignedInteger
        else { throw bad("\"data_offsets\" must be [BEGIN, END] with non-negative integers") }
        guard begin <= end else { throw SafetensorsError.invalidOffsets(path: path, tensor: name, begin: begin, end: end) }
        let span = end - begin
        let (bits, bitsOverflow) = count.multipliedReportingOverflow(by: UInt64(dtype.bitSize))
        if countOverflow || bitsOverflow {
            throw SafetensorsError.sizeMismatch(path: path, tensor: name, expectedBytes: "more than 2^64 bytes", span: span)
        }
        guard bits % 8 == 0, bits / 8 == span else {
            let need = bits % 8 == 0 ? "\(bits / 8) bytes" : "\(bits) bits (not a whole number of bytes)"
            throw SafetensorsError.sizeMismatch(path: path, tensor: name, expectedBytes: need, span: span)
        }
        guard end <= UInt64(bufferSize), count <= UInt64(Int.max) else {
            throw SafetensorsError.offsetsOutsideBuffer(path: path, tensor: name, end: end, bufferSize: bufferSize)
        }
        let rel = Int(begin)..<Int(end)
        return SafetensorsTensorInfo(
            name: name, dtype: dtype, shape: shape, elementCount: Int(count),
            dataOffsets: rel, fileRange: (dataStart + rel.lowerBound)..<(dataStart + rel.upperBound))
    }

    /// Sorts by offset and requires the tensors to tile the data buffer exactly: no overlap, no gap, no tail.
    private static func checkCoverage(_ infos: inout [SafetensorsTensorInfo], path: String, bufferSize: Int) throws {
        infos.sort { ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound) }
        var covered = 0
        var previous: String?
        for t in infos {
            if t.dataOffsets.lowerBound < covered, let previous {
                throw SafetensorsError.overlap(path: path, tensor: t.name, other: previous)
            }
            if t.dataOffsets.lowerBound > covered {
                throw SafetensorsError.gap(path: path, tensor: t.name, expectedBegin: UInt64(covered), begin: UInt64(t.dataOffsets.lowerBound))
            }
            covered = t.dataOffsets.upperBound
            previous = t.name
        }
        guard covered == bufferSize else {
            throw SafetensorsError.incompleteBuffer(path: path, coveredEnd: UInt64(covered), bufferSize: bufferSize)
        }
    }
}
