/// A chain (`Chains/<name>.yaml`): steps that run adapters or deterministic checks over canonical records.
public struct ChainDefinition: Sendable {
    /// Equals the file name stem.
    public var name: String
    public var description: String
    public var input: ChainInput
    /// In file order; `needs` gives the partial order the executor follows.
    public var steps: [ChainStep]
    public var output: ChainOutput
    public var location: SourceLocation

    public init(name: String, description: String = "", input: ChainInput = ChainInput(format: .text), steps: [ChainStep],
                output: ChainOutput = ChainOutput(format: .jsonl), location: SourceLocation = SourceLocation(file: "<memory>")) {
        self.name = name; self.description = description; self.input = input; self.steps = steps
        self.output = output; self.location = location
    }

    public func step(_ id: String) -> ChainStep? { steps.first { $0.id == id } }
}

public struct ChainInput: Sendable, Hashable {
    public enum Format: String, Sendable, CaseIterable {
        /// A directory of text files; the id is the file name.
        case textDir = "text-dir"
        /// One JSON object per line; `id` and `text` name its fields.
        case jsonl
        /// One text file or standard input.
        case text
    }

    public var format: Format
    /// The input field holding the document id (jsonl; default `id`).
    public var idField: String
    /// The input field holding the text (jsonl; default `text`).
    public var textField: String

    public init(format: Format, idField: String = "id", textField: String = "text") {
        self.format = format
        self.idField = idField
        self.textField = textField
    }
}

public struct ChainOutput: Sendable, Hashable {
    public enum Format: String, Sendable, CaseIterable {
        case jsonl
    }

    public var format: Format

    public init(format: Format) { self.format = format }
}

public struct ChainStep: Sendable {
    public var id: String
    public var action: StepAction
    /// Steps that must finish first.
    public var needs: [String]
    /// Run only when this holds for the record so far.
    public var when: WhenExpression?
    /// The source text of `when`, for messages.
    public var whenSource: String?
    /// Adapter tried when this step fails or its checks fail.
    public var fallback: String?
    public var limits: StepLimits
    public var location: SourceLocation

    public init(id: String, action: StepAction, needs: [String] = [], when: WhenExpression? = nil, whenSource: String? = nil,
                fallback: String? = nil, limits: StepLimits = StepLimits(),
                location: SourceLocation = SourceLocation(file: "<memory>")) {
        self.id = id; self.action = action; self.needs = needs; self.when = when; self.whenSource = whenSource
        self.fallback = fallback; self.limits = limits; self.location = location
    }
}

public enum StepAction: Sendable, Hashable {
    case adapter(String)
    case check(CheckKind)
    /// A deterministic record-to-record step with no model (`transform: redact`).
    case transform(StepTransformKind)
}

/// Deterministic steps that derive new canonical items from the record so far.
public enum StepTransformKind: String, Sendable, CaseIterable {
    /// A `redacted-text` artifact: `document.text` with every entity span replaced by `[TYPE]`.
    case redact
}

/// Deterministic checks: proof before "done".
public enum CheckKind: String, Sendable, CaseIterable {
    /// Every span's `text` equals `document.text[start..<end]`.
    case spansMatchText = "spans-match-text"
    /// Every evidence span points into the document.
    case evidenceExists = "evidence-exists"
    /// The record validates against the canonical schema.
    case schemaValid = "schema-valid"
    /// Every `diff` artifact applies cleanly to the code artifact it names (same path, else the first one).
    case diffApplies = "diff-applies"
}

public struct StepLimits: Sendable, Hashable {
    public var maxTokens: Int?
    public var timeout: Duration?

    public init(maxTokens: Int? = nil, timeout: Duration? = nil) {
        self.maxTokens = maxTokens
        self.timeout = timeout
    }
}
