extension GGUFTokenizerMetadata {
    /// Reads the `tokenizer.ggml.*` keys of a GGUF file (FORMATS.md 1.4).
    public init(gguf: GGUFFile) throws {
        let m = gguf.metadata
        func string(_ key: String) throws -> String? {
            guard let v = m[key] else { return nil }
            guard let s = v.stringValue else { throw GGUFTokenizerError.wrongType(key: key, expected: "string") }
            return s
        }
        func id(_ key: String) throws -> Int32? {
            guard let v = m[key] else { return nil }
            guard let i = v.intValue, let id = Int32(exactly: i) else {
                throw GGUFTokenizerError.wrongType(key: key, expected: "u32 token id")
            }
            return id
        }
        func flag(_ key: String) throws -> Bool? {
            guard let v = m[key] else { return nil }
            guard let b = v.boolValue else { throw GGUFTokenizerError.wrongType(key: key, expected: "bool") }
            return b
        }
        func strings(_ key: String) throws -> [String]? {
            guard let v = m[key] else { return nil }
            guard let a = v.arrayValue?.strings() else { throw GGUFTokenizerError.wrongType(key: key, expected: "string array") }
            return a
        }
        guard let model = try string("tokenizer.ggml.model") else {
            throw GGUFTokenizerError.missingKey(key: "tokenizer.ggml.model", model: "?")
        }
        guard let tokens = try strings("tokenizer.ggml.tokens") else { throw GGUFTokenizerError.missingTokens }
        var types: [Int32]?
        if let v = m["tokenizer.ggml.token_type"] {
            guard let ints = v.arrayValue?.ints() else {
                throw GGUFTokenizerError.wrongType(key: "tokenizer.ggml.token_type", expected: "i32 array")
            }
            types = ints.map { Int32(truncatingIfNeeded: $0) }
        }
        var scores: [Float]?
        if let v = m["tokenizer.ggml.scores"] {
            guard let f = v.arrayValue?.floats() else {
                throw GGUFTokenizerError.wrongType(key: "tokenizer.ggml.scores", expected: "f32 array")
            }
            scores = f
        }
        self.init(
            model: model, pre: try string("tokenizer.ggml.pre"), tokens: tokens, tokenTypes: types, scores: scores,
            merges: try strings("tokenizer.ggml.merges"),
            bosID: try id("tokenizer.ggml.bos_token_id"), eosID: try id("tokenizer.ggml.eos_token_id"),
            unknownID: try id("tokenizer.ggml.unknown_token_id"), paddingID: try id("tokenizer.ggml.padding_token_id"),
            eotID: try id("tokenizer.ggml.eot_token_id"), eomID: try id("tokenizer.ggml.eom_token_id"),
            addBOS: try flag("tokenizer.ggml.add_bos_token"), addEOS: try flag("tokenizer.ggml.add_eos_token"),
            addSpacePrefix: try flag("tokenizer.ggml.add_space_prefix"))
    }
}

extension GGUFTokenizerFactory {
    /// The tokenizer of a GGUF model file.
    public static func make(gguf: GGUFFile) throws -> any TextTokenizer {
        try make(GGUFTokenizerMetadata(gguf: gguf))
    }
}

extension ByteLevelBPETokenizer {
    public convenience init(gguf: GGUFFile) throws { try self.init(metadata: GGUFTokenizerMetadata(gguf: gguf)) }
}

extension SentencePieceTokenizer {
    public convenience init(gguf: GGUFFile) throws { try self.init(metadata: GGUFTokenizerMetadata(gguf: gguf)) }
}
