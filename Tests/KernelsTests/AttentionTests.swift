import Foundation
import Testing
import Kernels

/// Attention outputs vs the Double reference (scores, exp and sums in f32 on the fast paths).
let attentionTolerance: Float = 2e-5

private func checkAttention(lengths: [Int], heads: Int, headDim: Int, masked: Set<Int>, path: KernelPath, pool: WorkerPool?) {
    var rng = TestRandom(seed: UInt64(lengths.reduce(0, +) * 31 + headDim))
    let tokens = lengths.reduce(0, +)
    let hidden = heads * headDim
    let qkv = rng.floats(tokens * 3 * hidden, scale: 2)
    var starts = [0]
    for l in lengths { starts.append(starts.last! + l) }
    let keep = (0..<tokens).map { !masked.contains($0) }
    let scale = 1 / Float(headDim).squareRoot()
    let expected = ReferenceKernels.attention(qkv: qkv, tokens: tokens, sequenceStarts: starts, keyKeep: keep,
                                              heads: heads, headDim: headDim, scale: scale)
    let maxLen = lengths.max() ?? 0
    let threads = pool?.threads ?? 1
    let scratch = FloatBuffer(count: threads * Attention.scratchCount(maxLength: maxLen, headDim: headDim))
    let out = FloatBuffer([Float](repeating: .nan, count: tokens * hidden))
    Attention.run(qkv: FloatBuffer(qkv).matrix(rows: tokens, cols: 3 * hidden), out: out.matrix(rows: tokens, cols: hidden),
                  sequenceStarts: starts.map(Int64.init), keyKeep: keep.map { $0 ? 1 : 0 }, heads: heads, headDim: headDim,
                  scale: scale, maxLength: maxLen, scratch: scratch, pool: pool, path: path)
    let worst = zip(out.toArray(), expected).map { abs($0 - $1) }.max() ?? 0
    #expect(!out.toArray().contains { $0.isNaN }, "attention left outputs unwritten")
    #expect(worst <= attentionTolerance, "path \(path) lengths \(lengths) dh \(headDim): \(worst)")
}

@Test(arguments: KernelPath.supported)
func attentionMatchesReference(path: KernelPath) {
    // headDim 32 (the BERT-small case, vector path) and 4 / 12 (scalar fallback); odd lengths, masked keys.
    checkAttention(lengths: [1], heads: 2, headDim: 32, masked: [], path: path, pool: nil)
    checkAttention(lengths: [5, 13, 9], heads: 3, headDim: 32, masked: [2, 6, 7, 20], path: path, pool: nil)
    checkAttention(lengths: [17, 3], heads: 2, headDim: 4, masked: [0], path: path, pool: nil)
    checkAttention(lengths: [11], heads: 4, headDim: 12, masked: [10], path: path, pool: nil)
    checkAttention(lengths: [40, 33], heads: 12, headDim: 32, masked: Set(30..<40), path: path, pool: WorkerPool(threads: 2))
    checkAttention(lengths: [7, 10], heads: 2, headDim: 64, masked: [3], path: path, pool: nil)  // unrolled 64 copy
    checkAttention(lengths: [9, 2], heads: 2, headDim: 48, masked: [], path: path, pool: nil)    // generic vector copy
    checkAttention(lengths: [3], heads: 1, headDim: 8, masked: [], path: path, pool: nil)        // odd query count
}

@Test func attentionWithAllKeysMaskedGivesZeros() {
    // Every key of the second sequence masked: its outputs are defined as zero, the first sequence is unaffected.
    checkAttention(lengths: [6, 4], heads: 1, headDim: 8, masked: [6, 7, 8, 9], path: .auto, pool: nil)
}

@Test func attentionSingleKeyCopiesValue() {
    // Hand-computed: one token attends only to itself, so the output is its V row exactly.
    let headDim = 8
    let qkv = (0..<(3 * headDim)).map { Float($0) }
    let out = FloatBuffer(count: headDim)
    Attention.run(qkv: FloatBuffer(qkv).matrix(rows: 1, cols: 3 * headDim), out: out.matrix(rows: 1, cols: headDim),
                  sequenceStarts: [0, 1], keyKeep: [1], heads: 1, headDim: headDim, scale: 1, maxLength: 1,
                  scratch: FloatBuffer(count: Attention.scratchCount(maxLength: 1, headDim: headDim)))
    #expect(out.toArray() == (16..<24).map { Float($0) })
}
