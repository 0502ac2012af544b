/// Scalar reference dot products of one weight row with activations already in the weight type's
/// `vecDotType` (ggml `ggml_vec_dot_*` generic paths). Integer sums per block, one float scale per block.
enum DotLegacy {
    static let f32: VecDotFn = { w, a, n in
        let x = w.assumingMemoryBound(to: Float.self), y = a.assumingMemoryBound(to: Float.self)
        var s: Double = 0
        for i in 0..<n { s += Double(x[i] * y[i]) }
        return Float(s)
    }

    static let f16: VecDotFn = { w, a, n in
        var s: Double = 0
        for i in 0..<n { s += Double(loadHalf(w, 2 * i) * loadHalf(a, 2 * i)) }
        return Float(s)
    }

    static let bf16: VecDotFn = { w, a, n in
        var s: Double = 0
        for i in 0..<n {
            let x = bf16ToFloat(UInt16(littleEndian: w.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            let y = bf16ToFloat(UInt16(littleEndian: a.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            s += Double(x * y)
        }
        return Float(s)
    }

    /// Q4_0 · Q8_0: Σ_blocks d_w·d_a·Σ (q−8)·q_a.
    static let q4_0: VecDotFn = { w, a, n in
        var sum: Float = 0
        for i in 0..<(n / 32) {
            let bw = w + i * BlockQ4_0.size, ba = a + i * BlockQ8_0.size
            let qs = (bw + BlockQ4_0.qs).assumingMemoryBound(to: UInt8.self)
            let qa = (ba + BlockQ8_0.qs).assumingMemoryBound(to: Int8.self)
            var isum: Int32 = 0
            for j in 0..<16 { isum += (Int32(qs[j] & 0xF) - 8) * Int32(qa[j]) }
            for j in 0..<16 { isum += (Int32(qs[j] >> 4) - 8) * Int32(qa[j + 16]) }
            sum += Float(isum) * loadHalf(bw, BlockQ4_0.d) * loadHalf(ba, BlockQ8_0.d)
        }
        return sum
    }

    /// Q4_1 · Q8_1: Σ_blocks d_w·d_a·Σ q·q_a + m_w·s_a.
    static let q4_1: VecDotFn = { w, a, n in
        var sum: Float = 0
        for i in 0..<(n / 32) {
            let bw = w + i * BlockQ4_1.size, ba = a + i * BlockQ8_1.size
            let qs = (bw + BlockQ4_1.qs).assumingMemoryBound(to: UInt8.self)
            let qa = (ba + BlockQ8_1.qs).assumingMemoryBound(to: Int8.self)
            var isum: Int32 = 0
            for j in 0..<16 { isum += Int32(qs[j] & 0xF) * Int32(qa[j]) }
            for j in 0..<16 { isum += Int32(qs[j] >> 4) * Int32(qa[j + 16]) }
            sum += Float(isum) * loadHalf(bw, BlockQ4_1.d) * loadHalf(ba, BlockQ8_1.d)
                + loadHalf(bw, BlockQ4_1.m) * loadHalf(ba, BlockQ8_1.s)
        }
        return sum
    }

    @inline(__always)
    static func q5Values(_ qs: UnsafePointer<UInt8>, _ qh: UInt32, _ j: Int) -> (Int32, Int32) {
        let lo = Int32(qs[j] & 0xF) | Int32((qh >> UInt32(j)) & 1) << 4
        let hi = Int32(qs[j] >> 4) | Int32((qh >> UInt32(j + 16)) & 1) << 4
        return (lo, hi)
    }

    static let q5_0: VecDotFn = { w, a, n in
        var sum: Float = 0
        for i in 0..<(n / 32) {
            let bw = w + i * BlockQ5_0.size, ba = a + i * BlockQ8_0.size
            let qh = UInt32(littleEndian: bw.loadUnaligned(fromByteOffset: BlockQ5_0.qh, as: UInt32.self))
            let qs = (bw + BlockQ5_0.qs).assumingMemoryBound(to: UInt8.self)
            let qa = (ba + BlockQ8_0.qs).assumingMemoryBound(to: Int8.self)
            var isum: Int32 = 0
            for j in 0..<16 {
                let (lo, hi) = q5Values(qs, qh, j)
                isum += (lo - 16) * Int32(qa[j]) + (hi - 16) * Int32(qa[j + 16])
            }
            sum += Float(isum) * loadHalf(bw, BlockQ5_0.d) * loadHalf(ba, BlockQ8_0.d)
        }
        return sum
    }

    static let q5_1: VecDotFn = { w, a, n in
        var sum: Float = 0
        for i in 0..<(n / 32) {
            let bw = w + i * BlockQ5_1.size, ba = a + i * BlockQ8_1.size
            let qh = UInt32(littleEndian: bw.loadUnaligned(fromByteOffset: BlockQ5_1.qh, as: UInt32.self))
            let qs = (bw + BlockQ5_1.qs).assumingMemoryBound(to: UInt8.self)
            let qa = (ba + BlockQ8_1.qs).assumingMemoryBound(to: Int8.self)
            var isum: Int32 = 0
            for j in 0..<16 {
                let (lo, hi) = q5Values(qs, qh, j)
                isum += lo * Int32(qa[j]) + hi * Int32(qa[j + 16])
            }
            sum += Float(isum) * loadHalf(bw, BlockQ5_1.d) * loadHalf(ba, BlockQ8_1.d)
                + loadHalf(bw, BlockQ5_1.m) * loadHalf(ba, BlockQ8_1.s)
        }
        return sum
    }

    static let q8_0: VecDotFn = { w, a, n in
        var sum: Float = 0
        for i in 0..<(n / 32) {
            let bw = w + i * BlockQ8_0.size, ba = a + i * BlockQ8_0.size
            let qw = (bw + BlockQ8_0.qs).assumingMemoryBound(to: Int8.self)
            let qa = (ba + BlockQ8_0.qs).assumingMemoryBound(to: Int8.self)
            var isum: Int32 = 0
            for j in 0..<32 { isum += Int32(qw[j]) * Int32(qa[j]) }
            sum += Float(isum) * loadHalf(bw, BlockQ8_0.d) * loadHalf(ba, BlockQ8_0.d)
        }
        return sum
    }

    /// Q1_0 (128) · 4 × Q8_0: a set bit adds the activation, a clear bit subtracts it.
    static let q1_0: VecDotFn = { w, a, n in
        var sum: Float = 0
        for i in 0..<(n / 128) {
            let bw = w + i * BlockQ1_0.size
            let qs = (bw + BlockQ1_0.qs).assumingMemoryBound(to: UInt8.self)
            var blockSum: Float = 0
            for k in 0..<4 {
                let ba = a + (4 * i + k) * BlockQ8_0.size
                let qa = (ba + BlockQ8_0.qs).assumingMemoryBound(to: Int8.self)
                var isum: Int32 = 0
                for j in 0..<32 {
                    let e = 32 * k + j
                    let bit = Int32((qs[e >> 3] >> UInt8(e & 7)) & 1)
                    isum += (2 * bit - 1) * Int32(qa[j])
                }
                blockSum += Float(isum) * loadHalf(ba, BlockQ8_0.d)
            }
            sum += blockSum * loadHalf(bw, BlockQ1_0.d)
        }
        return sum
    }

    /// 2-bit ternary (Q2_0 g64 / PQ2_0 g128) · Q8_0: `group / 32` activation blocks per weight block.
    @inline(__always)
    static func twoBit(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, _ n: Int, group: Int, blockBytes: Int) -> Float {
        var sum: Float = 0
        let perBlock = group / 32
        for i in 0..<(n / group) {
            let bw = w + i * blockBytes
            let qs = (bw + 2).assumingMemoryBound(to: UInt8.self)
            var blockSum: Float = 0
            for k in 0..<perBlock {
                let ba = a + (perBlock * i + k) * BlockQ8_0.size
                let qa = (ba + BlockQ8_0.qs).assumingMemoryBound(to: Int8.self)
                var isum: Int32 = 0
                for j in 0..<32 {
                    let e = 32 * k + j
                    isum += (Int32((qs[e >> 2] >> UInt8(2 * (e & 3))) & 3) - 1) * Int32(qa[j])
                }
                blockSum += Float(isum) * loadHalf(ba, BlockQ8_0.d)
            }
            sum += blockSum * loadHalf(bw, 0)
        }
        return sum
    }

    static let q2_0: VecDotFn = { w, a, n in twoBit(w, a, n, group: 64, blockBytes: BlockQ2_0.size) }
    static let pq2_0: VecDotFn = { w, a, n in twoBit(w, a, n, group: 128, blockBytes: BlockPQ2_0.size) }
}
