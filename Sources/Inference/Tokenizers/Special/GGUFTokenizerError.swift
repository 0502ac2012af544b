/// Why a tokenizer could not be built from GGUF tokenizer metadata. Each case names the key at fault.
public enum GGUFTokenizerError: Error, Equatable, CustomStringConvertible {
    /// `tokenizer.ggml.tokens` is absent or empty.
    case missingTokens
    /// An array key has a different length than `tokenizer.ggml.tokens`.
    case lengthMismatch(key: String, expected: Int, actual: Int)
    /// A required key is absent for this tokenizer model.
    case missingKey(key: String, model: String)
    /// `tokenizer.ggml.merges[index]` is not two space-separated parts.
    case malformedMerge(index: Int, merge: String)
    /// `tokenizer.ggml.merges[index]` names a piece that is not a token.
    case mergeNamesUnknownToken(index: Int, merge: String, piece: String)
    /// A special token id key points outside the vocabulary.
    case tokenIDOutOfRange(key: String, id: Int32, vocabSize: Int)
    /// `tokenizer.ggml.pre` names a pre-tokenizer this code does not implement.
    case unknownPreTokenizer(name: String, known: [String])
    /// `tokenizer.ggml.model` is not one of the supported tokenizer models.
    case unsupportedModel(name: String, supported: [String])
    /// A key is present with a different value type than GGUF specifies.
    case wrongType(key: String, expected: String)

    public var description: String {
        switch self {
        case .missingTokens:
            return "tokenizer.ggml.tokens: missing or empty; the GGUF file carries no vocabulary"
        case let .lengthMismatch(key, expected, actual):
            return "\(key): expected \(expected) entries (one per token in tokenizer.ggml.tokens), found \(actual)"
        case let .missingKey(key, model):
            return "\(key): required for tokenizer model '\(model)' but absent"
        case let .malformedMerge(index, merge):
            return "tokenizer.ggml.merges[\(index)]: expected \"left right\", found \"\(merge)\""
        case let .mergeNamesUnknownToken(index, merge, piece):
            return "tokenizer.ggml.merges[\(index)] \"\(merge)\": piece \"\(piece)\" is not in tokenizer.ggml.tokens"
        case let .tokenIDOutOfRange(key, id, vocabSize):
            return "\(key): token id \(id) is outside the vocabulary (size \(vocabSize))"
        case let .unknownPreTokenizer(name, known):
            return "tokenizer.ggml.pre: unknown pre-tokenizer '\(name)'; known: \(known.joined(separator: ", "))"
        case let .unsupportedModel(name, supported):
            return "tokenizer.ggml.model: unsupported tokenizer '\(name)'; supported: \(supported.joined(separator: ", "))"
        case let .wrongType(key, expected):
            return "\(key): expected \(expected)"
        }
    }
}
