/// Bit-exact widening of 16-bit floats stored in weight files.
///
/// Written with integer bit operations rather than `Float16` because `Float16` is unavailable on some
/// platforms (macOS on x86_64), and weight readers must behave the same everywhere.
public enum HalfFloatConversion {
    /// IEEE 754 binary16 → Float (exact: every half value is representable).
    @inline(__always)
    public static func float(fromFloat16 h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = UInt32(h >> 10) & 0x1F
        let mantissa = UInt32(h & 0x03FF)
        if exponent == 0 {
            // Zero or subnormal: mantissa · 2^-24.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign != 0 ? -magnitude : magnitude
        }
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))  // inf / NaN (payload kept)
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// bfloat16 → Float: the upper half of a binary32.
    @inline(__always)
    public static func float(fromBFloat16 b: UInt16) -> Float {
        Float(bitPattern: UInt32(b) << 16)
    }

    /// Widens `count` little-endian binary16 values starting at `src` into `dst`.
    public static func widenFloat16(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableBufferPointer<Float>) {
        precondition(src.count >= dst.count * 2, "source too short for the float16 widening")
        for i in 0..<dst.count {
            dst[i] = float(fromFloat16: UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
        }
    }

    /// Widens `count` little-endian bfloat16 values starting at `src` into `dst`.
    public static func widenBFloat16(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableBufferPointer<Float>) {
        precondition(src.count >= dst.count * 2, "source too short for the bfloat16 widening")
        for i in 0..<dst.count {
            dst[i] = float(fromBFloat16: UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
        }
    }
}
