/// Why a WordPiece vocabulary could not be loaded or used.
public enum WordPieceError: Error, Equatable, CustomStringConvertible {
    /// The vocabulary file could not be read at all.
    case unreadableVocabulary(path: String, reason: String)
    /// A line of the vocabulary file is not valid UTF-8 (`line` counts from 1).
    case invalidUTF8(path: String, line: Int)
    /// The vocabulary has no entries.
    case emptyVocabulary(source: String)
    /// More entries than an `Int32` token id can address.
    case vocabularyTooLarge(source: String, count: Int)
    /// A special token the tokenizer needs is not in the vocabulary.
    case missingSpecialToken(source: String, role: String, token: String)
    /// `maxInputCharsPerWord` must be at least 1.
    case invalidMaxInputCharsPerWord(Int)

    public var description: String {
        switch self {
        case let .unreadableVocabulary(path, reason):
            return "cannot read WordPiece vocabulary \(path): \(reason)"
        case let .invalidUTF8(path, line):
            return "\(path):\(line): vocabulary line is not valid UTF-8 (vocab.txt must be UTF-8, one token per line)"
        case let .emptyVocabulary(source):
            return "\(source): the WordPiece vocabulary is empty (expected one token per line)"
        case let .vocabularyTooLarge(source, count):
            return "\(source): \(count) vocabulary entries exceed the Int32 token id range"
        case let .missingSpecialToken(source, role, token):
            return "\(source): the \(role) token \"\(token)\" is not in the vocabulary; pass the vocabulary's own spelling of it"
        case let .invalidMaxInputCharsPerWord(value):
            return "maxInputCharsPerWord must be at least 1, got \(value)"
        }
    }
}
