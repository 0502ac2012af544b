import Kernels

/// Building `BertWeights` from tensors named as in Hugging Face checkpoints (`embeddings.word_embeddings.weight`,
/// `encoder.layer.0.attention.self.query.weight`, …, optionally under a `bert.` prefix, plus `classifier.*`).
extension BertWeights {
    /// A tensor looked up by name: its shape and its values as Float, or nil when the file has no such tensor.
    public typealias TensorLookup = (_ name: String) throws -> (shape: [Int], values: [Float])?
    /// A linear module's weight kept in 4-bit blocks (e.g. `bert.encoder.layer.0.output.dense`), or nil to read
    /// `<module>.weight` through the f32 lookup.
    public typealias QuantizedLookup = (_ module: String) throws -> NBitsMatrix?

    /// Reads every weight through `lookup`, checking each shape against `config`. `file` names the source in errors.
    public init(config: BertConfig, file: String, lookup: TensorLookup, quantized: QuantizedLookup = { _ in nil }) throws {
        let prefix = try lookup("bert.embeddings.word_embeddings.weight") != nil ? "bert." : ""
        let h = config.hiddenSize, i = config.intermediateSize

        func tensor(_ name: String, _ shape: [Int], prefixed: Bool = true) throws -> [Float] {
            let full = (prefixed ? prefix : "") + name
            guard let t = try lookup(full) else { throw BertError.missingTensor(file: file, name: full) }
            guard t.shape == shape, t.values.count == shape.reduce(1, *) else {
                throw BertError.shapeMismatch(file: file, name: full, expected: shape, found: t.shape)
            }
            return t.values
        }
        func linear(_ name: String, out: Int, in inF: Int, prefixed: Bool = true) throws -> Linear {
            let full = (prefixed ? prefix : "") + name
            if let q = try quantized(full) {
                guard q.rows == out, q.cols == inF else {
                    throw BertError.shapeMismatch(file: file, name: full + ".weight", expected: [out, inF], found: [q.rows, q.cols])
                }
                return Linear(quantized: q, bias: try tensor(name + ".bias", [out], prefixed: prefixed))
            }
            return Linear(weight: try tensor(name + ".weight", [out, inF], prefixed: prefixed),
                   bias: try tensor(name + ".bias", [out], prefixed: prefixed), outFeatures: out, inFeatures: inF)
        }
        func norm(_ name: String) throws -> Norm {
            Norm(gamma: try tensor(name + ".weight", [h]), beta: try tensor(name + ".bias", [h]))
        }

        wordEmbeddings = try tensor("embeddings.word_embeddings.weight", [config.vocabularySize, h])
        positionEmbeddings = try tensor("embeddings.position_embeddings.weight", [config.maxPositions, h])
        tokenTypeEmbeddings = try tensor("embeddings.token_type_embeddings.weight", [config.typeVocabularySize, h])
        embeddingNorm = try norm("embeddings.LayerNorm")
        layers = try (0..<config.layers).map { n in
            let p = "encoder.layer.\(n)."
            return Layer(query: try linear(p + "attention.self.query", out: h, in: h),
                         key: try linear(p + "attention.self.key", out: h, in: h),
                         value: try linear(p + "attention.self.value", out: h, in: h),
                         attentionOutput: try linear(p + "attention.output.dense", out: h, in: h),
                         attentionNorm: try norm(p + "attention.output.LayerNorm"),
                         intermediate: try linear(p + "intermediate.dense", out: i, in: h),
                         output: try linear(p + "output.dense", out: h, in: i),
                         outputNorm: try norm(p + "output.LayerNorm"))
        }
        if let c = try lookup("classifier.weight") {
            let labels = config.labels.isEmpty ? (c.shape.first ?? 0) : config.labels.count
            classifier = try linear("classifier", out: labels, in: h, prefixed: false)
        } else {
            classifier = nil
        }
    }
}
