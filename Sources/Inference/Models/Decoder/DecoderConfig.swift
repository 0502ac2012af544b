/// How RoPE pairs the dimensions of a head (llama.cpp `LLAMA_ROPE_TYPE_NORM` / `_NEOX`).
public enum RopeStyle: Sendable, Equatable {
    /// Adjacent pairs (2i, 2i+1): llama.
    case interleaved
    /// Halves (i, i + d/2): Qwen3, Gemma 3.
    case neox
}

/// The feed-forward activation between gate and up projections.
public enum GatedActivation: Sendable, Equatable {
    /// SwiGLU: silu(gate) · up.
    case silu
    /// GeGLU with the tanh approximation of GELU: gelu_tanh(gate) · up.
    case geluTanh
}

/// Per-layer attention shape: full causal or a sliding window, with its own RoPE base.
public struct LayerAttention: Sendable, Equatable {
    /// Keys further back than this are not seen (0: the whole context).
    public var window: Int
    public var ropeBase: Float
    /// Divides positions before RoPE (linear scaling; 1: none).
    public var ropeScale: Float
}

/// Everything the shared decoder forward pass needs to know about a model, read from the GGUF metadata by the
/// architecture that owns the file.
public struct DecoderConfig: Sendable, Equatable {
    public var architecture: String
    public var layerCount: Int
    public var hidden: Int
    public var feedForward: Int
    public var heads: Int
    public var kvHeads: Int
    public var headDim: Int
    public var vocabSize: Int
    public var trainedContext: Int
    public var rmsEpsilon: Float
    public var ropeStyle: RopeStyle
    /// Dimensions of each head that RoPE rotates (the rest pass through).
    public var ropeDimensions: Int
    public var activation: GatedActivation
    /// Multiplies the input embeddings (Gemma: sqrt(hidden)).
    public var embeddingScale: Float
    /// Scales Q·K before the softmax.
    public var attentionScale: Float
    /// RMS norms on each head of Q and K after projection (Qwen3, Gemma 3).
    public var qkNorm: Bool
    /// RMS norms on the attention and FFN outputs before the residual add (Gemma 3).
    public var postNorms: Bool
    /// tanh soft-capping of the final logits (0: none).
    public var finalLogitSoftcap: Float
    public var layers: [LayerAttention]
}

extension GGUFFile {
    /// An integer hyper-parameter `<arch>.<key>`; `fallback` when absent (nil fallback: required).
    func decoderInt(_ key: String, fallback: Int? = nil) throws -> Int {
        let full = "\(architecture ?? "").\(key)"
        guard let value = metadata[full] else {
            if let fallback { return fallback }
            throw DecoderError.missingMetadata(key: full, path: path)
        }
        guard let n = value.intValue ?? value.arrayValue?.ints()?.first, n >= 0, n < 1 << 24 else {
            throw DecoderError.invalidMetadata(key: full, value: value.description, expected: "a non-negative integer")
        }
        return n
    }

    func decoderFloat(_ key: String, fallback: Float? = nil) throws -> Float {
        let full = "\(architecture ?? "").\(key)"
        guard let value = metadata[full] else {
            if let fallback { return fallback }
            throw DecoderError.missingMetadata(key: full, path: path)
        }
        guard let x = value.floatValue, x.isFinite else {
            throw DecoderError.invalidMetadata(key: full, value: value.description, expected: "a finite number")
        }
        return x
    }

    /// The hyper-parameters every llama-family file shares (llama.cpp `load_hparams`).
    func commonDecoderConfig(ropeStyle: RopeStyle, activation: GatedActivation) throws -> DecoderConfig {
        guard let arch = architecture else { throw DecoderError.unknownArchitecture(nil, known: DecoderArchitectures.names) }
        let hidden = try decoderInt("embedding_length")
        let heads = try decoderInt("attention.head_count")
        guard heads > 0, hidden > 0 else {
            throw DecoderError.invalidMetadata(key: "\(arch).attention.head_count", value: "\(heads)",
                                               expected: "at least one head and a positive embedding length")
        }
        let kvHeads = try decoderInt("attention.head_count_kv", fallback: heads)
        guard kvHeads > 0, heads % kvHeads == 0 else {
            throw DecoderError.invalidMetadata(key: "\(arch).attention.head_count_kv", value: "\(kvHeads)",
                                               expected: "a divisor of the head count \(heads)")
        }
        let headDim = try decoderInt("attention.key_length", fallback: hidden / heads)
        let valueDim = try decoderInt("attention.value_length", fallback: headDim)
        guard headDim > 0, valueDim == headDim, headDim % 2 == 0 else {
            throw DecoderError.invalidMetadata(key: "\(arch).attention.key_length", value: "\(headDim)/\(valueDim)",
                                               expected: "equal, even key and value head sizes")
        }
        let ropeDims = try decoderInt("rope.dimension_count", fallback: headDim)
        guard ropeDims > 0, ropeDims <= headDim, ropeDims % 2 == 0 else {
            throw DecoderError.invalidMetadata(key: "\(arch).rope.dimension_count", value: "\(ropeDims)",
                                               expected: "an even number ≤ the head size \(headDim)")
        }
        let layers = try decoderInt("block_count")
        guard layers > 0 else {
            throw DecoderError.invalidMetadata(key: "\(arch).block_count", value: "0", expected: "at least one layer")
        }
        var ropeScale: Float = 1
        if let type = metadata["\(arch).rope.scaling.type"]?.stringValue, type == "linear" {
            ropeScale = try decoderFloat("rope.scaling.factor", fallback: 1)
        } else if let legacy = metadata["\(arch).rope.scale_linear"]?.floatValue {
            ropeScale = legacy
        }
        guard ropeScale > 0 else {
            throw DecoderError.invalidMetadata(key: "\(arch).rope.scaling.factor", value: "\(ropeScale)", expected: "> 0")
        }
        let ropeBase = try decoderFloat("rope.freq_base", fallback: 10_000)
        let vocab = try tensor(named: "token_embd.weight").shape.last ?? 0
        return DecoderConfig(
            architecture: arch, layerCount: layers, hidden: hidden,
            feedForward: try decoderInt("feed_forward_length"), heads: heads, kvHeads: kvHeads, headDim: headDim,
            vocabSize: vocab, trainedContext: try decoderInt("context_length"),
            rmsEpsilon: try decoderFloat("attention.layer_norm_rms_epsilon"),
            ropeStyle: ropeStyle, ropeDimensions: ropeDims, activation: activation,
            embeddingScale: 1, attentionScale: 1 / Float(headDim).squareRoot(), qkNorm: false, postNorms: false,
            finalLogitSoftcap: 0,
            layers: Array(repeating: LayerAttention(window: 0, ropeBase: ropeBase, ropeScale: ropeScale), count: layers))
    }
}
