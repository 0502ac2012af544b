/// Half-precision (IEEE binary16) and bfloat16 conversions by bit manipulation.
///
/// Written without `Float16` so the code is identical on every platform and needs no CPU flag; the
/// algorithm is the branch-free one ggml uses (Maratyszcza's FP16 library): exact for normals,
/// subnormals, zeros and infinities; NaN stays NaN (the f32→f16 direction returns the quiet NaN 0x7E00).
@inline(__always)
public func fp16ToFloat(_ h: UInt16) -> Float {
    let w = UInt32(h) << 16
    let sign = w & 0x8000_0000
    let twoW = w &+ w
    // Normal numbers: move exponent and mantissa into place, then rebias by multiplying by 2^-112.
    let normalized = Float(bitPattern: (twoW >> 4) &+ (0xE0 << 23)) * Float(bitPattern: 0x0780_0000)
    // Subnormals: put the mantissa under a 0.5 exponent and subtract 0.5.
    let denormalized = Float(bitPattern: (twoW >> 17) | (126 << 23)) - 0.5
    let bits = twoW < (1 << 27) ? denormalized.bitPattern : normalized.bitPattern
    return Float(bitPattern: sign | bits)
}

/// Float → binary16 with round-to-nearest-even; overflow gives ±inf, NaN gives 0x7E00 (sign kept).
@inline(__always)
public func floatToFP16(_ f: Float) -> UInt16 {
    let scaleToInf = Float(bitPattern: 0x7780_0000)   // 2^112
    let scaleToZero = Float(bitPattern: 0x0880_0000)  // 2^-110
    var base = (abs(f) * scaleToInf) * scaleToZero
    let w = f.bitPattern
    let shl1W = w &+ w
    let sign = w & 0x8000_0000
    var bias = shl1W & 0xFF00_0000
    if bias < 0x7100_0000 { bias = 0x7100_0000 }
    base = Float(bitPattern: (bias >> 1) &+ 0x0780_0000) + base
    let bits = base.bitPattern
    let expBits = (bits >> 13) & 0x0000_7C00
    let mantissaBits = bits & 0x0000_0FFF
    let nonsign = expBits &+ mantissaBits
    return UInt16(truncatingIfNeeded: (sign >> 16) | (shl1W > 0xFF00_0000 ? 0x7E00 : nonsign))
}

/// bfloat16 → Float: the 16 bits are the top half of an f32.
@inline(__always)
public func bf16ToFloat(_ b: UInt16) -> Float { Float(bitPattern: UInt32(b) << 16) }

/// Float → bfloat16 with round-to-nearest-even; NaN is kept quiet (ggml `GGML_FP32_TO_BF16`).
@inline(__always)
public func floatToBF16(_ f: Float) -> UInt16 {
    let u = f.bitPattern
    if (u & 0x7FFF_FFFF) > 0x7F80_0000 { return UInt16(truncatingIfNeeded: (u >> 16) | 64) }
    return UInt16(truncatingIfNeeded: (u &+ (0x7FFF &+ ((u >> 16) & 1))) >> 16)
}

/// Reads a little-endian fp16 at `offset` bytes from `p` (blocks are packed, so the read is unaligned).
@inline(__always)
func loadHalf(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
    fp16ToFloat(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
}

@inline(__always)
func storeHalf(_ p: UnsafeMutableRawPointer, _ offset: Int, _ v: Float) {
    p.storeBytes(of: floatToFP16(v).littleEndian, toByteOffset: offset, as: UInt16.self)
}
