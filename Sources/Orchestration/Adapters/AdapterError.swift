import Canonical

/// Why an adapter could not build model input, run its model, or read the model's answer. Each case names the
/// adapter; a step that meets one fails (and tries its fallback) with the message in `errors[]`.
public enum AdapterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A prompt placeholder or `input.text` path has no value in the record (`artifacts[0].content` with no artifact).
    case missingValue(adapter: String, path: String)
    /// A raw (`chat: none`) prompt value holds text the model's tokenizer would read as a control token.
    case controlTokenInValue(adapter: String, path: String)
    /// `input.map` built native input that its native input schema rejects.
    case invalidNativeInput(adapter: String, violations: [String])
    /// The model's native output does not validate against the native output schema.
    case invalidNativeOutput(adapter: String, violations: [String])
    /// A generator's text is not a JSON document.
    case unparsableOutput(adapter: String, message: String, text: String)
    /// A generator asked for a fenced code block (`input.answer: code-block`) answered without a complete one.
    case noCodeBlock(adapter: String, message: String, text: String)
    /// The adapter's task and input shape have no engine (`generation` with `input.map`, ...).
    case unsupportedShape(adapter: String, message: String)
    /// A declared model option has the wrong type or range.
    case invalidOption(adapter: String, option: String, message: String)
    /// The runner returned a different number of results than inputs.
    case runnerContract(adapter: String, message: String)
    /// The native schema named by the adapter is not loaded in the project.
    case missingSchema(adapter: String, path: String)
    /// An `input.quote` source holds no piece the quoted native string may be (no sentence in an empty document).
    case nothingToQuote(adapter: String, at: String, from: String)

    public var adapter: String {
        switch self {
        case let .missingValue(a, _), let .controlTokenInValue(a, _), let .invalidNativeInput(a, _),
             let .invalidNativeOutput(a, _), let .unparsableOutput(a, _, _), let .noCodeBlock(a, _, _), let .unsupportedShape(a, _),
             let .invalidOption(a, _, _), let .runnerContract(a, _), let .missingSchema(a, _), let .nothingToQuote(a, _, _):
            return a
        }
    }

    /// The `errors[].kind` a step failing with this error records.
    public var kind: String {
        switch self {
        case .missingValue, .controlTokenInValue, .invalidNativeInput, .nothingToQuote: return "invalid-input"
        case .invalidNativeOutput, .unparsableOutput, .noCodeBlock: return "invalid-output"
        case .unsupportedShape, .invalidOption, .missingSchema: return "adapter"
        case .runnerContract: return "model"
        }
    }

    public var description: String {
        switch self {
        case let .missingValue(a, path):
            return "adapter '\(a)': the record has no value at '\(path)'"
        case let .controlTokenInValue(a, path):
            return "adapter '\(a)': the value of '\(path)' contains a control token of the model; "
                + "raw prompts (chat: none) cannot carry it safely — use chat: auto"
        case let .invalidNativeInput(a, v):
            return "adapter '\(a)': native input does not validate: \(Self.list(v))"
        case let .invalidNativeOutput(a, v):
            return "adapter '\(a)': native output does not validate: \(Self.list(v))"
        case let .unparsableOutput(a, message, text):
            let shown = text.count > 200 ? String(text.prefix(200)) + "…" : text
            return "adapter '\(a)': the model's answer is not JSON (\(message)): \(shown.debugDescription)"
        case let .noCodeBlock(a, message, text):
            let shown = text.count > 200 ? String(text.prefix(200)) + "…" : text
            return "adapter '\(a)': the model's answer has no code block (\(message)): \(shown.debugDescription)"
        case let .unsupportedShape(a, message):
            return "adapter '\(a)': \(message)"
        case let .invalidOption(a, option, message):
            return "adapter '\(a)', model option '\(option)': \(message)"
        case let .runnerContract(a, message):
            return "adapter '\(a)': \(message)"
        case let .missingSchema(a, path):
            return "adapter '\(a)': native schema '\(path)' is not loaded"
        case let .nothingToQuote(a, at, from):
            return "adapter '\(a)': input.quote: the record has nothing at '\(from)' that '\(at)' could quote"
        }
    }

    static func list(_ v: [String]) -> String {
        v.prefix(5).joined(separator: "; ") + (v.count > 5 ? " (and \(v.count - 5) more)" : "")
    }
}
