/// A ggml tensor element type, with the type id stored in GGUF files.
///
/// Ids follow upstream `ggml.h` (Aug 2026) plus PrismML's fork-only `PQ2_0` (142). An id that is not
/// listed here has no case: readers turn it into a typed error, never a crash.
public enum GGMLType: UInt32, CaseIterable, Sendable, CustomStringConvertible {
    case f32 = 0
    case f16 = 1
    case q4_0 = 2
    case q4_1 = 3
    case q5_0 = 6
    case q5_1 = 7
    case q8_0 = 8
    case q8_1 = 9
    case q2_K = 10
    case q3_K = 11
    case q4_K = 12
    case q5_K = 13
    case q6_K = 14
    case q8_K = 15
    case bf16 = 30
    case tq1_0 = 34
    case tq2_0 = 35
    case q1_0 = 41
    /// Upstream Q2_0: group 64, 18 bytes. Legacy PrismML files used id 42 for group 128 (see `resolveType42`).
    case q2_0 = 42
    /// PrismML's ternary group-128 type (the layout of legacy "Q2_0_g128").
    case pq2_0 = 142

    /// The name ggml prints (`Q4_K`, `F32`, …).
    public var name: String {
        switch self {
        case .f32: return "F32"
        case .f16: return "F16"
        case .q4_0: return "Q4_0"
        case .q4_1: return "Q4_1"
        case .q5_0: return "Q5_0"
        case .q5_1: return "Q5_1"
        case .q8_0: return "Q8_0"
        case .q8_1: return "Q8_1"
        case .q2_K: return "Q2_K"
        case .q3_K: return "Q3_K"
        case .q4_K: return "Q4_K"
        case .q5_K: return "Q5_K"
        case .q6_K: return "Q6_K"
        case .q8_K: return "Q8_K"
        case .bf16: return "BF16"
        case .tq1_0: return "TQ1_0"
        case .tq2_0: return "TQ2_0"
        case .q1_0: return "Q1_0"
        case .q2_0: return "Q2_0"
        case .pq2_0: return "PQ2_0"
        }
    }

    public var description: String { name }

    /// Elements per block.
    public var blockSize: Int { traits.blockSize }
    /// Bytes per block.
    public var bytesPerBlock: Int { traits.bytesPerBlock }

    /// Bytes of `elements` values packed back to back; nil when `elements` is not a whole number of
    /// blocks or the size overflows.
    public func byteCount(elements: Int) -> Int? {
        let t = traits
        guard elements >= 0, elements % t.blockSize == 0 else { return nil }
        let (bytes, overflow) = (elements / t.blockSize).multipliedReportingOverflow(by: t.bytesPerBlock)
        return overflow ? nil : bytes
    }

    /// Decides what a type-42 tensor really is from its byte size: upstream Q2_0 (64 per 18 bytes) or
    /// the legacy PrismML group-128 layout (128 per 34 bytes, read as `PQ2_0`). Nil when neither fits.
    public static func resolveType42(elementCount: Int, byteCount: Int) -> GGMLType? {
        if let b = GGMLType.q2_0.byteCount(elements: elementCount), b == byteCount { return .q2_0 }
        if let b = GGMLType.pq2_0.byteCount(elements: elementCount), b == byteCount { return .pq2_0 }
        return nil
    }
}
