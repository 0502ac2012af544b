import Kernels

extension BertModel {
    /// One encoder pass over a packed batch; leaves the last hidden states in state.x and, when `classify`,
    /// the head's logits in state.logits.
    func forward(_ batch: BertPackedBatch, state s: BertRunState, classify: Bool) {
        let w = weights
        let t = batch.tokens, h = config.hiddenSize, inter = config.intermediateSize
        let x = s.x.matrix(rows: t, cols: h)                          // [tokens, hidden]
        let qkv = s.qkv.matrix(rows: t, cols: 3 * h)                  // [tokens, 3·hidden]
        let context = s.context.matrix(rows: t, cols: h)              // [tokens, hidden]
        let delta = s.delta.matrix(rows: t, cols: h)                  // [tokens, hidden]
        let ffn = s.intermediate.matrix(rows: t, cols: inter)         // [tokens, intermediate]
        let scale = 1 / Float(config.headDim).squareRoot()

        // Embeddings: x = LayerNorm(word[id] + position[p] + tokenType[type])          // [tokens, hidden]
        RowGather.run(table: w.wordEmbeddings, indices: batch.ids, into: x, accumulate: false)
        RowGather.run(table: w.positionEmbeddings, indices: batch.positions, into: x, accumulate: true)
        RowGather.run(table: w.tokenTypeEmbeddings, indices: batch.tokenTypes, into: x, accumulate: true)
        RowOps.addLayerNorm(x, delta: nil, gamma: w.embeddingNorm.gamma, beta: w.embeddingNorm.beta, eps: config.layerNormEps)

        for layer in w.layers {
            // Self-attention
            Gemm.run(x, layer.qkv, into: qkv, pool: pool)                                 // [tokens, 3·hidden]
            Attention.run(qkv: qkv, out: context, sequenceStarts: batch.starts, keyKeep: batch.keyKeep,
                          heads: config.heads, headDim: config.headDim, scale: scale, maxLength: s.lengthCapacity,
                          scratch: s.attentionScratch, pool: pool)                        // [tokens, hidden]
            Gemm.run(context, layer.attentionOutput, into: delta, pool: pool)             // [tokens, hidden]
            RowOps.addLayerNorm(x, delta: delta, gamma: layer.attentionNorm.gamma, beta: layer.attentionNorm.beta,
                                eps: config.layerNormEps)                                 // x = LN(x + attn)
            // Feed-forward
            Gemm.run(x, layer.intermediate, into: ffn, epilogue: .gelu, pool: pool)       // [tokens, intermediate]
            Gemm.run(ffn, layer.output, into: delta, pool: pool)                          // [tokens, hidden]
            RowOps.addLayerNorm(x, delta: delta, gamma: layer.outputNorm.gamma, beta: layer.outputNorm.beta,
                                eps: config.layerNormEps)                                 // x = LN(x + ffn)
        }

        if classify, let head = w.classifier {
            Gemm.run(x, head, into: s.logits.matrix(rows: t, cols: head.rows), pool: pool) // [tokens, labels]
        }
    }
}
