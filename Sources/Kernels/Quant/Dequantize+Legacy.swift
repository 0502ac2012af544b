/// Scalar reference dequantization of the plain float types and the 32-element legacy blocks.
///
/// All functions take `count` elements (a whole number of blocks; the caller checks) and write `count`
/// floats. Operation order follows ggml's `dequantize_row_*` so results are bit-identical to gguf-py.
enum DequantizeLegacy {
    static let f32: DequantizeRowFn = { src, dst, count in
        dst.update(from: src.assumingMemoryBound(to: Float.self), count: count)
    }

    static let f16: DequantizeRowFn = { src, dst, count in
        for i in 0..<count { dst[i] = loadHalf(src, 2 * i) }
    }

    static let bf16: DequantizeRowFn = { src, dst, count in
        for i in 0..<count {
            dst[i] = bf16ToFloat(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
        }
    }

    static let q4_0: DequantizeRowFn = { src, dst, count in
        for i in 0..<(count / 32) {
            let b = src + i * BlockQ4_0.size, y = dst + i * 32
            let d = loadHalf(b, BlockQ4_0.d)
            let qs = (b + BlockQ4_0.qs).assumingMemoryBound(to: UInt8.self)
            for j in 0..<16 {
                y[j] = Float(Int32(qs[j] & 0xF) - 8) * d
                y[j + 16] = Float(Int32(qs[j] >> 4) - 8) * d
            }
        }
    }

    static let q4_1: DequantizeRowFn = { src, dst, count in
        for i in 0..<(count / 32) {
            let b = src + i * BlockQ4_1.size, y = dst + i * 32
            let d = loadHalf(b, BlockQ4_1.d), m = loadHalf(b, BlockQ4_1.m)
            let qs = (b + BlockQ4_1.qs).assumingMemoryBound(to: UInt8.self)
            for j in 0..<16 {
                y[j] = Float(qs[j] & 0xF) * d + m
                y[j + 16] = Float(qs[j] >> 4) * d + m
            }
        }
    }

    static let q5_0: DequantizeRowFn = { src, dst, count in
        for i in 0..<(count / 32) {
            let b = src + i * BlockQ5_0.size, y = dst + i * 32
            let d = loadHalf(b, BlockQ5_0.d)
            let qh = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: BlockQ5_0.qh, as: UInt32.self))
            let qs = (b + BlockQ5_0.qs).assumingMemoryBound(to: UInt8.self)
            for j in 0..<16 {
                let h0 = UInt8(truncatingIfNeeded: (qh >> UInt32(j)) << 4) & 0x10
                let h1 = UInt8(truncatingIfNeeded: (qh >> UInt32(j + 12))) & 0x10
                y[j] = Float(Int32((qs[j] & 0xF) | h0) - 16) * d
                y[j + 16] = Float(Int32((qs[j] >> 4) | h1) - 16) * d
            }
        }
    }

    static let q5_1: DequantizeRowFn = { src, dst, count in
        for i in 0..<(count / 32) {
            let b = src + i * BlockQ5_1.size, y = dst + i * 32
            let d = loadHalf(b, BlockQ5_1.d), m = loadHalf(b, BlockQ5_1.m)
            let qh = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: BlockQ5_1.qh, as: UInt32.self))
            let qs = (b + BlockQ5_1.qs).assumingMemoryBound(to: UInt8.self)
            for j in 0..<16 {
                let h0 = UInt8(truncatingIfNeeded: (qh >> UInt32(j)) << 4) & 0x10
                let h1 = UInt8(truncatingIfNeeded: (qh >> UInt32(j + 12))) & 0x10
                y[j] = Float((qs[j] & 0xF) | h0) * d + m
                y[j + 16] = Float((qs[j] >> 4) | h1) * d + m
            }
        }
    }

    static let q8_0: DequantizeRowFn = { src, dst, count in
        for i in 0..<(count / 32) {
            let b = src + i * BlockQ8_0.size, y = dst + i * 32
            let d = loadHalf(b, BlockQ8_0.d)
            let qs = (b + BlockQ8_0.qs).assumingMemoryBound(to: Int8.self)
            for j in 0..<32 { y[j] = Float(qs[j]) * d }
        }
    }

    static let q8_1: DequantizeRowFn = { src, dst, count in
        for i in 0..<(count / 32) {
            let b = src + i * BlockQ8_1.size, y = dst + i * 32
            let d = loadHalf(b, BlockQ8_1.d)
            let qs = (b + BlockQ8_1.qs).assumingMemoryBound(to: Int8.self)
            for j in 0..<32 { y[j] = Float(qs[j]) * d }
        }
    }
}
