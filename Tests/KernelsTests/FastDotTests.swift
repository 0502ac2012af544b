import Testing
import Kernels

/// Every SIMD dot product against its scalar twin in the traits table (the reference, itself pinned to gguf-py).
///
/// Tolerance: the integer part of every block must be identical, so fast and scalar may differ only in the order
/// the per-block float products are added. Asserted bound: |fast − scalar| ≤ 1e-5 · M, where M = Σᵢ |wᵢ·aᵢ| over the
/// dequantized rows, with the "scale" and "minimum" halves of Q4_1/Q5_1/Q4_K/Q5_K weights counted separately
/// (the reference adds them as two large terms). Float32 summation of ≤ ~300 terms errs by ≤ ~2e-5·M in the worst
/// case and ~1e-6·M in practice; an integer slip of one code would show up far above it at these sizes — and the
/// unit-scale test below checks the integers bit-exactly.
@Suite struct FastDotTests {
    static let weightTypes: [GGMLType] = [.q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q1_0, .q2_0, .pq2_0,
                                          .q4_K, .q5_K, .q6_K, .tq1_0, .tq2_0]
    static let floatTypes: [GGMLType] = [.f32, .f16, .bf16]

    /// Offsets of the fp16 scale fields in each weight block; the second list holds the "minimum" fields.
    static func scaleFields(_ t: GGMLType) -> (scales: [Int], mins: [Int]) {
        switch t {
        case .q4_1, .q5_1, .q4_K, .q5_K: return ([0], [2])
        case .q6_K: return ([BlockQ6_K.d], [])
        case .tq1_0: return ([BlockTQ1_0.d], [])
        case .tq2_0: return ([BlockTQ2_0.d], [])
        default: return ([0], [])
        }
    }

    /// A scale as fp16 bits, cycling through ordinary, negative, zero, subnormal and large values.
    static func half(_ rng: inout TestRandom, kind: Int) -> UInt16 {
        switch kind % 6 {
        case 0: return floatToFP16(rng.float(1))
        case 1: return floatToFP16(-abs(rng.float(0.05)) - 1e-3)
        case 2: return 0
        case 3: return UInt16(1 + rng.next() % 0x3FF) | (rng.next() & 1 == 0 ? 0 : 0x8000)  // subnormal
        case 4: return rng.next() & 1 == 0 ? 0x7BFF : 0xFBFF                                   // ±65504
        default: return floatToFP16(rng.float(300))
        }
    }

    static func put16(_ b: inout [UInt8], _ o: Int, _ v: UInt16) {
        b[o] = UInt8(v & 0xFF)
        b[o + 1] = UInt8(v >> 8)
    }

    /// Random weight blocks: random bytes, some blocks all-ones (max codes) or all-zero, scale fields from `half`
    /// (or exactly 1.0 when `unit`).
    static func weights(_ t: GGMLType, blocks: Int, rng: inout TestRandom, unit: Bool = false) -> [UInt8] {
        let size = t.bytesPerBlock
        var b = (0..<(blocks * size)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let (scales, mins) = scaleFields(t)
        for i in 0..<blocks {
            if !unit && i % 5 == 1 { for j in 0..<size { b[i * size + j] = 0xFF } }
            if !unit && i % 5 == 3 { for j in 0..<size { b[i * size + j] = 0 } }
            for o in scales + mins { put16(&b, i * size + o, unit ? 0x3C00 : half(&rng, kind: i + o)) }
        }
        return b
    }

    /// Random activation codes in [−127, 127]; some blocks pinned at +127 / −127.
    static func codes(_ count: Int, block: Int, rng: inout TestRandom, small: Bool) -> [Int8] {
        (0..<count).map { j in
            if !small && block % 4 == 1 { return 127 }
            if !small && block % 4 == 2 { return -127 }
            let r = Int(rng.next() % 255) - 127
            return Int8(small ? r / 8 : r)
        }
    }

    /// Activation blocks of `t` (Q8_0, Q8_1, Q8_K) consistent with themselves (Q8_1 s = d·Σq, Q8_K bsums).
    static func activations(_ t: GGMLType, elements: Int, rng: inout TestRandom, unit: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        switch t {
        case .q8_0, .q8_1:
            for i in 0..<(elements / 32) {
                let q = codes(32, block: i, rng: &rng, small: unit)
                var d = unit ? 0x3C00 : half(&rng, kind: i + 1)
                // Q8_1 s = d·Σq must stay finite (it is for any real activation row)
                let sum = q.reduce(0) { $0 + Int($1) }
                if t == .q8_1 && !fp16ToFloat(floatToFP16(Float(sum) * fp16ToFloat(d))).isFinite { d = 0x2E66 }
                var b = [UInt8](repeating: 0, count: t.bytesPerBlock)
                put16(&b, 0, d)
                let qs = t == .q8_0 ? BlockQ8_0.qs : BlockQ8_1.qs
                if t == .q8_1 {
                    put16(&b, BlockQ8_1.s, floatToFP16(Float(sum) * fp16ToFloat(d)))
                }
                for j in 0..<32 { b[qs + j] = UInt8(bitPattern: q[j]) }
                out += b
            }
        case .q8_K:
            for i in 0..<(elements / 256) {
                let q = codes(256, block: i, rng: &rng, small: unit)
                let ds: [Float] = [rng.float(0.02), -0.01, 0, 3.5e4, 1e-20]
                let d: Float = unit ? 1 : ds[i % ds.count]
                var b = [UInt8](repeating: 0, count: BlockQ8_K.size)
                let bits = d.bitPattern
                for k in 0..<4 { b[k] = UInt8(truncatingIfNeeded: bits >> (8 * UInt32(k))) }
                for j in 0..<256 { b[BlockQ8_K.qs + j] = UInt8(bitPattern: q[j]) }
                for g in 0..<16 {
                    let s = q[(16 * g)..<(16 * g + 16)].reduce(0) { $0 + Int($1) }
                    put16(&b, BlockQ8_K.bsums + 2 * g, UInt16(bitPattern: Int16(s)))
                }
                out += b
            }
        default: preconditionFailure("not an activation type")
        }
        return out
    }

    static func dequant(_ t: GGMLType, _ bytes: [UInt8], _ n: Int) -> [Float] {
        var y = [Float](repeating: 0, count: n)
        bytes.withUnsafeBytes { src in y.withUnsafeMutableBufferPointer { t.dequantizeRow(src: src.baseAddress!, dst: $0.baseAddress!, count: n) } }
        return y
    }

    /// M = Σ |wᵢ·aᵢ|, scale and minimum halves counted separately.
    static func magnitude(_ t: GGMLType, _ w: [UInt8], _ a: [UInt8], _ n: Int) -> Double {
        let av = dequant(t.traits.vecDotType, a, n)
        let (scales, mins) = scaleFields(t)
        var parts: [[UInt8]] = [w]
        if !mins.isEmpty {
            var noMin = w, noScale = w
            for i in 0..<(n / t.blockSize) {
                for o in mins { put16(&noMin, i * t.bytesPerBlock + o, 0) }
                for o in scales { put16(&noScale, i * t.bytesPerBlock + o, 0) }
            }
            parts = [noMin, noScale]
        }
        return parts.reduce(0.0) { acc, p in
            let wv = dequant(t, p, n)
            return acc + zip(wv, av).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
        }
    }

    static func run(_ f: VecDotFn, _ w: [UInt8], _ a: [UInt8], _ n: Int) -> Float {
        w.withUnsafeBytes { wp in a.withUnsafeBytes { ap in f(wp.baseAddress!, ap.baseAddress!, n) } }
    }

    @Test(arguments: weightTypes)
    func quantizedDotMatchesScalar(type: GGMLType) throws {
        let fast = try #require(type.fastDot, "no AVX2 kernel for \(type) on this CPU")
        let scalar = try #require(type.traits.dot)
        var rng = TestRandom(seed: 0xD07 &+ UInt64(type.rawValue))
        for blocks in [1, 2, 7, 33] {
            let n = blocks * type.blockSize
            for _ in 0..<4 {
                let w = Self.weights(type, blocks: blocks, rng: &rng)
                let a = Self.activations(type.traits.vecDotType, elements: n, rng: &rng)
                let f = Self.run(fast, w, a, n), s = Self.run(scalar, w, a, n)
                let m = Self.magnitude(type, w, a, n)
                #expect(f.isFinite && s.isFinite)
                #expect(Double(abs(f - s)) <= 1e-5 * m + 1e-37, "\(type) n=\(n): fast \(f) scalar \(s) M \(m)")
            }
        }
    }

    /// With every scale 1 and small activations, all sums are integers below 2^24: fast and scalar must be equal.
    @Test(arguments: weightTypes)
    func integerPartIsExact(type: GGMLType) throws {
        let fast = try #require(type.fastDot)
        let scalar = try #require(type.traits.dot)
        var rng = TestRandom(seed: 0x1E7 &+ UInt64(type.rawValue))
        for blocks in [1, 2, 7] {
            let n = blocks * type.blockSize
            let w = Self.weights(type, blocks: blocks, rng: &rng, unit: true)
            let a = Self.activations(type.traits.vecDotType, elements: n, rng: &rng, unit: true)
            try #require(Self.magnitude(type, w, a, n) < Double(1 << 24))
            let f = Self.run(fast, w, a, n), s = Self.run(scalar, w, a, n)
            #expect(f == s, "\(type) n=\(n): fast \(f) scalar \(s)")
            #expect(s != 0)
        }
    }

    @Test(arguments: floatTypes)
    func floatDotMatchesScalar(type: GGMLType) throws {
        let fast = try #require(type.fastDot)
        let scalar = try #require(type.traits.dot)
        var rng = TestRandom(seed: 0xF1 &+ UInt64(type.rawValue))
        for n in [1, 2, 7, 33, 1061] {
            func element() -> [UInt8] {
                switch type {
                case .f32:
                    let v = rng.float(1) * Float(1 << (rng.next() % 20))
                    return withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) }
                case .f16:  // every finite half, subnormals included
                    var h = UInt16(truncatingIfNeeded: rng.next())
                    if h & 0x7C00 == 0x7C00 { h &= 0x83FF }
                    return [UInt8(h & 0xFF), UInt8(h >> 8)]
                default:    // bf16 with exponents 2^-60 ... 2^60
                    let exp = UInt16(67 + rng.next() % 121)
                    let h = UInt16(rng.next() & 1) << 15 | exp << 7 | UInt16(rng.next() & 0x7F)
                    return [UInt8(h & 0xFF), UInt8(h >> 8)]
                }
            }
            let w = (0..<n).flatMap { _ in element() }, a = (0..<n).flatMap { _ in element() }
            let f = Self.run(fast, w, a, n), s = Self.run(scalar, w, a, n)
            let wv = Self.dequant(type, w, n), av = Self.dequant(type, a, n)
            let m = zip(wv, av).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) }
            #expect(Double(abs(f - s)) <= 1e-5 * m + 1e-37, "\(type) n=\(n): fast \(f) scalar \(s)")
        }
    }

    @Test func selectionFollowsTheMode() throws {
        try #require(QuantKernels.avx2Available, "AVX2 kernels cannot run on this CPU")
        func addr(_ f: VecDotFn?) -> UnsafeRawPointer? { f.map { unsafeBitCast($0, to: UnsafeRawPointer.self) } }
        for t in Self.weightTypes + Self.floatTypes {
            #expect(addr(t.fastDot) != nil && addr(t.fastDot) != addr(t.traits.dot), "\(t)")
            if QuantKernels.mode == .fast { #expect(addr(t.bestDot) == addr(t.fastDot), "\(t)") }
        }
        #expect(GGMLType.q8_K.fastDot == nil && GGMLType.q3_K.fastDot == nil)
        #expect(GGMLType.q8_1.fastQuantizeRow != nil && GGMLType.f16.fastQuantizeRow == nil)
    }
}
