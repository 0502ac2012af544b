import Kernels

/// A tensor's header entry after validation.
public struct GGUFTensorInfo: Sendable, Equatable {
    public let name: String
    public let type: GGMLType
    /// Dimensions with ne0 (the contiguous, innermost one) first, as in ggml.
    public let shape: [Int]
    /// Offset relative to the data section.
    public let offset: UInt64
    public let elementCount: Int
    public let byteCount: Int

    /// Elements per row (ne0).
    public var rowLength: Int { shape.first ?? 1 }
    public var rowCount: Int { rowLength == 0 ? 0 : elementCount / rowLength }
}

/// A tensor entry as read, before its type and place are checked.
struct RawTensorInfo {
    let name: String
    let dims: [UInt64]
    let typeID: UInt32
    let offset: UInt64
}

extension GGUFParser {
    mutating func parseTensorInfos(count: UInt64) throws -> [RawTensorInfo] {
        var out = [RawTensorInfo]()
        var seen = Set<String>()
        for i in 0..<count {
            let name = try readString(what: "name of tensor #\(i)", limit: UInt64(GGUFFile.maxTensorNameBytes))
            guard seen.insert(name).inserted else { throw GGUFError.duplicateTensor(path: path, name: name) }
            let nDims = try reader.read(UInt32.self, what: "n_dims of tensor '\(name)'")
            guard nDims <= 4 else { throw GGUFError.tooManyDimensions(path: path, tensor: name, nDims: nDims) }
            var dims = [UInt64]()
            for d in 0..<Int(nDims) { dims.append(try reader.read(UInt64.self, what: "dimension \(d) of tensor '\(name)'")) }
            let typeID = try reader.read(UInt32.self, what: "type of tensor '\(name)'")
            let offset = try reader.read(UInt64.self, what: "offset of tensor '\(name)'")
            out.append(RawTensorInfo(name: name, dims: dims, typeID: typeID, offset: offset))
        }
        return out
    }
}

/// Checks types, sizes and the contiguous ggml layout of the tensor data.
enum GGUFLayout {
    static func resolve(_ raw: [RawTensorInfo], alignment: Int, dataOffset: Int,
                        file: MappedFile) throws -> ([GGUFTensorInfo], Bool) {
        do {
            return (try check(raw, alignment: alignment, dataOffset: dataOffset, file: file, legacy42: false), false)
        } catch let first as GGUFError {
            // Type 42 was group 128 in PrismML's pre-merge fork; only then retry with that layout.
            guard raw.contains(where: { $0.typeID == GGMLType.q2_0.rawValue }) else { throw first }
            switch first {
            case .unexpectedOffset, .tensorOutOfBounds, .rowNotBlockMultiple:
                guard let infos = try? check(raw, alignment: alignment, dataOffset: dataOffset, file: file, legacy42: true) else { throw first }
                return (infos, true)
            default:
                throw first
            }
        }
    }

    static func check(_ raw: [RawTensorInfo], alignment: Int, dataOffset: Int, file: MappedFile,
                      legacy42: Bool) throws -> [GGUFTensorInfo] {
        let path = file.path
        var expected: UInt64 = 0
        var out = [GGUFTensorInfo]()
        out.reserveCapacity(raw.count)
        for r in raw {
            guard var type = GGMLType(rawValue: r.typeID) else {
                throw GGUFError.unknownTensorType(path: path, tensor: r.name, typeID: r.typeID)
            }
            if legacy42 && type == .q2_0 { type = .pq2_0 }
            guard r.dims.allSatisfy({ $0 <= UInt64(Int64.max) }) else { throw GGUFError.badDimension(path: path, tensor: r.name, dims: r.dims) }
            let shape = r.dims.map { Int($0) }
            var elements = 1
            for d in shape {
                let (p, o) = elements.multipliedReportingOverflow(by: d)
                guard !o else { throw GGUFError.sizeOverflow(path: path, tensor: r.name) }
                elements = p
            }
            let ne0 = shape.first ?? 1
            guard ne0 % type.blockSize == 0 else {
                throw GGUFError.rowNotBlockMultiple(path: path, tensor: r.name, type: type.name, ne0: ne0, blockSize: type.blockSize)
            }
            guard let bytes = type.byteCount(elements: elements) else { throw GGUFError.sizeOverflow(path: path, tensor: r.name) }
            guard r.offset % UInt64(alignment) == 0 else {
                throw GGUFError.misalignedOffset(path: path, tensor: r.name, offset: r.offset, alignment: alignment)
            }
            guard r.offset == expected else { throw GGUFError.unexpectedOffset(path: path, tensor: r.name, offset: r.offset, expected: expected) }
            let start = UInt64(dataOffset) + r.offset
            let (end, o1) = start.addingReportingOverflow(UInt64(bytes))
            guard !o1, end <= UInt64(file.count) else {
                throw GGUFError.tensorOutOfBounds(path: path, tensor: r.name, start: start, length: UInt64(bytes), fileSize: file.count)
            }
            let padded = UInt64(bytes) + UInt64((alignment - bytes % alignment) % alignment)
            let (next, o2) = expected.addingReportingOverflow(padded)
            guard !o2 else { throw GGUFError.sizeOverflow(path: path, tensor: r.name) }
            expected = next
            out.append(GGUFTensorInfo(name: r.name, type: type, shape: shape, offset: r.offset,
                                      elementCount: elements, byteCount: bytes))
        }
        return out
    }
}
