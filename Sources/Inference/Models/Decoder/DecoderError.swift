import Kernels

/// Why a decoder model could not be loaded or run; each case names what is wrong and where.
public enum DecoderError: Error, Equatable, CustomStringConvertible {
    case unknownArchitecture(String?, known: [String])
    case missingMetadata(key: String, path: String)
    case invalidMetadata(key: String, value: String, expected: String)
    case missingTensor(name: String, path: String)
    case tensorShape(name: String, shape: [Int], expected: [Int])
    case unsupportedTensorType(name: String, type: GGMLType)
    case contextFull(capacity: Int)
    case invalidToken(Int32, vocabSize: Int)
    case emptyPrompt
    case unknownChatTemplate(String)
    case invalidOption(String)
    /// A batched step was given sessions of different models.
    case batchMixesModels
    /// A batched step was given the same session twice.
    case batchRepeatsSession

    public var description: String {
        switch self {
        case let .unknownArchitecture(name, known):
            return "unknown decoder architecture '\(name ?? "(general.architecture missing)")' "
                + "(known: \(known.joined(separator: ", ")))"
        case let .missingMetadata(key, path):
            return "\(path): metadata key '\(key)' is missing"
        case let .invalidMetadata(key, value, expected):
            return "metadata '\(key)' = \(value): expected \(expected)"
        case let .missingTensor(name, path):
            return "\(path): tensor '\(name)' is missing"
        case let .tensorShape(name, shape, expected):
            return "tensor '\(name)' has shape \(shape), expected \(expected)"
        case let .unsupportedTensorType(name, type):
            return "tensor '\(name)' has type \(type.name), which has no matmul kernel"
        case let .contextFull(capacity):
            return "the context window is full (\(capacity) tokens); shorten the prompt or raise the context length"
        case let .invalidToken(id, vocabSize):
            return "token id \(id) is outside the vocabulary (0..<\(vocabSize))"
        case .emptyPrompt:
            return "the prompt has no tokens"
        case let .unknownChatTemplate(what):
            return "unknown chat template (\(what)); supported: ChatML, Gemma, Qwen3 — supply a template in the adapter or use a raw prompt"
        case let .invalidOption(message):
            return message
        case .batchMixesModels:
            return "a batched decoder step needs sessions of one model"
        case .batchRepeatsSession:
            return "a batched decoder step was given the same session twice (one next token per session)"
        }
    }
}
