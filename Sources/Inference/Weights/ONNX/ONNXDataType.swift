/// `TensorProto.DataType` ids from `onnx/onnx.proto`.
public enum ONNXDataType: Int32, CaseIterable, Sendable {
    case float = 1
    case uint8 = 2
    case int8 = 3
    case uint16 = 4
    case int16 = 5
    case int32 = 6
    case int64 = 7
    case string = 8
    case bool = 9
    case float16 = 10
    case double = 11
    case uint32 = 12
    case uint64 = 13
    case complex64 = 14
    case complex128 = 15
    case bfloat16 = 16
    case float8e4m3fn = 17
    case float8e4m3fnuz = 18
    case float8e5m2 = 19
    case float8e5m2fnuz = 20
    case uint4 = 21
    case int4 = 22
    case float4e2m1 = 23
    case float8e8m0 = 24
    case uint2 = 25
    case int2 = 26

    /// Bits per element in `raw_data`; nil for STRING (not fixed-width).
    public var bitSize: Int? {
        switch self {
        case .string: return nil
        case .uint2, .int2: return 2
        case .uint4, .int4, .float4e2m1: return 4
        case .uint8, .int8, .bool, .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz, .float8e8m0: return 8
        case .uint16, .int16, .float16, .bfloat16: return 16
        case .float, .int32, .uint32: return 32
        case .double, .int64, .uint64, .complex64: return 64
        case .complex128: return 128
        }
    }

    /// Bytes of `raw_data` for `count` elements: sub-byte types pack into whole bytes, rounded up.
    /// Nil on overflow or for STRING.
    public func rawByteCount(elements count: Int) -> Int? {
        guard let bits = bitSize else { return nil }
        let (total, overflow) = count.multipliedReportingOverflow(by: bits)
        guard !overflow else { return nil }
        return total / 8 + (total % 8 == 0 ? 0 : 1)
    }

    /// "FLOAT (1)" for known ids, "unknown (99)" otherwise.
    public static func describe(_ raw: Int32) -> String {
        guard let t = ONNXDataType(rawValue: raw) else { return "unknown (\(raw))" }
        return "\(String(describing: t).uppercased()) (\(raw))"
    }
}
