import Foundation
import Inference
import Orchestration

/// A scripted `ModelRunner`: generations, token labels and embeddings come from closures, and every call is
/// counted, so tests can drive the executor without a model and see how it called the runner.
final class FakeRunner: ModelRunner, @unchecked Sendable {  // counters behind `lock`
    let modelID: String
    var labels: [String] = ["O", "B-EMAIL", "I-EMAIL"]
    /// Answers per prompt (the user message content, or the raw text).
    var generateText: (GenerationPrompt) throws -> String = { _ in "{}" }
    /// Seconds each generate/embed/classify call sleeps (for timeouts).
    var delay: Double = 0
    var classify: ([String]) throws -> [TokenClassification] = { _ in [] }
    var embedTexts: ([String]) throws -> [[Float]] = { texts in texts.map { _ in [1, 0] } }

    private let lock = NSLock()
    private var _calls: [String] = []
    private var _prompts: [GenerationPrompt] = []
    private var _options: [GenerationOptions] = []

    init(_ modelID: String) { self.modelID = modelID }

    var calls: [String] { lock.lock(); defer { lock.unlock() }; return _calls }
    var prompts: [GenerationPrompt] { lock.lock(); defer { lock.unlock() }; return _prompts }
    var options: [GenerationOptions] { lock.lock(); defer { lock.unlock() }; return _options }

    private func record(_ call: String) {
        lock.lock(); _calls.append(call); lock.unlock()
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
    }

    func tokenize(_ text: String) throws -> [TokenPiece] {
        text.split(separator: " ").enumerated().map { k, w in TokenPiece.make(id: Int32(k), text: String(w), start: 0, end: 0, wordIndex: k) }
    }

    func classifyTokens(_ texts: [String], window: TokenWindowSpec) throws -> [TokenClassification] {
        record("classify(\(texts.count))")
        return try classify(texts)
    }

    func embed(_ texts: [String], maxTokens: Int) throws -> [[Float]] {
        record("embed(\(texts.count))")
        return try embedTexts(texts)
    }

    func generate(_ prompt: GenerationPrompt, options: GenerationOptions, constraint: (any TokenConstraint)?,
                  onText: ((String) -> Void)?) throws -> GenerationResult {
        lock.lock(); _prompts.append(prompt); _options.append(options); lock.unlock()
        record("generate")
        let text = try generateText(prompt)
        return GenerationResult(text: text, tokens: Array(repeating: 7, count: 5), promptTokenCount: 11, stopReason: .endOfGeneration)
    }

    /// The user message of a chat prompt, or the raw text.
    static func userText(_ prompt: GenerationPrompt) -> String {
        switch prompt {
        case .raw(let t): return t
        case .chat(let m): return m.last { $0.role == .user }?.content ?? ""
        }
    }
}

struct FakeFailure: Error, CustomStringConvertible { var description: String { "scripted failure" } }

/// Runners by model id, loaded "once" (counted), for `ChainExecutor`.
final class FakeRunners: RunnerProvider, @unchecked Sendable {
    var runners: [String: FakeRunner]
    var loads: [String] = []
    init(_ runners: [FakeRunner]) { self.runners = Dictionary(uniqueKeysWithValues: runners.map { ($0.modelID, $0) }) }

    func runner(for model: ModelDefinition) throws -> any ModelRunner {
        loads.append(model.id)
        guard let r = runners[model.id] else { throw ModelRunnerError.unsupportedModel(modelID: model.id, format: "fake", architecture: "fake", supported: []) }
        return r
    }
}
