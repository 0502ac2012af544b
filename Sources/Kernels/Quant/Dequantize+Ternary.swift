/// Scalar reference dequantization of the 1- and 2-bit types: TQ1_0, TQ2_0 (ggml), Q1_0, Q2_0 and
/// PrismML's PQ2_0 (FORMATS.md §2–3).
enum DequantizeTernary {
    /// Trit `n` (0..<5) of a base-3 fixed-point byte: `((uint8)(b·3ⁿ) · 3) >> 8`, in 0...2.
    @inline(__always)
    static func trit(_ b: UInt8, _ pow3: UInt8) -> Int32 {
        Int32((UInt16(b &* pow3) &* 3) >> 8)
    }

    @inline(__always)
    static func pow3At(_ n: Int) -> UInt8 {
        switch n { case 0: return 1; case 1: return 3; case 2: return 9; case 3: return 27; default: return 81 }
    }

    /// Element index → weight code (0, 1, 2) of one TQ1_0 block, in ggml's output order.
    @inline(__always)
    static func tq1Codes(_ b: UnsafeRawPointer, _ out: UnsafeMutablePointer<Int32>) {
        let qs = (b + BlockTQ1_0.qs).assumingMemoryBound(to: UInt8.self)
        let qh = (b + BlockTQ1_0.qh).assumingMemoryBound(to: UInt8.self)
        var k = 0
        for n in 0..<5 { let p = pow3At(n); for m in 0..<32 { out[k] = trit(qs[m], p); k += 1 } }
        for n in 0..<5 { let p = pow3At(n); for m in 0..<16 { out[k] = trit(qs[32 + m], p); k += 1 } }
        for n in 0..<4 { let p = pow3At(n); for j in 0..<4 { out[k] = trit(qh[j], p); k += 1 } }
    }

    static let tq1_0: DequantizeRowFn = { src, dst, count in
        let codes = UnsafeMutablePointer<Int32>.allocate(capacity: QK_K)
        defer { codes.deallocate() }
        for i in 0..<(count / QK_K) {
            let b = src + i * BlockTQ1_0.size, y = dst + i * QK_K
            let d = loadHalf(b, BlockTQ1_0.d)
            tq1Codes(b, codes)
            for j in 0..<QK_K { y[j] = Float(codes[j] - 1) * d }
        }
    }

    static let tq2_0: DequantizeRowFn = { src, dst, count in
        for i in 0..<(count / QK_K) {
            let b = src + i * BlockTQ2_0.size, y = dst + i * QK_K
            let d = loadHalf(b, BlockTQ2_0.d)
            let qs = (b + BlockTQ2_0.qs).assumingMemoryBound(to: UInt8.self)
            for j in stride(from: 0, to: 64, by: 32) {
                for l in 0..<4 {
                    let o = y + 4 * j + 32 * l
                    for m in 0..<32 { o[m] = Float(Int32((qs[j + m] >> UInt8(2 * l)) & 3) - 1) * d }
                }
            }
        }
    }

    static let q1_0: DequantizeRowFn = { src, dst, count in
        for i in 0..<(count / 128) {
            let b = src + i * BlockQ1_0.size, y = dst + i * 128
            let d = loadHalf(b, BlockQ1_0.d)
            let qs = (b + BlockQ1_0.qs).assumingMemoryBound(to: UInt8.self)
            for j in 0..<128 { y[j] = (qs[j >> 3] >> UInt8(j & 7)) & 1 != 0 ? d : -d }
        }
    }

    /// 2-bit codes LSB-first, `w = (code − 1)·d`, for a group of `group` elements at `qsOffset`.
    @inline(__always)
    static func twoBit(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ count: Int,
                       group: Int, blockBytes: Int) {
        for i in 0..<(count / group) {
            let b = src + i * blockBytes, y = dst + i * group
            let d = loadHalf(b, 0)
            let qs = (b + 2).assumingMemoryBound(to: UInt8.self)
            for j in 0..<group { y[j] = Float(Int32((qs[j >> 2] >> UInt8(2 * (j & 3))) & 3) - 1) * d }
        }
    }

    static let q2_0: DequantizeRowFn = { src, dst, count in
        twoBit(src, dst, count, group: 64, blockBytes: BlockQ2_0.size)
    }

    static let pq2_0: DequantizeRowFn = { src, dst, count in
        twoBit(src, dst, count, group: 128, blockBytes: BlockPQ2_0.size)
    }
}
