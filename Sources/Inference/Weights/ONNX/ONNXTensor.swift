/// One `TensorProto` (an initializer or a Constant's value), validated.
///
/// `raw_data` stays in the memory map (only its range is kept); typed fields (`float_data`, `int32_data`, …),
/// used by exporters for small tensors such as scalar scales, are decoded into arrays.
public struct ONNXTensor: @unchecked Sendable {
    /// Where the elements are. Immutable; `@unchecked Sendable` because `MappedFile` is immutable after init.
    public enum Storage: Equatable {
        /// Absolute byte range of `raw_data` in the file (little-endian, row-major).
        case raw(Range<Int>)
        case floatData([Float])
        /// Also holds FLOAT16/BFLOAT16 bit patterns and 8/16-bit integers, one per entry.
        case int32Data([Int32])
        case int64Data([Int64])
        case doubleData([Double])
        /// Holds UINT32 and UINT64 values.
        case uint64Data([UInt64])
        case stringData([String])
        /// No elements (some dim is 0).
        case empty
    }

    public let name: String
    /// The `data_type` id as stored (kept even when unknown to this reader, whose accessors then refuse it).
    public let dataTypeID: Int32
    public var dataType: ONNXDataType? { ONNXDataType(rawValue: dataTypeID) }
    public let dims: [Int]
    public let elementCount: Int
    public let storage: Storage
    public let file: MappedFile

    var path: String { file.path }
    var typeName: String { ONNXDataType.describe(dataTypeID) }

    /// The `raw_data` bytes, zero-copy (valid only inside `body`).
    public func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        guard case .raw(let r) = storage else {
            if case .empty = storage { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
            throw ONNXError.notRawData(path: path, tensor: name)
        }
        return try body(file.bytes(r))
    }

    /// Elements as `Float`: FLOAT, FLOAT16 and BFLOAT16 exactly, DOUBLE narrowed.
    public func floats() throws -> [Float] {
        let n = elementCount
        switch (dataType, storage) {
        case (_, .empty): return []
        case (.float?, .floatData(let v)): return v
        case (.float?, .raw(let r)):
            let raw = file.bytes(r)
            return (0..<n).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        case (.float16?, .raw(let r)):
            return [Float](unsafeUninitializedCapacity: n) { dst, count in
                HalfFloatConversion.widenFloat16(file.bytes(r), into: UnsafeMutableBufferPointer(rebasing: dst[0..<n]))
                count = n
            }
        case (.bfloat16?, .raw(let r)):
            return [Float](unsafeUninitializedCapacity: n) { dst, count in
                HalfFloatConversion.widenBFloat16(file.bytes(r), into: UnsafeMutableBufferPointer(rebasing: dst[0..<n]))
                count = n
            }
        case (.float16?, .int32Data(let v)): return v.map { HalfFloatConversion.float(fromFloat16: UInt16(truncatingIfNeeded: $0)) }
        case (.bfloat16?, .int32Data(let v)): return v.map { HalfFloatConversion.float(fromBFloat16: UInt16(truncatingIfNeeded: $0)) }
        case (.double?, .doubleData(let v)): return v.map { Float($0) }
        case (.double?, .raw(let r)):
            let raw = file.bytes(r)
            return (0..<n).map { Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)))) }
        default:
            throw ONNXError.wrongDataType(path: path, tensor: name, dataType: typeName, expected: "FLOAT, FLOAT16, BFLOAT16 or DOUBLE")
        }
    }

    /// Elements as `Int64`: any integer type or BOOL, widened; UINT64 values above `Int64.max` are refused.
    public func int64s() throws -> [Int64] {
        let n = elementCount
        func load<T: FixedWidthInteger>(_ r: Range<Int>, _: T.Type) -> [Int64] {
            let raw = file.bytes(r)
            return (0..<n).map { Int64(T(littleEndian: raw.loadUnaligned(fromByteOffset: MemoryLayout<T>.size * $0, as: T.self))) }
        }
        switch (dataType, storage) {
        case (_, .empty): return []
        case (.int64?, .int64Data(let v)): return v
        case (.int64?, .raw(let r)): return load(r, Int64.self)
        case (.int32?, .raw(let r)): return load(r, Int32.self)
        case (.int16?, .raw(let r)): return load(r, Int16.self)
        case (.int8?, .raw(let r)): return load(r, Int8.self)
        case (.uint8?, .raw(let r)), (.bool?, .raw(let r)): return load(r, UInt8.self)
        case (.uint16?, .raw(let r)): return load(r, UInt16.self)
        case (.uint32?, .raw(let r)): return load(r, UInt32.self)
        case (.int32?, .int32Data(let v)), (.int16?, .int32Data(let v)), (.int8?, .int32Data(let v)),
             (.uint8?, .int32Data(let v)), (.uint16?, .int32Data(let v)), (.bool?, .int32Data(let v)):
            return v.map { Int64($0) }
        case (.uint32?, .uint64Data(let v)), (.uint64?, .uint64Data(let v)):
            return try v.map { try checkedInt64($0) }
        case (.uint64?, .raw(let r)):
            let raw = file.bytes(r)
            return try (0..<n).map { try checkedInt64(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self))) }
        default:
            throw ONNXError.wrongDataType(path: path, tensor: name, dataType: typeName, expected: "an integer type")
        }
    }

    private func checkedInt64(_ v: UInt64) throws -> Int64 {
        guard let s = Int64(exactly: v) else {
            throw ONNXError.invalidTensor(path: path, tensor: name, reason: "value \(v) does not fit in Int64")
        }
        return s
    }
}
