import Canonical

/// One model's adapter (`Adapters/<id>.yaml`): where its weights come from, its native schemas, and how canonical
/// records become model input and model output becomes canonical fields.
public struct AdapterDefinition: Sendable {
    /// Equals the file name stem.
    public var id: String
    public var version: SemanticVersion
    public var description: String
    public var model: ModelDefinition
    public var native: NativeSchemas
    public var input: InputSpec
    public var output: [OutputTransform]
    public var examples: [AdapterExample]
    /// Where the adapter was read from (`Adapters/rampart-pii.yaml:1:1`).
    public var location: SourceLocation
}

/// What a model does, which decides the shape of `input`.
public enum ModelTask: String, Sendable, CaseIterable {
    case tokenClassification = "token-classification"
    case embedding
    case generation
}

public enum WeightFormat: String, Sendable, CaseIterable {
    case onnx
    case safetensors
    case gguf
}

/// The model an adapter drives.
public struct ModelDefinition: Sendable {
    /// The name `franca models pull` and `franca tag` take.
    public var id: String
    public var task: ModelTask
    public var format: WeightFormat
    /// One of `knownArchitectures`.
    public var architecture: String
    /// Files by role (`weights`, `vocab`, `config`, `tokenizer`, ...), in file order.
    public var files: [ModelFile]
    /// Free architecture options (label source, pooling, ...), read by the architecture that uses them.
    public var options: JSONObject

    /// Architectures the inference core implements or is about to; an unknown one is a load error with a suggestion.
    public static let knownArchitectures = ["bert", "llama", "gemma3", "qwen2", "qwen3"]

    public func file(_ role: String) -> ModelFile? { files.first { $0.role == role } }
}

/// One model file: its role, where to get it and the digest it must have.
public struct ModelFile: Sendable {
    public var role: String
    public var source: ModelFileSource
    /// Lowercase hex; every source has one, so a file is verified before first use wherever it came from.
    public var sha256: String
}

public enum ModelFileSource: Sendable {
    /// A file inside a pinned PyPI wheel.
    case pypi(PackageRequirement, path: String)
    /// A file split over several wheels (size limits), concatenated in order.
    case parts([ModelFilePart])
    /// A file on this machine; relative paths are relative to the project root.
    case local(path: String)
}

public struct ModelFilePart: Sendable {
    public var requirement: PackageRequirement
    public var path: String
}

/// The model's own input and output JSON Schemas, as project-relative paths.
public struct NativeSchemas: Sendable {
    public var input: String
    public var output: String
}

/// How a canonical record becomes model input.
public enum InputSpec: Sendable {
    /// Encoders reading one text field, split into overlapping windows of tokens.
    case text(TextInput)
    /// Models whose native input is JSON built from canonical fields (`map:`).
    case fields([FieldMapping])
    /// Generators: a prompt template over canonical fields.
    case prompt(PromptInput)
}

public struct TextInput: Sendable {
    public var text: CanonicalPath
    public var window: WindowSpec?
}

public struct WindowSpec: Sendable, Hashable {
    public var maxTokens: Int
    public var overlap: Int

    public init(maxTokens: Int, overlap: Int) {
        self.maxTokens = maxTokens
        self.overlap = overlap
    }
}

/// One field copied between canonical and native JSON (used by `input.map` and the `json` output transform).
public struct FieldMapping: Sendable {
    public enum Source: Sendable, Hashable {
        case canonical(CanonicalPath)
        case native(NativePointer)
        /// A constant written into every target (`value: compliance`).
        case constant(JSONValue)
    }

    public enum Target: Sendable, Hashable {
        case canonical(CanonicalPath)
        case native(NativePointer)
    }

    public enum Coercion: String, Sendable, CaseIterable {
        case string, number, integer, boolean
    }

    public var from: Source
    public var to: Target
    public var coerce: Coercion?
    /// Value renames applied after reading (`unclear: unknown`).
    public var values: [(from: String, to: String)]
    public var location: SourceLocation

    public init(from: Source, to: Target, coerce: Coercion? = nil, values: [(from: String, to: String)] = [],
                location: SourceLocation = SourceLocation(file: "<memory>")) {
        self.from = from; self.to = to; self.coerce = coerce; self.values = values; self.location = location
    }
}

public struct PromptInput: Sendable {
    public enum ChatMode: String, Sendable, CaseIterable {
        /// Wrap in the chat template that ships with the weights.
        case auto
        /// Feed the rendered template as raw text.
        case none
    }

    public enum GrammarMode: String, Sendable, CaseIterable {
        /// Decode under a grammar compiled from the native output schema.
        case nativeOutput = "native-output"
        case none
    }

    /// How the model's text becomes native output.
    public enum AnswerFormat: String, Sendable, CaseIterable {
        /// A JSON document (exactly one under the grammar; without one, the outermost `{…}` of the text).
        case json
        /// Free text holding a fenced code block, read as `{"code", "language", "text"}` (see `CodeBlockAnswer`):
        /// small code models write a Markdown fence far more reliably than a file escaped inside a JSON string.
        case codeBlock = "code-block"
    }

    /// A system message (may hold placeholders too).
    public var system: PromptTemplate?
    public var template: PromptTemplate
    public var chat: ChatMode
    public var grammar: GrammarMode
    public var answer: AnswerFormat
    /// Native output strings the model must copy from the record (`input.quote`), enforced by the grammar.
    public var quotes: [QuoteSpec]

    public init(system: PromptTemplate?, template: PromptTemplate, chat: ChatMode = .auto, grammar: GrammarMode = .nativeOutput,
                answer: AnswerFormat = .json, quotes: [QuoteSpec] = []) {
        self.system = system; self.template = template; self.chat = chat; self.grammar = grammar; self.answer = answer
        self.quotes = quotes
    }
}

/// `input.quote: [{at: /obligations/*/clause, from: document.text, unit: sentence}]`: while decoding, the string
/// at native pointer `at` can only be one piece of the record's text at `from` — a per-record grammar, so a small
/// model that would paraphrase has to copy a sentence that exists.
public struct QuoteSpec: Sendable, Hashable {
    /// How the text at `from` is cut into the pieces the model chooses from.
    public enum Unit: String, Sendable, CaseIterable {
        /// Sentences: after `.`, `!` or `?` followed by white space, and at line breaks; trimmed, pieces without
        /// a letter (clause numbers like `1.`) dropped (the split `minilm-compliance` finds evidence with).
        case sentence
        /// Lines, without their line break; blank lines dropped.
        case line
        /// The whole value.
        case whole
    }

    public var at: NativePointer
    /// A canonical string field; with `[]` every element's value contributes pieces (`artifacts[].path`).
    public var from: CanonicalPath
    public var unit: Unit

    public init(at: NativePointer, from: CanonicalPath, unit: Unit) {
        self.at = at; self.from = from; self.unit = unit
    }
}

/// A prompt template: literal text with `{{canonical.path}}` placeholders.
public struct PromptTemplate: Sendable, Hashable {
    public enum Piece: Sendable, Hashable {
        case text(String)
        case placeholder(CanonicalPath)
    }

    public var pieces: [Piece]
    public var source: String

    public var placeholders: [CanonicalPath] {
        pieces.compactMap { if case .placeholder(let p) = $0 { return p } else { return nil } }
    }
}

/// A golden pair for `franca validate`: a native output and the canonical fragment it must become.
public struct AdapterExample: Sendable {
    public var name: String
    public var native: JSONValue
    public var expect: JSONObject
    /// Canonical fields the record holds before the adapter runs, besides the document (`record:`; the code
    /// artifact a `unified-diff` `file:` transform diffs against).
    public var record: JSONObject = [:]
    public var location: SourceLocation
}
