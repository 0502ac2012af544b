import Testing
import Kernels

/// The SIMD activation quantizers must write exactly the bytes of the scalar references (llama.cpp's x86 semantics,
/// see ActivationQuantizers; the golden fixtures of ggml's `_ref` agree on their data): rounding ties, zero blocks, huge and subnormal inputs, a
/// largest |x| occurring twice with both signs, infinities and NaNs.
@Suite struct FastQuantizeTests {
    /// One block of `size` floats of a given flavour.
    static func block(_ kind: Int, size: Int, rng: inout TestRandom) -> [Float] {
        switch kind % 10 {
        case 0: return rng.floats(size, scale: 3)
        case 1: return [Float](repeating: 0, count: size)
        case 2: // exact halves after scaling: Q8_0 id = 1 (max 127), Q8_K iscale = 1 (max −127)
            var x = (0..<size).map { _ in Float(Int(rng.next() % 200) - 100) + 0.5 }
            x[Int(rng.next() % UInt64(size))] = 127
            x[Int(rng.next() % UInt64(size))] = -127
            return x
        case 3: return (0..<size).map { _ in rng.float(1) * 1e30 }
        case 4: return (0..<size).map { _ in rng.float(1) * 1e-40 }         // subnormal floats
        case 5: // the largest |x| twice, with both signs (Q8_K keeps the first one's sign)
            var x = rng.floats(size, scale: 1)
            let i = Int(rng.next() % UInt64(size / 2)), j = size / 2 + Int(rng.next() % UInt64(size / 2))
            x[i] = rng.next() & 1 == 0 ? 2 : -2
            x[j] = -x[i]
            return x
        case 6: return (0..<size).map { _ in rng.float(1) * 3e38 }
        case 7: // an infinity
            var x = rng.floats(size, scale: 1)
            x[Int(rng.next() % UInt64(size))] = rng.next() & 1 == 0 ? .infinity : -.infinity
            return x
        case 8: // a NaN somewhere (at the end once in a while)
            var x = rng.floats(size, scale: 1)
            x[rng.next() & 3 == 0 ? size - 1 : Int(rng.next() % UInt64(size))] = .nan
            return x
        default: // a single non-zero value, sometimes tiny
            var x = [Float](repeating: 0, count: size)
            x[Int(rng.next() % UInt64(size))] = rng.float(1) * (rng.next() & 1 == 0 ? 1 : 1e-38)
            return x
        }
    }

    @Test(arguments: [GGMLType.q8_0, .q8_1, .q8_K])
    func quantizerIsByteIdentical(type: GGMLType) throws {
        let fast = try #require(type.fastQuantizeRow, "no AVX2 quantizer for \(type) on this CPU")
        let scalar = try #require(type.traits.quantizeRow)
        var rng = TestRandom(seed: 0x0A &+ UInt64(type.rawValue))
        var checkedBlocks = 0
        for blocks in [1, 2, 7, 33] {
            for round in 0..<6 {
                let x = (0..<blocks).flatMap { Self.block($0 + 3 * round, size: type.blockSize, rng: &rng) }
                let n = x.count, bytes = blocks * type.bytesPerBlock
                var f = [UInt8](repeating: 0xAA, count: bytes), s = [UInt8](repeating: 0x55, count: bytes)
                x.withUnsafeBufferPointer { xp in
                    f.withUnsafeMutableBytes { fast(xp.baseAddress!, $0.baseAddress!, n) }
                    s.withUnsafeMutableBytes { scalar(xp.baseAddress!, $0.baseAddress!, n) }
                }
                for b in 0..<blocks {
                    let r = (b * type.bytesPerBlock)..<((b + 1) * type.bytesPerBlock)
                    #expect(f[r] == s[r], "\(type) block \(b) of \(blocks), kind \((b + 3 * round) % 10)")
                    checkedBlocks += 1
                }
            }
        }
        #expect(checkedBlocks == 6 * (1 + 2 + 7 + 33))
    }

    /// A hand-computed Q8_0 block: ties round to EVEN (2.5 → 2, −2.5 → −2, 3.5 → 4, 0.5 → 0), as llama.cpp's x86
    /// quantizer does with `_mm256_round_ps` (ggml's portable `_ref` would round them away from zero).
    @Test func q8_0RoundsHalvesToEven() throws {
        for quantize in [try #require(GGMLType.q8_0.fastQuantizeRow), try #require(GGMLType.q8_0.traits.quantizeRow)] {
            var x = [Float](repeating: 0, count: 32)
            x[0] = 127; x[1] = 2.5; x[2] = -2.5; x[3] = 0.5; x[4] = -126.5; x[5] = 0.49999997; x[6] = 3.5
            var out = [UInt8](repeating: 0, count: BlockQ8_0.size)
            x.withUnsafeBufferPointer { xp in out.withUnsafeMutableBytes { quantize(xp.baseAddress!, $0.baseAddress!, 32) } }
            #expect(out[0] == 0x00 && out[1] == 0x3C)  // d = 1.0
            #expect(out[2...8].map { Int8(bitPattern: $0) } == [127, 2, -2, 0, -126, 0, 4])
        }
    }

    /// The multiplier is 127 / max|x|, not 1 / (max|x| / 127): for max|x| = 0.3 the two differ in the last bit, and
    /// x = 0.003543307 gives 1.4999999 → 1 with ours but 1.5 → 2 with the other (found by a numpy search).
    @Test func q8_0MultipliesBy127OverMax() throws {
        let amax: Float = 0.3, x: Float = 0.003543307
        let ours = x * (127 / amax), ref = x * (1 / (amax / 127))
        try #require(ours.rounded(.toNearestOrEven) == 1 && ref.rounded(.toNearestOrEven) == 2)
        for quantize in [try #require(GGMLType.q8_0.fastQuantizeRow), try #require(GGMLType.q8_0.traits.quantizeRow)] {
            var v = [Float](repeating: 0, count: 32)
            v[0] = amax; v[1] = x
            var out = [UInt8](repeating: 0, count: BlockQ8_0.size)
            v.withUnsafeBufferPointer { vp in out.withUnsafeMutableBytes { quantize(vp.baseAddress!, $0.baseAddress!, 32) } }
            #expect(Int8(bitPattern: out[3]) == 1)
        }
    }
}
