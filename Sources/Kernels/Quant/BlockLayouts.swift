/// Byte layouts of ggml blocks (`ggml-common.h`): packed, no padding, little-endian.
///
/// The kernels read blocks through raw pointers at these offsets, so the constants here are the only
/// place the layouts are written down; tests pin every size against ggml's `static_assert`s.
public enum BlockQ4_0 { public static let size = 18, d = 0, qs = 2 }
public enum BlockQ4_1 { public static let size = 20, d = 0, m = 2, qs = 4 }
public enum BlockQ5_0 { public static let size = 22, d = 0, qh = 2, qs = 6 }
public enum BlockQ5_1 { public static let size = 24, d = 0, m = 2, qh = 4, qs = 8 }
public enum BlockQ8_0 { public static let size = 34, d = 0, qs = 2 }
/// `s` = d · Σq (fp16), used by Q4_1/Q5_1 dots to add the weights' minimum.
public enum BlockQ8_1 { public static let size = 36, d = 0, s = 2, qs = 4 }
public enum BlockQ2_K { public static let size = 84, scales = 0, qs = 16, d = 80, dmin = 82 }
public enum BlockQ3_K { public static let size = 110, hmask = 0, qs = 32, scales = 96, d = 108 }
public enum BlockQ4_K { public static let size = 144, d = 0, dmin = 2, scales = 4, qs = 16 }
public enum BlockQ5_K { public static let size = 176, d = 0, dmin = 2, scales = 4, qh = 16, qs = 48 }
public enum BlockQ6_K { public static let size = 210, ql = 0, qh = 128, scales = 192, d = 208 }
/// The only block with an f32 scale; `bsums[i]` = Σ qs[16i ..< 16i+16].
public enum BlockQ8_K { public static let size = 292, d = 0, qs = 4, bsums = 260 }
public enum BlockTQ1_0 { public static let size = 54, qs = 0, qh = 48, d = 52 }
public enum BlockTQ2_0 { public static let size = 66, qs = 0, d = 64 }
public enum BlockQ1_0 { public static let size = 18, d = 0, qs = 2 }
public enum BlockQ2_0 { public static let size = 18, d = 0, qs = 2 }
public enum BlockPQ2_0 { public static let size = 34, d = 0, qs = 2 }

/// Super-block size of the k-quants and ternary types.
public let QK_K = 256
