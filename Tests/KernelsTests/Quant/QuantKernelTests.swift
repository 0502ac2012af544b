import Foundation
import Testing
import Kernels

/// The table against ggml's `ggml-common.h` static_asserts (FORMATS.md §2).
@Test func blockSizesMatchGGML() {
    let expected: [(GGMLType, UInt32, Int, Int)] = [
        (.f32, 0, 1, 4), (.f16, 1, 1, 2), (.q4_0, 2, 32, 18), (.q4_1, 3, 32, 20), (.q5_0, 6, 32, 22),
        (.q5_1, 7, 32, 24), (.q8_0, 8, 32, 34), (.q8_1, 9, 32, 36), (.q2_K, 10, 256, 84), (.q3_K, 11, 256, 110),
        (.q4_K, 12, 256, 144), (.q5_K, 13, 256, 176), (.q6_K, 14, 256, 210), (.q8_K, 15, 256, 292),
        (.bf16, 30, 1, 2), (.tq1_0, 34, 256, 54), (.tq2_0, 35, 256, 66), (.q1_0, 41, 128, 18),
        (.q2_0, 42, 64, 18), (.pq2_0, 142, 128, 34),
    ]
    #expect(expected.count == GGMLType.allCases.count)
    for (t, id, block, bytes) in expected {
        #expect(t.rawValue == id)
        #expect(t.blockSize == block, "\(t)")
        #expect(t.bytesPerBlock == bytes, "\(t)")
    }
    // The byte-offset constants add up to the block sizes (last field offset + its width).
    #expect(BlockQ8_0.qs + 32 == BlockQ8_0.size && BlockQ8_1.qs + 32 == BlockQ8_1.size)
    #expect(BlockQ5_1.qs + 16 == BlockQ5_1.size && BlockQ5_0.qs + 16 == BlockQ5_0.size)
    #expect(BlockQ2_K.dmin + 2 == BlockQ2_K.size && BlockQ3_K.d + 2 == BlockQ3_K.size)
    #expect(BlockQ4_K.qs + 128 == BlockQ4_K.size && BlockQ5_K.qs + 128 == BlockQ5_K.size)
    #expect(BlockQ6_K.d + 2 == BlockQ6_K.size && BlockQ8_K.bsums + 32 == BlockQ8_K.size)
    #expect(BlockTQ1_0.d + 2 == BlockTQ1_0.size && BlockTQ2_0.d + 2 == BlockTQ2_0.size)
    #expect(BlockQ1_0.qs + 16 == BlockQ1_0.size && BlockPQ2_0.qs + 32 == BlockPQ2_0.size)
}

@Test func vecDotTypesFollowGGMLCPU() {
    #expect(GGMLType.q4_0.traits.vecDotType == .q8_0)
    #expect(GGMLType.q4_1.traits.vecDotType == .q8_1)
    #expect(GGMLType.q5_1.traits.vecDotType == .q8_1)
    #expect(GGMLType.q1_0.traits.vecDotType == .q8_0)
    #expect(GGMLType.q2_0.traits.vecDotType == .q8_0)
    #expect(GGMLType.q6_K.traits.vecDotType == .q8_K)
    #expect(GGMLType.tq2_0.traits.vecDotType == .q8_K)
    #expect(GGMLType.q8_K.traits.dot == nil && GGMLType.q8_1.traits.dot == nil)
}

@Test func byteCountRejectsPartialBlocksAndOverflow() {
    #expect(GGMLType.q4_K.byteCount(elements: 512) == 288)
    #expect(GGMLType.q4_K.byteCount(elements: 100) == nil)
    #expect(GGMLType.f32.byteCount(elements: Int.max) == nil)
}

@Test func type42IsResolvedBySize() {
    #expect(GGMLType.resolveType42(elementCount: 128, byteCount: 36) == .q2_0)
    #expect(GGMLType.resolveType42(elementCount: 128, byteCount: 34) == .pq2_0)
    #expect(GGMLType.resolveType42(elementCount: 128, byteCount: 35) == nil)
    #expect(GGMLType.resolveType42(elementCount: 64, byteCount: 18) == .q2_0)
}

@Test func fixturesCoverEveryTypeExceptF32() throws {
    let covered = Set(try QuantFixture.all().map(\.type))
    #expect(covered == Set(GGMLType.allCases).subtracting([.f32]))
}

/// Our decoder on gguf-py's (or the script's numpy reference) bytes gives gguf-py's floats bit for bit.
@Test(arguments: try QuantFixture.all())
func dequantizeMatchesReference(_ f: QuantFixture) {
    let ours = QuantArrays.dequantize(f.type, f.bytes, count: f.count)
    let mismatches = (0..<f.count).filter { ours[$0].bitPattern != f.dequantized[$0].bitPattern }
    #expect(mismatches.isEmpty, "\(f.file): \(mismatches.count) differ, first at \(mismatches.first ?? -1): \(mismatches.first.map { "\(ours[$0]) vs \(f.dequantized[$0])" } ?? "")")
}

/// Activation quantizers (F16, BF16, Q8_0, Q8_1, Q8_K) reproduce the reference bytes exactly.
@Test(arguments: try QuantFixture.all().filter { $0.type.traits.quantizeRow != nil })
func activationQuantizerMatchesReference(_ f: QuantFixture) throws {
    let source = try #require(f.source)
    let ours = try #require(QuantArrays.quantize(f.type, source))
    let diff = (0..<ours.count).filter { ours[$0] != f.bytes[$0] }
    #expect(diff.isEmpty, "\(f.file): bytes differ at \(diff.prefix(8))")
}

/// Each scalar dot equals Σ dequant(w)·dequant(a) (computed in Double).
/// Tolerance: 1e-5·Σ|w·a| for float reordering; Q8_1 pairs add |m|·Σ|a|·2⁻¹⁰ per block because the
/// activation sum `s` is stored in fp16 from the unrounded scale.
@Test(arguments: try QuantFixture.all().filter { $0.type.traits.dot != nil })
func dotMatchesDequantizedSum(_ f: QuantFixture) throws {
    let t = f.type.traits
    let acts = QuantArrays.activations(f.count, seed: Int(f.type.rawValue))
    let qa = try #require(QuantArrays.quantize(t.vecDotType, acts))
    let a = QuantArrays.dequantize(t.vecDotType, qa, count: f.count)
    // The F16/BF16 fixtures hold ±inf on purpose (for the decoder); zero those elements here.
    var wBytes = f.bytes
    if t.blockSize == 1 {
        for (i, v) in f.dequantized.enumerated() where !v.isFinite {
            for k in 0..<t.bytesPerBlock { wBytes[i * t.bytesPerBlock + k] = 0 }
        }
    }
    let w = QuantArrays.dequantize(f.type, wBytes, count: f.count)
    var exact = 0.0, magnitude = 0.0, minTerm = 0.0
    for i in 0..<f.count {
        exact += Double(w[i]) * Double(a[i])
        magnitude += abs(Double(w[i]) * Double(a[i]))
    }
    if t.vecDotType == .q8_1 {
        let mOffset = f.type == .q4_1 ? BlockQ4_1.m : BlockQ5_1.m
        for b in 0..<(f.count / 32) {
            let lo = UInt16(f.bytes[b * t.bytesPerBlock + mOffset]), hi = UInt16(f.bytes[b * t.bytesPerBlock + mOffset + 1])
            let m = Double(abs(fp16ToFloat(lo | hi << 8)))
            minTerm += m * (b * 32..<(b * 32 + 32)).reduce(0.0) { $0 + abs(Double(a[$1])) } / 1024
        }
    }
    let ours = try #require(QuantArrays.dot(f.type, weights: wBytes, activations: qa, count: f.count))
    let tolerance = 1e-5 * magnitude + minTerm + 1e-30
    #expect(abs(Double(ours) - exact) <= tolerance, "\(f.file): dot \(ours) vs \(exact) (tolerance \(tolerance))")
}
