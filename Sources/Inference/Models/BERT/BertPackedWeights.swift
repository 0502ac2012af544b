import Kernels

/// BERT weights laid out for the kernels: Q, K and V stacked into one matrix per layer, every linear layer packed
/// into GEMM panels, embeddings and norms in aligned buffers. Immutable after load.
final class BertPackedWeights: @unchecked Sendable {
    struct Norm {
        let gamma: FloatBuffer
        let beta: FloatBuffer
        init(_ n: BertWeights.Norm) {
            gamma = FloatBuffer(n.gamma)
            beta = FloatBuffer(n.beta)
        }
    }

    struct Layer {
        /// [3·hidden, hidden]: query, key, value rows stacked.
        let qkv: PackedMatrix
        let attentionOutput: PackedMatrix
        let attentionNorm: Norm
        let intermediate: PackedMatrix
        let output: PackedMatrix
        let outputNorm: Norm
    }

    let wordEmbeddings: FloatBuffer
    let positionEmbeddings: FloatBuffer
    let tokenTypeEmbeddings: FloatBuffer
    let embeddingNorm: Norm
    let layers: [Layer]
    let classifier: PackedMatrix?

    init(_ w: BertWeights) {
        func pack(_ l: BertWeights.Linear) -> PackedMatrix {
            if let q = l.quantized { return PackedMatrix(q4: q, bias: l.bias) }
            return PackedMatrix(weights: l.weight, rows: l.outFeatures, cols: l.inFeatures, bias: l.bias)
        }
        func stackQKV(_ l: BertWeights.Layer) -> PackedMatrix {
            let parts = [l.query, l.key, l.value]
            if let q = NBitsMatrix.stacking(parts.compactMap(\.quantized)), parts.allSatisfy({ $0.quantized != nil }) {
                return PackedMatrix(q4: q, bias: parts.flatMap(\.bias))
            }
            return PackedMatrix(stacking: parts.map { ($0.dequantizedWeight, $0.outFeatures, $0.bias) }, cols: l.query.inFeatures)
        }
        wordEmbeddings = FloatBuffer(w.wordEmbeddings)
        positionEmbeddings = FloatBuffer(w.positionEmbeddings)
        tokenTypeEmbeddings = FloatBuffer(w.tokenTypeEmbeddings)
        embeddingNorm = Norm(w.embeddingNorm)
        layers = w.layers.map { l in
            Layer(qkv: stackQKV(l),
                  attentionOutput: pack(l.attentionOutput),
                  attentionNorm: Norm(l.attentionNorm),
                  intermediate: pack(l.intermediate),
                  output: pack(l.output),
                  outputNorm: Norm(l.outputNorm))
        }
        classifier = w.classifier.map(pack)
    }
}
