import Foundation

/// How the next token is picked from the logits. `temperature == 0` is greedy (argmax), the default, so the same
/// input always gives the same output.
public struct SamplingOptions: Sendable, Equatable {
    public var temperature: Float
    /// Keep only the `topK` most probable tokens (0: all).
    public var topK: Int
    /// Keep the smallest set of tokens whose probabilities add up to `topP` (1: all).
    public var topP: Float
    /// > 1 makes tokens already in the recent context less likely (llama.cpp `repeat_penalty`); 1 disables it.
    public var repetitionPenalty: Float
    /// How many recent tokens the repetition penalty looks at (llama.cpp `repeat_last_n`).
    public var repetitionWindow: Int
    /// Seed of the sampler's random generator; the same seed and options give the same text.
    public var seed: UInt64

    public init(temperature: Float = 0, topK: Int = 40, topP: Float = 0.95, repetitionPenalty: Float = 1,
                repetitionWindow: Int = 64, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.repetitionPenalty = repetitionPenalty
        self.repetitionWindow = repetitionWindow
        self.seed = seed
    }

    public static let greedy = SamplingOptions()
}

/// Limits and stop conditions of one generation.
public struct GenerationOptions: Sendable, Equatable {
    /// Tokens to generate at most (the prompt not counted).
    public var maxTokens: Int
    public var sampling: SamplingOptions
    /// Generation stops when the text ends with one of these; the stop string itself is not returned.
    public var stopStrings: [String]
    /// Wall-clock budget in seconds for prompt + generation (nil: none).
    public var timeLimit: Double?

    public init(maxTokens: Int = 256, sampling: SamplingOptions = .greedy, stopStrings: [String] = [],
                timeLimit: Double? = nil) {
        self.maxTokens = maxTokens
        self.sampling = sampling
        self.stopStrings = stopStrings
        self.timeLimit = timeLimit
    }
}

/// Why generation ended.
public enum StopReason: Sendable, Equatable, CustomStringConvertible {
    /// The model produced an end-of-generation token (EOS, `<|im_end|>`, `<end_of_turn>`, ...).
    case endOfGeneration
    case stopString(String)
    case maxTokens
    case timeLimit
    /// The output grammar accepted the text and allows nothing more.
    case grammarComplete
    /// The context window is full.
    case contextFull

    public var description: String {
        switch self {
        case .endOfGeneration: return "end of generation"
        case .stopString(let s): return "stop string \(s.debugDescription)"
        case .maxTokens: return "token limit"
        case .timeLimit: return "time limit"
        case .grammarComplete: return "grammar complete"
        case .contextFull: return "context full"
        }
    }
}

/// What one generation produced.
public struct GenerationResult: Sendable, Equatable {
    /// The generated text (prompt excluded, stop string excluded).
    public var text: String
    /// Generated token ids (end-of-generation token excluded).
    public var tokens: [Int32]
    public var promptTokenCount: Int
    public var stopReason: StopReason
    /// Seconds spent on the prompt (prefill) and on generating tokens (decode).
    public var prefillSeconds: Double
    public var decodeSeconds: Double

    public init(text: String, tokens: [Int32], promptTokenCount: Int, stopReason: StopReason,
                prefillSeconds: Double = 0, decodeSeconds: Double = 0) {
        self.text = text
        self.tokens = tokens
        self.promptTokenCount = promptTokenCount
        self.stopReason = stopReason
        self.prefillSeconds = prefillSeconds
        self.decodeSeconds = decodeSeconds
    }
}

/// One message of a chat prompt.
public struct ChatMessage: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable {
        case system, user, assistant
    }

    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }
}

/// A generation prompt: chat messages wrapped in the model's chat template, or raw text fed as it is.
public enum GenerationPrompt: Sendable, Equatable {
    case chat([ChatMessage])
    case raw(String)
}
