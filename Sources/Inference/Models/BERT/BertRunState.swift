import Kernels

/// Activations of one forward pass, allocated for a token capacity and reused across calls (grown only when a
/// larger batch arrives). Rows are the tokens of all sequences packed back to back, without padding.
final class BertRunState {
    let tokenCapacity: Int
    let lengthCapacity: Int
    /// [tokens, hidden]: the residual stream.
    let x: FloatBuffer
    /// [tokens, 3·hidden]: Q | K | V.
    let qkv: FloatBuffer
    /// [tokens, hidden]: attention context, then reused for the FFN output.
    let context: FloatBuffer
    /// [tokens, hidden]: projection outputs before the residual LayerNorm.
    let delta: FloatBuffer
    /// [tokens, intermediate]
    let intermediate: FloatBuffer
    /// [tokens, labels]
    let logits: FloatBuffer
    /// Attention scratch for every worker.
    let attentionScratch: FloatBuffer

    init(config: BertConfig, labels: Int, tokens: Int, maxLength: Int, threads: Int) {
        let h = config.hiddenSize
        tokenCapacity = tokens
        lengthCapacity = maxLength
        x = FloatBuffer(count: tokens * h)
        qkv = FloatBuffer(count: tokens * 3 * h)
        context = FloatBuffer(count: tokens * h)
        delta = FloatBuffer(count: tokens * h)
        intermediate = FloatBuffer(count: tokens * config.intermediateSize)
        logits = FloatBuffer(count: tokens * max(labels, 1))
        attentionScratch = FloatBuffer(count: threads * Attention.scratchCount(maxLength: maxLength, headDim: config.headDim))
    }

    func fits(tokens: Int, maxLength: Int) -> Bool { tokens <= tokenCapacity && maxLength <= lengthCapacity }
}

/// Sequences packed back to back for one forward pass.
struct BertPackedBatch {
    var ids: [Int32] = []
    var positions: [Int32] = []
    var tokenTypes: [Int32] = []
    var keyKeep: [UInt8] = []
    /// Sequence s covers rows starts[s] ..< starts[s+1].
    var starts: [Int64] = [0]
    var maxLength = 0

    var tokens: Int { ids.count }
    var sequences: Int { starts.count - 1 }

    mutating func append(_ input: BertInput) {
        ids += input.ids
        positions += (0..<Int32(input.ids.count)).map { $0 }
        tokenTypes += input.tokenTypes ?? [Int32](repeating: 0, count: input.ids.count)
        keyKeep += input.attentionMask.map { $0.map { $0 != 0 ? 1 : 0 } } ?? [UInt8](repeating: 1, count: input.ids.count)
        starts.append(Int64(ids.count))
        maxLength = max(maxLength, input.ids.count)
    }

    func range(of s: Int) -> Range<Int> { Int(starts[s])..<Int(starts[s + 1]) }
}
