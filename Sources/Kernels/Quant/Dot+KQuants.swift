/// Scalar reference dot products of k-quant and ternary weight rows with Q8_K activations.
/// Per super-block: integer sums per sub-block, scaled by the sub-block scale; mins use the Q8_K `bsums`.
enum DotKQuants {
    @inline(__always)
    static func q8K(_ a: UnsafeRawPointer, _ i: Int) -> (d: Float, qs: UnsafePointer<Int8>, block: UnsafeRawPointer) {
        let b = a + i * BlockQ8_K.size
        let d = Float(bitPattern: UInt32(littleEndian: b.loadUnaligned(fromByteOffset: BlockQ8_K.d, as: UInt32.self)))
        return (d, UnsafePointer((b + BlockQ8_K.qs).assumingMemoryBound(to: Int8.self)), b)
    }

    @inline(__always)
    static func bsum(_ b: UnsafeRawPointer, _ g: Int) -> Int32 {
        Int32(Int16(littleEndian: b.loadUnaligned(fromByteOffset: BlockQ8_K.bsums + 2 * g, as: Int16.self)))
    }

    static let q2_K: VecDotFn = { w, a, n in
        var sum: Float = 0
        for i in 0..<(n / QK_K) {
            let bw = w + i * BlockQ2_K.size
            let (da, qa, ba) = q8K(a, i)
            let sc = (bw + BlockQ2_K.scales).assumingMemoryBound(to: UInt8.self)
            let qs = (bw + BlockQ2_K.qs).assumingMemoryBound(to: UInt8.self)
            var isum: Int32 = 0, msum: Int32 = 0
            for g in 0..<16 {
                // Group g covers elements 16g..<16g+16: half g/8, shift 2·((g%8)/2), bytes 16·(g%2) of that half.
                let half = g >> 3, shift = UInt8(2 * ((g & 7) >> 1)), q = qs + 32 * half + 16 * (g & 1)
                var s: Int32 = 0
                for l in 0..<16 { s += Int32((q[l] >> shift) & 3) * Int32(qa[16 * g + l]) }
                isum += Int32(sc[g] & 0xF) * s
                msum += Int32(sc[g] >> 4) * bsum(ba, g)
            }
            sum += da * loadHalf(bw, BlockQ2_K.d) * Float(isum) - da * loadHalf(bw, BlockQ2_K.dmin) * Float(msum)
        }
        return sum
    }

    static let q3_K: VecDotFn = { w, a, n in
        let scales = UnsafeMutablePointer<Int32>.allocate(capacity: 16)
        defer { scales.deallocate() }
        var sum: Float = 0
        for i in 0..<(n / QK_K) {
            let bw = w + i * BlockQ3_K.size
            let (da, qa, _) = q8K(a, i)
            DequantizeKQuants.q3Scales((bw + BlockQ3_K.scales).assumingMemoryBound(to: UInt8.self), scales)
            let hm = (bw + BlockQ3_K.hmask).assumingMemoryBound(to: UInt8.self)
            let qs = (bw + BlockQ3_K.qs).assumingMemoryBound(to: UInt8.self)
            var isum: Int32 = 0
            for g in 0..<16 {
                let half = g >> 3, k = (g & 7) >> 1, shift = UInt8(2 * k)
                let m = UInt8(1) << UInt8(4 * half + k), off = 16 * (g & 1)
                let q = qs + 32 * half + off
                var s: Int32 = 0
                for l in 0..<16 {
                    let v = Int32((q[l] >> shift) & 3) - ((hm[off + l] & m) != 0 ? 0 : 4)
                    s += v * Int32(qa[16 * g + l])
                }
                isum += scales[g] * s
            }
            sum += da * loadHalf(bw, BlockQ3_K.d) * Float(isum)
        }
        return sum
    }

    /// Shared by Q4_K and Q5_K: `fifthBit` adds 16 from qh for Q5_K.
    @inline(__always)
    static func q45K(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, _ n: Int, q5: Bool) -> Float {
        let size = q5 ? BlockQ5_K.size : BlockQ4_K.size
        let qsOff = q5 ? BlockQ5_K.qs : BlockQ4_K.qs
        var sum: Float = 0
        for i in 0..<(n / QK_K) {
            let bw = w + i * size
            let (da, qa, ba) = q8K(a, i)
            let sc = (bw + BlockQ4_K.scales).assumingMemoryBound(to: UInt8.self)
            let qs = (bw + qsOff).assumingMemoryBound(to: UInt8.self)
            let qh = (bw + BlockQ5_K.qh).assumingMemoryBound(to: UInt8.self)
            var isum: Int32 = 0, msum: Int32 = 0
            for j in 0..<8 {
                let (s, m) = DequantizeKQuants.scaleMin(j, sc)
                let q = qs + 32 * (j >> 1), high = (j & 1) == 1, bit = UInt8(1) << UInt8(j)
                var t: Int32 = 0
                for l in 0..<32 {
                    var v = Int32(high ? q[l] >> 4 : q[l] & 0xF)
                    if q5 && (qh[l] & bit) != 0 { v += 16 }
                    t += v * Int32(qa[32 * j + l])
                }
                isum += Int32(s) * t
                msum += Int32(m) * (bsum(ba, 2 * j) + bsum(ba, 2 * j + 1))
            }
            sum += da * loadHalf(bw, BlockQ4_K.d) * Float(isum) - da * loadHalf(bw, BlockQ4_K.dmin) * Float(msum)
        }
        return sum
    }

    static let q4_K: VecDotFn = { w, a, n in q45K(w, a, n, q5: false) }
    static let q5_K: VecDotFn = { w, a, n in q45K(w, a, n, q5: true) }

    static let q6_K: VecDotFn = { w, a, n in
        var sum: Float = 0
        for i in 0..<(n / QK_K) {
            let bw = w + i * BlockQ6_K.size
            let (da, qa, _) = q8K(a, i)
            let sc = (bw + BlockQ6_K.scales).assumingMemoryBound(to: Int8.self)
            var isum: Int32 = 0
            for g in 0..<16 {
                // Group g: half h = g/8, quarter qq = (g%8)/2, l from 16·(g%2).
                let h = g >> 3, qq = (g & 7) >> 1, l0 = 16 * (g & 1)
                let ql = (bw + BlockQ6_K.ql + 64 * h + (qq & 1) * 32).assumingMemoryBound(to: UInt8.self)
                let qh = (bw + BlockQ6_K.qh + 32 * h).assumingMemoryBound(to: UInt8.self)
                let lowShift = UInt8(qq >= 2 ? 4 : 0), highShift = UInt8(2 * qq)
                var s: Int32 = 0
                for l in l0..<(l0 + 16) {
                    let v = Int32(((ql[l] >> lowShift) & 0xF) | (((qh[l] >> highShift) & 3) << 4)) - 32
                    s += v * Int32(qa[16 * g + l - l0])
                }
                isum += Int32(sc[g]) * s
            }
            sum += da * loadHalf(bw, BlockQ6_K.d) * Float(isum)
        }
        return sum
    }

    static let tq1_0: VecDotFn = { w, a, n in
        let codes = UnsafeMutablePointer<Int32>.allocate(capacity: QK_K)
        defer { codes.deallocate() }
        var sum: Float = 0
        for i in 0..<(n / QK_K) {
            let bw = w + i * BlockTQ1_0.size
            let (da, qa, _) = q8K(a, i)
            DequantizeTernary.tq1Codes(bw, codes)
            var isum: Int32 = 0
            for j in 0..<QK_K { isum += (codes[j] - 1) * Int32(qa[j]) }
            sum += da * loadHalf(bw, BlockTQ1_0.d) * Float(isum)
        }
        return sum
    }

    static let tq2_0: VecDotFn = { w, a, n in
        var sum: Float = 0
        for i in 0..<(n / QK_K) {
            let bw = w + i * BlockTQ2_0.size
            let (da, qa, _) = q8K(a, i)
            let qs = (bw + BlockTQ2_0.qs).assumingMemoryBound(to: UInt8.self)
            var isum: Int32 = 0
            for j in stride(from: 0, to: 64, by: 32) {
                for l in 0..<4 {
                    let o = 4 * j + 32 * l
                    for m in 0..<32 { isum += (Int32((qs[j + m] >> UInt8(2 * l)) & 3) - 1) * Int32(qa[o + m]) }
                }
            }
            sum += da * loadHalf(bw, BlockTQ2_0.d) * Float(isum)
        }
        return sum
    }
}
