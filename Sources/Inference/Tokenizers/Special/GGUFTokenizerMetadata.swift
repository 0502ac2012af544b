/// Token kinds as stored in `tokenizer.ggml.token_type` (llama.cpp `llama_token_type`).
public enum GGUFTokenType: Int32, Sendable, CaseIterable {
    case undefined = 0, normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6

    /// Unknown values behave like `undefined`, as in llama.cpp.
    public init(raw: Int32) { self = GGUFTokenType(rawValue: raw) ?? .undefined }
}

/// The tokenizer part of a GGUF file as plain arrays, so tokenizers can be built and tested without the reader.
///
/// Field names follow the GGUF keys (`tokenizer.ggml.*`, FORMATS.md 1.4). Optional flags left nil take
/// llama.cpp's defaults for the tokenizer model.
public struct GGUFTokenizerMetadata: Sendable {
    /// `tokenizer.ggml.model`: `gpt2` (byte-level BPE) or `llama` (SentencePiece).
    public var model: String
    /// `tokenizer.ggml.pre`: llama.cpp pre-tokenizer name (BPE only).
    public var pre: String?
    public var tokens: [String]
    public var tokenTypes: [Int32]?
    public var scores: [Float]?
    /// `"left right"` strings, rank = index.
    public var merges: [String]?
    public var bosID: Int32?
    public var eosID: Int32?
    public var unknownID: Int32?
    public var paddingID: Int32?
    public var eotID: Int32?
    public var eomID: Int32?
    public var addBOS: Bool?
    public var addEOS: Bool?
    public var addSpacePrefix: Bool?

    public init(
        model: String, pre: String? = nil, tokens: [String], tokenTypes: [Int32]? = nil, scores: [Float]? = nil,
        merges: [String]? = nil, bosID: Int32? = nil, eosID: Int32? = nil, unknownID: Int32? = nil,
        paddingID: Int32? = nil, eotID: Int32? = nil, eomID: Int32? = nil, addBOS: Bool? = nil,
        addEOS: Bool? = nil, addSpacePrefix: Bool? = nil
    ) {
        self.model = model
        self.pre = pre
        self.tokens = tokens
        self.tokenTypes = tokenTypes
        self.scores = scores
        self.merges = merges
        self.bosID = bosID
        self.eosID = eosID
        self.unknownID = unknownID
        self.paddingID = paddingID
        self.eotID = eotID
        self.eomID = eomID
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.addSpacePrefix = addSpacePrefix
    }
}
