import Foundation

/// Hyper-parameters of a BERT encoder, from the Hugging Face config.json.
public struct BertConfig: Sendable, Equatable {
    public var hiddenSize: Int
    public var heads: Int
    public var layers: Int
    public var intermediateSize: Int
    public var layerNormEps: Float
    public var vocabularySize: Int
    public var maxPositions: Int
    public var typeVocabularySize: Int
    /// Token-classification label names by id (`id2label`); empty for a plain encoder.
    public var labels: [String]

    public var headDim: Int { hiddenSize / heads }

    public init(hiddenSize: Int, heads: Int, layers: Int, intermediateSize: Int, layerNormEps: Float = 1e-12,
                vocabularySize: Int, maxPositions: Int = 512, typeVocabularySize: Int = 2, labels: [String] = []) {
        self.hiddenSize = hiddenSize
        self.heads = heads
        self.layers = layers
        self.intermediateSize = intermediateSize
        self.layerNormEps = layerNormEps
        self.vocabularySize = vocabularySize
        self.maxPositions = maxPositions
        self.typeVocabularySize = typeVocabularySize
        self.labels = labels
    }

    /// Reads config.json. `path` only names the file in errors.
    public init(json data: Data, path: String = "config.json") throws {
        guard let object = try? JSONSerialization.jsonObject(with: data), let dict = object as? [String: Any] else {
            throw BertError.invalidConfig(path: path, key: "(root)", expected: "a JSON object")
        }
        func int(_ key: String, default value: Int? = nil) throws -> Int {
            if let n = dict[key] as? NSNumber, let i = Int(exactly: n.doubleValue), i > 0 { return i }
            if dict[key] == nil, let value { return value }
            throw BertError.invalidConfig(path: path, key: key, expected: "a positive integer")
        }
        hiddenSize = try int("hidden_size")
        heads = try int("num_attention_heads")
        layers = try int("num_hidden_layers")
        intermediateSize = try int("intermediate_size")
        vocabularySize = try int("vocab_size")
        maxPositions = try int("max_position_embeddings", default: 512)
        typeVocabularySize = try int("type_vocab_size", default: 2)
        if let eps = dict["layer_norm_eps"] {
            guard let n = eps as? NSNumber, n.doubleValue > 0 else {
                throw BertError.invalidConfig(path: path, key: "layer_norm_eps", expected: "a positive number")
            }
            layerNormEps = n.floatValue
        } else {
            layerNormEps = 1e-12
        }
        guard hiddenSize % heads == 0 else {
            throw BertError.invalidConfig(path: path, key: "num_attention_heads", expected: "a divisor of hidden_size \(hiddenSize)")
        }
        if let act = dict["hidden_act"], (act as? String) != "gelu" {
            throw BertError.invalidConfig(path: path, key: "hidden_act", expected: "\"gelu\" (the only activation implemented)")
        }
        labels = []
        if let raw = dict["id2label"] {
            guard let map = raw as? [String: Any] else {
                throw BertError.invalidConfig(path: path, key: "id2label", expected: "an object of id → label name")
            }
            var names = [String?](repeating: nil, count: map.count)
            for (key, value) in map {
                guard let id = Int(key), id >= 0, id < map.count, let name = value as? String else {
                    throw BertError.invalidConfig(path: path, key: "id2label.\(key)", expected: "ids 0..<\(map.count) mapped to strings")
                }
                names[id] = name
            }
            labels = names.compactMap { $0 }
            guard labels.count == map.count else {
                throw BertError.invalidConfig(path: path, key: "id2label", expected: "each id 0..<\(map.count) exactly once")
            }
        }
    }

    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw BertError.invalidConfig(path: url.path, key: "(file)", expected: "a readable file (\(error.localizedDescription))")
        }
        try self.init(json: data, path: url.path)
    }
}
