import Canonical
import Inference

/// Renders an adapter's prompt template over a canonical record.
///
/// Document text must never be able to pose as template syntax or as the model's chat markup:
/// - placeholders are substituted in one pass over the parsed template, so a value containing `{{document.text}}`
///   stays literal text and is never scanned again;
/// - with `chat: auto` the rendered texts travel as chat message *contents*; the runner wraps them in the chat
///   template and parses control tokens only in the template's own markup, so `<|im_start|>` inside a document is
///   ordinary text;
/// - with `chat: none` the prompt is raw text, so a value the model's tokenizer would read as a control token is
///   refused (`AdapterError.controlTokenInValue`).
public struct PromptRenderer: Sendable {
    public var adapter: String

    public init(adapter: String) { self.adapter = adapter }

    /// The template with every placeholder replaced by its value. Strings are inserted as they are; numbers and
    /// booleans as JSON writes them; null as an empty string; arrays and objects as compact JSON. A path that
    /// fans out (`entities[].text`) inserts its values one per line. A path with no value is an error.
    public func render(_ template: PromptTemplate, record: JSONValue,
                       check: ((String, CanonicalPath) throws -> Void)? = nil) throws -> String {
        var out = ""
        for piece in template.pieces {
            switch piece {
            case .text(let literal):
                out += literal
            case .placeholder(let path):
                let matches = JSONPaths.values(at: path, in: record)
                guard !matches.isEmpty else { throw AdapterError.missingValue(adapter: adapter, path: path.description) }
                let value = matches.map { Self.text($0.value) }.joined(separator: "\n")
                try check?(value, path)
                out += value
            }
        }
        return out
    }

    /// The generation prompt for a record: chat messages (system, then user) or, with `chat: none`, raw text.
    public func prompt(_ input: PromptInput, record: JSONValue, tokenizer: (any TextTokenizer)?) throws -> GenerationPrompt {
        switch input.chat {
        case .auto:
            var messages: [ChatMessage] = []
            if let system = input.system { messages.append(ChatMessage(role: .system, content: try render(system, record: record))) }
            messages.append(ChatMessage(role: .user, content: try render(input.template, record: record)))
            return .chat(messages)
        case .none:
            let guardValue: (String, CanonicalPath) throws -> Void = { value, path in
                if Self.holdsControlToken(value, tokenizer: tokenizer) {
                    throw AdapterError.controlTokenInValue(adapter: adapter, path: path.description)
                }
            }
            var text = ""
            if let system = input.system { text = try render(system, record: record, check: guardValue) + "\n\n" }
            text += try render(input.template, record: record, check: guardValue)
            return .raw(text)
        }
    }

    /// The native input the adapter's schema describes for prompt adapters: `{system?, prompt}`.
    public static func nativeInput(_ prompt: GenerationPrompt) -> JSONValue {
        switch prompt {
        case .raw(let text): return .object(["prompt": .string(text)])
        case .chat(let messages):
            var o = JSONObject()
            if let s = messages.first(where: { $0.role == .system }) { o["system"] = .string(s.content) }
            o["prompt"] = .string(messages.filter { $0.role == .user }.map(\.content).joined(separator: "\n\n"))
            return .object(o)
        }
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .null: return ""
        default: return value.serialized()
        }
    }

    /// True when `value` would tokenize differently with control-token parsing on — it holds a control token's
    /// text. Without a tokenizer, any `<|…|>`, `<start_of_turn>`/`<end_of_turn>`, `<s>` or `</s>` counts.
    public static func holdsControlToken(_ value: String, tokenizer: (any TextTokenizer)?) -> Bool {
        if let tokenizer {
            return tokenizer.encode(value, addSpecial: false, parseSpecial: true)
                != tokenizer.encode(value, addSpecial: false, parseSpecial: false)
        }
        if let open = value.range(of: "<|"), value[open.upperBound...].contains("|>") { return true }
        return ["<start_of_turn>", "<end_of_turn>", "<s>", "</s>", "<bos>", "<eos>"].contains { value.contains($0) }
    }
}
