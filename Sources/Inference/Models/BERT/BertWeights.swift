import Kernels

/// Every weight of a BERT encoder as plain arrays (f32, or 4-bit blocks for linear layers), in the PyTorch layout (linear weights [out, in]).
///
/// Loaders (safetensors, ONNX) fill this; `BertModel` packs it for the kernels. Plain arrays keep the forward pass
/// independent of any file format, and let tests build a model from a fixture directly.
public struct BertWeights: Sendable {
    /// y = x · weightᵀ + bias with weight [outFeatures, inFeatures], stored as f32 or as 4-bit blocks.
    public struct Linear: Sendable {
        /// f32 weights [outFeatures, inFeatures]; empty when `quantized` holds them.
        public var weight: [Float]
        /// 4-bit block weights (ONNX MatMulNBits), kept packed at run time.
        public var quantized: NBitsMatrix?
        public var bias: [Float]
        public var outFeatures: Int
        public var inFeatures: Int

        public init(weight: [Float], bias: [Float], outFeatures: Int, inFeatures: Int) {
            self.weight = weight
            self.quantized = nil
            self.bias = bias
            self.outFeatures = outFeatures
            self.inFeatures = inFeatures
        }

        public init(quantized: NBitsMatrix, bias: [Float]) {
            self.weight = []
            self.quantized = quantized
            self.bias = bias
            self.outFeatures = quantized.rows
            self.inFeatures = quantized.cols
        }

        /// The weights as f32 [outFeatures, inFeatures], whichever way they are stored.
        public var dequantizedWeight: [Float] { quantized?.dequantized() ?? weight }
    }

    public struct Norm: Sendable {
        public var gamma: [Float]
        public var beta: [Float]

        public init(gamma: [Float], beta: [Float]) {
            self.gamma = gamma
            self.beta = beta
        }
    }

    public struct Layer: Sendable {
        public var query: Linear
        public var key: Linear
        public var value: Linear
        public var attentionOutput: Linear
        public var attentionNorm: Norm
        public var intermediate: Linear
        public var output: Linear
        public var outputNorm: Norm

        public init(query: Linear, key: Linear, value: Linear, attentionOutput: Linear, attentionNorm: Norm,
                    intermediate: Linear, output: Linear, outputNorm: Norm) {
            self.query = query
            self.key = key
            self.value = value
            self.attentionOutput = attentionOutput
            self.attentionNorm = attentionNorm
            self.intermediate = intermediate
            self.output = output
            self.outputNorm = outputNorm
        }
    }

    /// [vocab, hidden]
    public var wordEmbeddings: [Float]
    /// [maxPositions, hidden]
    public var positionEmbeddings: [Float]
    /// [typeVocab, hidden]
    public var tokenTypeEmbeddings: [Float]
    public var embeddingNorm: Norm
    public var layers: [Layer]
    /// Token-classification head [labels, hidden], if the checkpoint has one.
    public var classifier: Linear?

    public init(wordEmbeddings: [Float], positionEmbeddings: [Float], tokenTypeEmbeddings: [Float], embeddingNorm: Norm,
                layers: [Layer], classifier: Linear?) {
        self.wordEmbeddings = wordEmbeddings
        self.positionEmbeddings = positionEmbeddings
        self.tokenTypeEmbeddings = tokenTypeEmbeddings
        self.embeddingNorm = embeddingNorm
        self.layers = layers
        self.classifier = classifier
    }

    /// Checks every array against the shapes `config` implies; `file` names the source in errors.
    public func validate(against config: BertConfig, file: String) throws {
        let h = config.hiddenSize, i = config.intermediateSize
        func check(_ name: String, _ count: Int, _ shape: [Int]) throws {
            if count != shape.reduce(1, *) {
                throw BertError.shapeMismatch(file: file, name: name, expected: shape, found: [count])
            }
        }
        func check(_ name: String, _ linear: Linear, out: Int, in inF: Int) throws {
            if linear.outFeatures != out || linear.inFeatures != inF {
                throw BertError.shapeMismatch(file: file, name: name, expected: [out, inF], found: [linear.outFeatures, linear.inFeatures])
            }
            if linear.quantized == nil { try check(name + ".weight", linear.weight.count, [out, inF]) }
            try check(name + ".bias", linear.bias.count, [out])
        }
        func check(_ name: String, _ norm: Norm) throws {
            try check(name + ".weight", norm.gamma.count, [h])
            try check(name + ".bias", norm.beta.count, [h])
        }
        try check("embeddings.word_embeddings.weight", wordEmbeddings.count, [config.vocabularySize, h])
        try check("embeddings.position_embeddings.weight", positionEmbeddings.count, [config.maxPositions, h])
        try check("embeddings.token_type_embeddings.weight", tokenTypeEmbeddings.count, [config.typeVocabularySize, h])
        try check("embeddings.LayerNorm", embeddingNorm)
        if layers.count != config.layers {
            throw BertError.shapeMismatch(file: file, name: "encoder.layer", expected: [config.layers], found: [layers.count])
        }
        for (n, layer) in layers.enumerated() {
            let p = "encoder.layer.\(n)."
            try check(p + "attention.self.query", layer.query, out: h, in: h)
            try check(p + "attention.self.key", layer.key, out: h, in: h)
            try check(p + "attention.self.value", layer.value, out: h, in: h)
            try check(p + "attention.output.dense", layer.attentionOutput, out: h, in: h)
            try check(p + "attention.output.LayerNorm", layer.attentionNorm)
            try check(p + "intermediate.dense", layer.intermediate, out: i, in: h)
            try check(p + "output.dense", layer.output, out: h, in: i)
            try check(p + "output.LayerNorm", layer.outputNorm)
        }
        if let classifier {
            let labels = config.labels.isEmpty ? classifier.outFeatures : config.labels.count
            try check("classifier", classifier, out: labels, in: h)
        }
    }
}
