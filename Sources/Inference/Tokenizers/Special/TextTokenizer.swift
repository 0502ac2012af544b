/// A tokenizer read from a GGUF file: text ↔ token ids with llama.cpp's exact behaviour.
///
/// `encode` mirrors llama.cpp `llama_tokenize(text, add_special, parse_special)`; `decode` mirrors
/// `llama_detokenize(ids, remove_special: false, unparse_special: renderSpecial)`.
public protocol TextTokenizer: Sendable {
    var vocabSize: Int { get }
    var bosID: Int32? { get }
    var eosID: Int32? { get }
    /// Ids that end generation (eos, eot, and control tokens such as `<|im_end|>` or `<end_of_turn>`).
    var endOfGenerationIDs: Set<Int32> { get }

    /// - Parameters:
    ///   - addSpecial: add BOS (and EOS) when the model's metadata asks for them.
    ///   - parseSpecial: turn control-token texts such as `<|im_start|>` in `text` into their ids.
    func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [Int32]
    func decode(_ ids: [Int32]) -> String
    /// Token text as stored in the vocabulary (byte-level or `▁` form), or nil for an id out of range.
    func tokenText(_ id: Int32) -> String?
    func tokenType(_ id: Int32) -> GGUFTokenType?
    /// The bytes one token renders to (llama.cpp `token_to_piece`); control tokens render only when asked.
    func pieceBytes(_ id: Int32, renderSpecial: Bool) -> [UInt8]
    /// True when decoding drops one leading space of the first piece (SentencePiece `add_space_prefix`).
    var decodeStripsLeadingSpace: Bool { get }
}

extension TextTokenizer {
    public func decode(_ ids: [Int32]) -> String { decode(ids, renderSpecial: false) }

    public func decode(_ ids: [Int32], renderSpecial: Bool) -> String {
        String(decoding: decodeBytes(ids, renderSpecial: renderSpecial), as: UTF8.self)
    }

    /// Raw decoded bytes; may end inside a multi-byte character when `ids` is a prefix of a longer sequence.
    public func decodeBytes(_ ids: [Int32], renderSpecial: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        for (i, id) in ids.enumerated() {
            var piece = pieceBytes(id, renderSpecial: renderSpecial)
            if i == 0, decodeStripsLeadingSpace, piece.first == 0x20 { piece.removeFirst() }
            out += piece
        }
        return out
    }

    public func encode(_ text: String) -> [Int32] { encode(text, addSpecial: true, parseSpecial: false) }
}

/// Builds the tokenizer a GGUF file asks for (`tokenizer.ggml.model`).
public enum GGUFTokenizerFactory {
    public static let supportedModels = ["gpt2", "llama"]

    public static func make(_ metadata: GGUFTokenizerMetadata) throws -> any TextTokenizer {
        switch metadata.model {
        case "gpt2": return try ByteLevelBPETokenizer(metadata: metadata)
        case "llama": return try SentencePieceTokenizer(metadata: metadata)
        default: throw GGUFTokenizerError.unsupportedModel(name: metadata.model, supported: supportedModels)
        }
    }
}
