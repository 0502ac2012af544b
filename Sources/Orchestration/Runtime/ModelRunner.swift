import Foundation
import Inference

/// One word piece with its label after a token-classification pass, offsets in Unicode scalars of the document.
public struct ClassifiedToken: Sendable, Equatable {
    public var text: String
    public var id: Int32
    public var start: Int
    public var end: Int
    /// Word index within the document; pieces of one word share it.
    public var wordIndex: Int?
    /// The most probable label and its probability.
    public var label: String
    public var score: Float
    /// One probability per label of the model (softmax over the logits).
    public var probabilities: [Float]
}

/// A document's token-classification result: every token once, windows already merged back.
public struct TokenClassification: Sendable, Equatable {
    public var labels: [String]
    public var tokens: [ClassifiedToken]
    /// How many encoder windows the document needed.
    public var windowCount: Int
}

/// A tokenizer's view of a text: ids with Unicode-scalar offsets.
public struct TokenPiece: Sendable, Equatable {
    public var id: Int32
    public var text: String
    public var start: Int
    public var end: Int
    public var wordIndex: Int?
}

/// Why a model could not be loaded or run.
public enum ModelRunnerError: Error, Equatable, CustomStringConvertible {
    case unsupportedTask(modelID: String, task: String)
    case unsupportedModel(modelID: String, format: String, architecture: String, supported: [String])
    case missingFile(modelID: String, role: String, have: [String])
    case invalidOption(modelID: String, option: String, message: String)

    public var description: String {
        switch self {
        case let .unsupportedTask(modelID, task):
            return "model '\(modelID)' cannot \(task)"
        case let .unsupportedModel(modelID, format, architecture, supported):
            return "model '\(modelID)': no runner for format '\(format)' with architecture '\(architecture)' "
                + "(supported: \(supported.joined(separator: ", ")))"
        case let .missingFile(modelID, role, have):
            return "model '\(modelID)' needs a file with role '\(role)' in its adapter's model.files (it has: \(have.joined(separator: ", ")))"
        case let .invalidOption(modelID, option, message):
            return "model '\(modelID)', option '\(option)': \(message)"
        }
    }
}

/// The one seam between orchestration and the inference core: tests put a fake behind it, and every adapter
/// works with every backend that implements the tasks it needs.
public protocol ModelRunner: AnyObject, Sendable {
    var modelID: String { get }
    /// Label names for token classification (empty for other tasks).
    var labels: [String] { get }
    /// The tokens the model would see (no special tokens).
    func tokenize(_ text: String) throws -> [TokenPiece]
    /// Per-token labels for each document; long documents are cut into windows and merged back.
    func classifyTokens(_ texts: [String], window: TokenWindowSpec) throws -> [TokenClassification]
    /// One normalised sentence embedding per text (truncated to `maxTokens` word pieces).
    func embed(_ texts: [String], maxTokens: Int) throws -> [[Float]]
    /// The tokenizer of a generative model (grammar constraints are compiled over its vocabulary); nil otherwise.
    var textTokenizer: (any TextTokenizer)? { get }
    /// Generates text for a prompt; `constraint` (from the adapter's native output grammar) masks every step and
    /// `onText` receives text as it is decoded (never a partial UTF-8 character).
    func generate(_ prompt: GenerationPrompt, options: GenerationOptions, constraint: (any TokenConstraint)?,
                  onText: ((String) -> Void)?) throws -> GenerationResult
    /// Several generations, one result each in order; a runner that can steps them together (one forward pass per
    /// token for all of them). Each result is what `generate` gives for that request alone.
    func generate(batch: [GenerationRequest]) -> [Result<GenerationResult, Error>]
    /// `generate(batch:)` steps the generations together (so a chain hands it every record at once); false: it
    /// runs them one after the other (and a chain calls `generate` per record, each under its own deadline).
    var stepsGenerationsTogether: Bool { get }
}

/// One generation of a batch.
public struct GenerationRequest {
    public var prompt: GenerationPrompt
    public var options: GenerationOptions
    public var constraint: (any TokenConstraint)?

    public init(prompt: GenerationPrompt, options: GenerationOptions, constraint: (any TokenConstraint)? = nil) {
        self.prompt = prompt
        self.options = options
        self.constraint = constraint
    }
}

/// Window budget for encoders: word pieces per window (without [CLS]/[SEP]) and overlap between windows.
public struct TokenWindowSpec: Sendable, Hashable {
    public var maxTokens: Int
    public var overlap: Int
    public init(maxTokens: Int = 510, overlap: Int = 128) {
        self.maxTokens = maxTokens
        self.overlap = overlap
    }
}

extension ModelRunner {
    public var labels: [String] { [] }

    public func classifyTokens(_ texts: [String], window: TokenWindowSpec) throws -> [TokenClassification] {
        throw ModelRunnerError.unsupportedTask(modelID: modelID, task: "classify tokens")
    }

    public func embed(_ texts: [String], maxTokens: Int) throws -> [[Float]] {
        throw ModelRunnerError.unsupportedTask(modelID: modelID, task: "embed text")
    }

    public var textTokenizer: (any TextTokenizer)? { nil }

    public func generate(_ prompt: GenerationPrompt, options: GenerationOptions, constraint: (any TokenConstraint)?,
                         onText: ((String) -> Void)?) throws -> GenerationResult {
        throw ModelRunnerError.unsupportedTask(modelID: modelID, task: "generate text")
    }

    public var stepsGenerationsTogether: Bool { false }

    /// One `generate` after the other.
    public func generate(batch: [GenerationRequest]) -> [Result<GenerationResult, Error>] {
        batch.map { r in Result { try generate(r.prompt, options: r.options, constraint: r.constraint, onText: nil) } }
    }
}
