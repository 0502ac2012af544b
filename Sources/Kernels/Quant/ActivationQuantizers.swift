/// Quantizers for the activation side of a dot product (ggml's `vec_dot_type`s) with the semantics of llama.cpp's
/// x86 build: `quantize_row_q8_0` / `quantize_row_q8_1` of ggml-cpu/arch/x86/quants.c (id = 127/max, ties to
/// even — not the portable `_ref`, which uses 1/d and `roundf`), `quantize_row_q8_K_ref`, plus the plain
/// fp16/bf16/f32 conversions. `count` is a whole number of blocks (the caller checks).
enum ActivationQuantizers {
    /// A rounded value as Int8; NaN becomes 0 and out-of-range values clamp instead of trapping.
    @inline(__always)
    static func clampedInt8(_ r: Float) -> Int8 {
        guard r == r else { return 0 }
        if r >= 127 { return 127 }
        if r <= -128 { return -128 }
        return Int8(r)
    }

    @inline(__always)
    static func absMax(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var amax: Float = 0
        for j in 0..<n { let v = abs(x[j]); amax = amax > v ? amax : v }
        return amax
    }

    static let f32: QuantizeRowFn = { src, dst, count in
        dst.copyMemory(from: src, byteCount: 4 * count)
    }

    static let f16: QuantizeRowFn = { src, dst, count in
        for i in 0..<count { storeHalf(dst, 2 * i, src[i]) }
    }

    static let bf16: QuantizeRowFn = { src, dst, count in
        for i in 0..<count { dst.storeBytes(of: floatToBF16(src[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self) }
    }

    /// d = max|x| / 127, q = x · (127 / max|x|) rounded to nearest even.
    static let q8_0: QuantizeRowFn = { src, dst, count in
        for i in 0..<(count / 32) {
            let x = src + 32 * i, b = dst + BlockQ8_0.size * i
            let amax = absMax(x, 32)
            let id: Float = amax != 0 ? 127 / amax : 0
            storeHalf(b, BlockQ8_0.d, amax / 127)
            let qs = (b + BlockQ8_0.qs).assumingMemoryBound(to: Int8.self)
            for j in 0..<32 { qs[j] = clampedInt8((x[j] * id).rounded(.toNearestOrEven)) }
        }
    }

    /// As Q8_0, plus s = fp16(d · Σq) for the weights' minimum term.
    static let q8_1: QuantizeRowFn = { src, dst, count in
        for i in 0..<(count / 32) {
            let x = src + 32 * i, b = dst + BlockQ8_1.size * i
            let amax = absMax(x, 32)
            let d = amax / 127
            let id: Float = amax != 0 ? 127 / amax : 0
            storeHalf(b, BlockQ8_1.d, d)
            let qs = (b + BlockQ8_1.qs).assumingMemoryBound(to: Int8.self)
            var sum: Int32 = 0
            for j in 0..<32 {
                qs[j] = clampedInt8((x[j] * id).rounded(.toNearestOrEven))
                sum += Int32(qs[j])
            }
            storeHalf(b, BlockQ8_1.s, Float(sum) * d)
        }
    }

    /// Scale from the signed extreme: iscale = −127/max, q = min(127, rint(iscale·x)), d = 1/iscale (f32),
    /// bsums = sums of 16 quants. An all-zero block gets d = 0 and zero quants and sums.
    static let q8_K: QuantizeRowFn = { src, dst, count in
        for i in 0..<(count / QK_K) {
            let x = src + QK_K * i, b = dst + BlockQ8_K.size * i
            var amax: Float = 0, maxv: Float = 0
            for j in 0..<QK_K { let ax = abs(x[j]); if ax > amax { amax = ax; maxv = x[j] } }
            let qs = (b + BlockQ8_K.qs).assumingMemoryBound(to: Int8.self)
            if amax == 0 {
                b.storeBytes(of: UInt32(0), toByteOffset: BlockQ8_K.d, as: UInt32.self)
                (b + BlockQ8_K.qs).initializeMemory(as: UInt8.self, repeating: 0, count: QK_K + 32)
                continue
            }
            let iscale = -127 / maxv
            for j in 0..<QK_K { qs[j] = clampedInt8(Swift.min(127, (iscale * x[j]).rounded(.toNearestOrEven))) }
            for g in 0..<16 {
                var s: Int16 = 0
                for l in 0..<16 { s &+= Int16(qs[16 * g + l]) }
                b.storeBytes(of: s.littleEndian, toByteOffset: BlockQ8_K.bsums + 2 * g, as: Int16.self)
            }
            b.storeBytes(of: (1 / iscale).bitPattern.littleEndian, toByteOffset: BlockQ8_K.d, as: UInt32.self)
        }
    }
}
