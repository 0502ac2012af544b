/// Why a BERT model could not be built or run; each case says where and what was expected.
public enum BertError: Error, Equatable, CustomStringConvertible {
    /// config.json is not valid JSON or a key has the wrong type / value.
    case invalidConfig(path: String, key: String, expected: String)
    /// A weight the architecture needs is absent from the file.
    case missingTensor(file: String, name: String)
    /// A weight has a shape other than the config implies.
    case shapeMismatch(file: String, name: String, expected: [Int], found: [Int])
    /// A weight is stored in a form this loader does not read.
    case unsupportedTensor(file: String, name: String, reason: String)
    /// An input sequence is empty.
    case emptySequence(index: Int)
    /// An input sequence is longer than the model's position table.
    case sequenceTooLong(index: Int, length: Int, maximum: Int)
    /// A token id is outside the vocabulary.
    case tokenOutOfRange(sequence: Int, position: Int, id: Int32, vocabularySize: Int)
    /// Attention mask / token type arrays do not match the ids.
    case inputMismatch(sequence: Int, what: String, expected: Int, found: Int)
    /// The model has no token-classification head.
    case noClassifier

    public var description: String {
        switch self {
        case let .invalidConfig(path, key, expected):
            return "\(path): config key '\(key)' must be \(expected)"
        case let .missingTensor(file, name):
            return "\(file): tensor '\(name)' is missing (is this a BERT checkpoint?)"
        case let .shapeMismatch(file, name, expected, found):
            return "\(file): tensor '\(name)' has shape \(found), expected \(expected) from the config"
        case let .unsupportedTensor(file, name, reason):
            return "\(file): tensor '\(name)' cannot be read: \(reason)"
        case let .emptySequence(index):
            return "input sequence \(index) is empty (it needs at least one token, e.g. [CLS])"
        case let .sequenceTooLong(index, length, maximum):
            return "input sequence \(index) has \(length) tokens; the model takes at most \(maximum) (split it into windows)"
        case let .tokenOutOfRange(sequence, position, id, vocabularySize):
            return "input sequence \(sequence), position \(position): token id \(id) is outside the vocabulary (0..<\(vocabularySize))"
        case let .inputMismatch(sequence, what, expected, found):
            return "input sequence \(sequence): \(what) has \(found) entries, expected \(expected)"
        case .noClassifier:
            return "this BERT model has no token-classification head (classifier.weight); use embed instead"
        }
    }
}
