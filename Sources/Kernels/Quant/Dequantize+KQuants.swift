/// Scalar reference dequantization of the 256-element k-quant super-blocks (ggml `dequantize_row_q*_K`).
enum DequantizeKQuants {
    /// 6-bit (scale, min) pair `j` (0..<8) of a Q4_K/Q5_K block (ggml `get_scale_min_k4`).
    @inline(__always)
    static func scaleMin(_ j: Int, _ s: UnsafePointer<UInt8>) -> (UInt8, UInt8) {
        if j < 4 { return (s[j] & 63, s[j + 4] & 63) }
        return ((s[j + 4] & 0xF) | ((s[j - 4] >> 6) << 4), (s[j + 4] >> 4) | ((s[j] >> 6) << 4))
    }

    /// The 16 signed 6-bit scales of a Q3_K block, unpacked from 12 bytes (each still biased by 32).
    @inline(__always)
    static func q3Scales(_ s: UnsafePointer<UInt8>, _ out: UnsafeMutablePointer<Int32>) {
        for j in 0..<16 {
            let low = j < 8 ? (s[j] & 0xF) : (s[j - 8] >> 4)
            let high = (s[8 + (j & 3)] >> UInt8(2 * (j >> 2))) & 3
            out[j] = Int32(low | (high << 4)) - 32
        }
    }

    static let q2_K: DequantizeRowFn = { src, dst, count in
        for i in 0..<(count / QK_K) {
            let b = src + i * BlockQ2_K.size
            var y = dst + i * QK_K
            let d = loadHalf(b, BlockQ2_K.d), dmin = loadHalf(b, BlockQ2_K.dmin)
            let sc = (b + BlockQ2_K.scales).assumingMemoryBound(to: UInt8.self)
            var q = (b + BlockQ2_K.qs).assumingMemoryBound(to: UInt8.self)
            var isc = 0
            for _ in 0..<2 {
                for shift in stride(from: UInt8(0), to: 8, by: 2) {
                    for half in 0..<2 {
                        let s = sc[isc]; isc += 1
                        let dl = d * Float(s & 0xF), ml = dmin * Float(s >> 4)
                        for l in 0..<16 { y[l] = dl * Float((q[16 * half + l] >> shift) & 3) - ml }
                        y += 16
                    }
                }
                q += 32
            }
        }
    }

    static let q3_K: DequantizeRowFn = { src, dst, count in
        let scales = UnsafeMutablePointer<Int32>.allocate(capacity: 16)
        defer { scales.deallocate() }
        for i in 0..<(count / QK_K) {
            let b = src + i * BlockQ3_K.size
            var y = dst + i * QK_K
            let d = loadHalf(b, BlockQ3_K.d)
            q3Scales((b + BlockQ3_K.scales).assumingMemoryBound(to: UInt8.self), scales)
            let hm = (b + BlockQ3_K.hmask).assumingMemoryBound(to: UInt8.self)
            var q = (b + BlockQ3_K.qs).assumingMemoryBound(to: UInt8.self)
            var isc = 0
            var m: UInt8 = 1
            for _ in 0..<2 {
                for shift in stride(from: UInt8(0), to: 8, by: 2) {
                    for half in 0..<2 {
                        let dl = d * Float(scales[isc]); isc += 1
                        for l in 0..<16 {
                            let k = 16 * half + l
                            let v = Int32((q[k] >> shift) & 3) - ((hm[k] & m) != 0 ? 0 : 4)
                            y[l] = dl * Float(v)
                        }
                        y += 16
                    }
                    m <<= 1
                }
                q += 32
            }
        }
    }

    static let q4_K: DequantizeRowFn = { src, dst, count in
        for i in 0..<(count / QK_K) {
            let b = src + i * BlockQ4_K.size
            let y = dst + i * QK_K
            let d = loadHalf(b, BlockQ4_K.d), dmin = loadHalf(b, BlockQ4_K.dmin)
            let sc = (b + BlockQ4_K.scales).assumingMemoryBound(to: UInt8.self)
            let qs = (b + BlockQ4_K.qs).assumingMemoryBound(to: UInt8.self)
            for c in 0..<4 {
                let (s1, m1) = scaleMin(2 * c, sc), (s2, m2) = scaleMin(2 * c + 1, sc)
                let d1 = d * Float(s1), mm1 = dmin * Float(m1)
                let d2 = d * Float(s2), mm2 = dmin * Float(m2)
                let q = qs + 32 * c, o = y + 64 * c
                for l in 0..<32 { o[l] = d1 * Float(q[l] & 0xF) - mm1 }
                for l in 0..<32 { o[32 + l] = d2 * Float(q[l] >> 4) - mm2 }
            }
        }
    }

    static let q5_K: DequantizeRowFn = { src, dst, count in
        for i in 0..<(count / QK_K) {
            let b = src + i * BlockQ5_K.size
            let y = dst + i * QK_K
            let d = loadHalf(b, BlockQ5_K.d), dmin = loadHalf(b, BlockQ5_K.dmin)
            let sc = (b + BlockQ5_K.scales).assumingMemoryBound(to: UInt8.self)
            let qh = (b + BlockQ5_K.qh).assumingMemoryBound(to: UInt8.self)
            let qs = (b + BlockQ5_K.qs).assumingMemoryBound(to: UInt8.self)
            for c in 0..<4 {
                let (s1, m1) = scaleMin(2 * c, sc), (s2, m2) = scaleMin(2 * c + 1, sc)
                let d1 = d * Float(s1), mm1 = dmin * Float(m1)
                let d2 = d * Float(s2), mm2 = dmin * Float(m2)
                let u1 = UInt8(1) << UInt8(2 * c), u2 = UInt8(2) << UInt8(2 * c)
                let q = qs + 32 * c, o = y + 64 * c
                for l in 0..<32 { o[l] = d1 * Float((q[l] & 0xF) + ((qh[l] & u1) != 0 ? 16 : 0)) - mm1 }
                for l in 0..<32 { o[32 + l] = d2 * Float((q[l] >> 4) + ((qh[l] & u2) != 0 ? 16 : 0)) - mm2 }
            }
        }
    }

    static let q6_K: DequantizeRowFn = { src, dst, count in
        for i in 0..<(count / QK_K) {
            let b = src + i * BlockQ6_K.size
            let d = loadHalf(b, BlockQ6_K.d)
            for h in 0..<2 {
                let ql = (b + BlockQ6_K.ql + 64 * h).assumingMemoryBound(to: UInt8.self)
                let qh = (b + BlockQ6_K.qh + 32 * h).assumingMemoryBound(to: UInt8.self)
                let sc = (b + BlockQ6_K.scales + 8 * h).assumingMemoryBound(to: Int8.self)
                let y = dst + i * QK_K + 128 * h
                for l in 0..<32 {
                    let isc = l / 16
                    let q1 = Int32((ql[l] & 0xF) | ((qh[l] & 3) << 4)) - 32
                    let q2 = Int32((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32
                    let q3 = Int32((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32
                    let q4 = Int32((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32
                    y[l] = d * Float(sc[isc]) * Float(q1)
                    y[l + 32] = d * Float(sc[isc + 2]) * Float(q2)
                    y[l + 64] = d * Float(sc[isc + 4]) * Float(q3)
                    y[l + 96] = d * Float(sc[isc + 6]) * Float(q4)
                }
            }
        }
    }

    static let q8_K: DequantizeRowFn = { src, dst, count in
        for i in 0..<(count / QK_K) {
            let b = src + i * BlockQ8_K.size, y = dst + i * QK_K
            let d = Float(bitPattern: UInt32(littleEndian: b.loadUnaligned(fromByteOffset: BlockQ8_K.d, as: UInt32.self)))
            let qs = (b + BlockQ8_K.qs).assumingMemoryBound(to: Int8.self)
            for j in 0..<QK_K { y[j] = d * Float(qs[j]) }
        }
    }
}
