/// Token texts as bytes with a byte-exact text → id lookup, shared by the GGUF tokenizers.
///
/// Works on bytes, not `String`, because llama.cpp compares `std::string` bytes: two texts that are
/// canonically equivalent Unicode but spelled differently are different tokens.
struct TokenVocabulary: Sendable {
    let pieces: [[UInt8]]
    let texts: [String]
    let types: [GGUFTokenType]
    /// Later ids overwrite earlier ones for a repeated text, like llama.cpp's `token_to_id[text] = id`.
    private let idByPiece: [ArraySlice<UInt8>: Int32]

    var count: Int { pieces.count }

    init(tokens: [String], tokenTypes: [Int32]?) throws {
        guard !tokens.isEmpty else { throw GGUFTokenizerError.missingTokens }
        if let tokenTypes, tokenTypes.count != tokens.count {
            throw GGUFTokenizerError.lengthMismatch(
                key: "tokenizer.ggml.token_type", expected: tokens.count, actual: tokenTypes.count)
        }
        texts = tokens
        pieces = tokens.map { Array($0.utf8) }
        types = tokenTypes.map { $0.map(GGUFTokenType.init(raw:)) } ?? Array(repeating: .normal, count: tokens.count)
        var map: [ArraySlice<UInt8>: Int32] = [:]
        map.reserveCapacity(tokens.count)
        for (i, p) in pieces.enumerated() { map[p[...]] = Int32(i) }
        idByPiece = map
    }

    func id(of bytes: ArraySlice<UInt8>) -> Int32? { idByPiece[bytes] }
    func id(of bytes: [UInt8]) -> Int32? { idByPiece[bytes[...]] }

    func contains(_ id: Int32) -> Bool { id >= 0 && Int(id) < pieces.count }

    func type(_ id: Int32) -> GGUFTokenType? { contains(id) ? types[Int(id)] : nil }

    /// Checks an optional special-token id key against the vocabulary size.
    func checked(_ id: Int32?, key: String) throws -> Int32? {
        guard let id else { return nil }
        guard contains(id) else { throw GGUFTokenizerError.tokenIDOutOfRange(key: key, id: id, vocabSize: count) }
        return id
    }

    /// Ids that end a generation: eos/eot/eom plus control tokens whose text llama.cpp treats as end-of-generation.
    func endOfGenerationIDs(eos: Int32?, eot: Int32?, eom: Int32?) -> Set<Int32> {
        let names: Set<String> = [
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<EOT>", "_<EOT>",
            "<|end_of_text|>", "<end_of_utterance>",
        ]
        var ids = Set([eos, eot, eom].compactMap { $0 })
        for (i, t) in texts.enumerated() where types[i] == .control && names.contains(t) { ids.insert(Int32(i)) }
        return ids
    }
}
