/// An integer tensor with `DequantizeLinear` semantics: `y = (x − zero_point) · scale`, the scale and zero point
/// either per tensor (scalars) or per slice along `axis` (1-D of length `dims[axis]`).
///
/// Rampart stores its three embedding tables this way (uint8, per-tensor scale and zero point).
/// The integer data is read from the memory map when it is `raw_data`.
public struct LinearQuantizedTensor: @unchecked Sendable {
    public let name: String
    public let data: ONNXTensor
    public var dims: [Int] { data.dims }
    /// One scale (per tensor) or `dims[axis]` scales.
    public let scales: [Float]
    /// Same count as `scales`; zeros when the zero point is omitted.
    public let zeroPoints: [Int32]
    /// Normalised (non-negative) axis of per-axis quantization; unused when per tensor.
    public let axis: Int
    public var isPerTensor: Bool { scales.count == 1 }
    /// Elements after `axis` in row-major order: the run of elements sharing one scale.
    private let innerCount: Int
    /// Elements of typed-field storage (`int32_data`), decoded at init; nil when the data is `raw_data`.
    private let typedValues: [Int32]?

    /// Builds from the three `DequantizeLinear` operands. `axis` may be negative (counted from the end).
    public init(data: ONNXTensor, scale: ONNXTensor, zeroPoint: ONNXTensor?, axis: Int = 1) throws {
        let path = data.path
        func bad(_ reason: String) -> ONNXError { .invalidQuantization(path: path, name: data.name, reason: reason) }
        guard let type = data.dataType, [.uint8, .int8, .uint16, .int16, .int32].contains(type) else {
            throw ONNXError.unsupportedDataType(path: path, tensor: data.name, dataType: data.dataTypeID, use: "DequantizeLinear")
        }
        name = data.name
        self.data = data
        scales = try scale.floats()
        let rank = data.dims.count
        let normalized = axis < 0 ? axis + rank : axis
        if scales.count == 1 && scale.dims.count <= 1 {
            self.axis = max(0, normalized)
        } else {
            guard scale.dims.count == 1, normalized >= 0, normalized < rank, scales.count == data.dims[normalized] else {
                throw bad("scale '\(scale.name)' has dims \(scale.dims); expected a scalar or [\(normalized >= 0 && normalized < rank ? String(data.dims[normalized]) : "?")] along axis \(axis) of dims \(data.dims)")
            }
            self.axis = normalized
        }
        if let zeroPoint {
            guard zeroPoint.dataTypeID == data.dataTypeID else {
                throw bad("zero point '\(zeroPoint.name)' has type \(zeroPoint.typeName), data has \(data.typeName)")
            }
            let values = try zeroPoint.int64s()
            guard values.count == scales.count else { throw bad("\(values.count) zero points for \(scales.count) scales") }
            let range = Self.range(of: type)
            zeroPoints = try values.map {
                guard range.contains($0) else { throw bad("zero point \($0) out of range for \(data.typeName)") }
                return Int32($0)
            }
            if type == .int32, zeroPoints.contains(where: { $0 != 0 }) { throw bad("INT32 data requires a zero point of 0") }
        } else {
            zeroPoints = Array(repeating: 0, count: scales.count)
        }
        var inner = 1
        for d in data.dims.suffix(from: min(self.axis + 1, rank)) {
            let (p, o) = inner.multipliedReportingOverflow(by: d)
            guard !o else { throw bad("dims \(data.dims) overflow") }
            inner = p
        }
        innerCount = inner
        if case .raw = data.storage {
            typedValues = nil
        } else {
            typedValues = try data.int64s().map { Int32(truncatingIfNeeded: $0) }
        }
    }

    /// Builds from a `DequantizeLinear` node whose operands are initializers. When its input is the output of a
    /// `Gather` over an initializer (Rampart's embeddings: Gather the uint8 rows, then dequantize), the gathered
    /// table is returned instead; that is exact because a per-tensor dequantization commutes with the gather.
    public init(node: ONNXNode, in model: ONNXModelFile) throws {
        let path = model.path
        func bad(_ reason: String) -> ONNXError { .invalidNode(path: path, node: node.name, reason: reason) }
        guard node.opType == "DequantizeLinear" else { throw bad("expected DequantizeLinear, found \(node.opType)") }
        if let b = node.int("block_size"), b != 0 { throw bad("blocked DequantizeLinear (block_size \(b)) is not supported") }
        guard let xName = node.input(0), let sName = node.input(1) else { throw bad("missing input x or x_scale") }
        let scale = try model.initializer(sName)
        let zeroPoint = try node.input(2).map { try model.initializer($0) }
        let axis = Int(node.int("axis") ?? 1)
        if model.hasInitializer(xName) {
            try self.init(data: try model.initializer(xName), scale: scale, zeroPoint: zeroPoint, axis: axis)
            return
        }
        guard let gather = model.producer(of: xName), gather.opType == "Gather", (gather.int("axis") ?? 0) == 0,
              let table = gather.input(0), model.hasInitializer(table)
        else { throw bad("input '\(xName)' is neither an initializer nor a Gather over one") }
        guard scale.elementCount == 1 else { throw bad("a per-axis scale cannot be moved through Gather '\(gather.name)'") }
        try self.init(data: try model.initializer(table), scale: scale, zeroPoint: zeroPoint, axis: axis)
    }

    private static func range(of type: ONNXDataType) -> ClosedRange<Int64> {
        switch type {
        case .uint8: return 0...255
        case .int8: return -128...127
        case .uint16: return 0...65535
        case .int16: return -32768...32767
        default: return Int64(Int32.min)...Int64(Int32.max)
        }
    }


    /// Dequantizes elements `start ..< start + out.count` (row-major) into `out`.
    public func dequantize(from start: Int, into out: UnsafeMutableBufferPointer<Float>) {
        precondition(start >= 0 && start + out.count <= data.elementCount, "range past the tensor")
        let inner = innerCount
        let axisLength = isPerTensor ? 1 : data.dims[axis]
        func param(_ i: Int) -> Int { isPerTensor ? 0 : ((start + i) / inner) % axisLength }
        if let typedValues {
            for i in 0..<out.count {
                let p = param(i)
                out[i] = Float(Int64(typedValues[start + i]) - Int64(zeroPoints[p])) * scales[p]
            }
            return
        }
        guard case .raw(let r) = data.storage else { return }
        let raw = data.file.bytes(r)
        switch data.dataType {
        case .uint8?:
            if isPerTensor {
                // The hot case (embedding rows): one scale and zero point.
                let s = scales[0], z = zeroPoints[0]
                for i in 0..<out.count { out[i] = Float(Int32(raw[start + i]) - z) * s }
            } else {
                for i in 0..<out.count { let p = param(i); out[i] = Float(Int32(raw[start + i]) - zeroPoints[p]) * scales[p] }
            }
        case .int8?:
            for i in 0..<out.count { let p = param(i); out[i] = Float(Int32(Int8(bitPattern: raw[start + i])) - zeroPoints[p]) * scales[p] }
        case .uint16?:
            for i in 0..<out.count {
                let p = param(i)
                let v = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * (start + i), as: UInt16.self))
                out[i] = Float(Int32(v) - zeroPoints[p]) * scales[p]
            }
        case .int16?:
            for i in 0..<out.count {
                let p = param(i)
                let v = Int16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * (start + i), as: Int16.self))
                out[i] = Float(Int32(v) - zeroPoints[p]) * scales[p]
            }
        default:  // int32 (zero point 0, checked at init)
            for i in 0..<out.count {
                let p = param(i)
                let v = Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * (start + i), as: Int32.self))
                out[i] = Float(v) * scales[p]
            }
        }
    }

    /// Row `row` of a rank-2 tensor (e.g. one token's embedding) into `out[0..<dims[1]]`.
    public func dequantizeRow(_ row: Int, into out: UnsafeMutableBufferPointer<Float>) {
        precondition(data.dims.count == 2 && row >= 0 && row < data.dims[0] && out.count >= data.dims[1], "row out of range")
        dequantize(from: row * data.dims[1], into: UnsafeMutableBufferPointer(rebasing: out[0..<data.dims[1]]))
    }

    /// All elements, row-major.
    public func dequantized() -> [Float] {
        let n = data.elementCount
        return [Float](unsafeUninitializedCapacity: n) { dst, count in
            dequantize(from: 0, into: UnsafeMutableBufferPointer(rebasing: dst[0..<n]))
            count = n
        }
    }
}
