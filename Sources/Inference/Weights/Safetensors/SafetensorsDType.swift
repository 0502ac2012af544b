/// Element types a safetensors header may name (the `dtype` strings of `huggingface/safetensors`).
public enum SafetensorsDType: String, CaseIterable, Sendable {
    case bool = "BOOL"
    case u8 = "U8"
    case i8 = "I8"
    case f8E5M2 = "F8_E5M2"
    case f8E4M3 = "F8_E4M3"
    case f8E8M0 = "F8_E8M0"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"
    case c64 = "C64"
    case f4 = "F4"
    case f6E2M3 = "F6_E2M3"
    case f6E3M2 = "F6_E3M2"

    /// Size of one element in bits; sub-byte types must fill whole bytes per tensor.
    public var bitSize: Int {
        switch self {
        case .f4: return 4
        case .f6E2M3, .f6E3M2: return 6
        case .bool, .u8, .i8, .f8E5M2, .f8E4M3, .f8E8M0: return 8
        case .i16, .u16, .f16, .bf16: return 16
        case .i32, .u32, .f32: return 32
        case .f64, .i64, .u64, .c64: return 64
        }
    }
}

/// Where one tensor lives and what it holds, as validated from the header.
public struct SafetensorsTensorInfo: Equatable, Sendable {
    public let name: String
    public let dtype: SafetensorsDType
    /// Outermost dimension first (a linear weight is `[out, in]`); empty for a scalar.
    public let shape: [Int]
    public let elementCount: Int
    /// `data_offsets` from the header: relative to the start of the data buffer.
    public let dataOffsets: Range<Int>
    /// The same bytes as absolute offsets in the file.
    public let fileRange: Range<Int>
}
