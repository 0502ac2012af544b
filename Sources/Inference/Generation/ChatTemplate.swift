/// The chat formats Franca renders itself (no Jinja engine): detected from `tokenizer.chat_template`, or from the
/// architecture when a file carries no template (Gemma 3 GGUFs often do not).
public enum ChatTemplate: Sendable, Equatable {
    /// `<|im_start|>role\n…<|im_end|>\n`; `defaultSystem` is inserted when the conversation has no system message
    /// (SmolLM2's template does this).
    case chatML(defaultSystem: String?)
    /// `<start_of_turn>user\n…<end_of_turn>\n`, the system message folded into the first user turn, the
    /// assistant's role written `model`.
    case gemma
    /// ChatML as Qwen3 writes it; `thinking: false` appends the empty think block Qwen3 uses to skip reasoning.
    case qwen3(thinking: Bool)

    /// Detects the template of a GGUF file; throws `DecoderError.unknownChatTemplate` when it is none of the three.
    public static func detect(gguf: GGUFFile) throws -> ChatTemplate {
        let source = gguf.metadata["tokenizer.chat_template"]?.stringValue
        return try detect(source: source, architecture: gguf.architecture)
    }

    public static func detect(source: String?, architecture: String?) throws -> ChatTemplate {
        guard let source else {
            switch architecture {
            case "gemma3": return .gemma
            case "qwen3": return .qwen3(thinking: true)
            default:
                throw DecoderError.unknownChatTemplate("the file has no tokenizer.chat_template and architecture "
                                                       + "'\(architecture ?? "?")' has no default")
            }
        }
        if source.contains("<start_of_turn>") { return .gemma }
        if source.contains("<|im_start|>") {
            if source.contains("<think>") || source.contains("enable_thinking") { return .qwen3(thinking: true) }
            return .chatML(defaultSystem: defaultSystemMessage(in: source))
        }
        throw DecoderError.unknownChatTemplate("tokenizer.chat_template is not ChatML, Gemma or Qwen3: "
                                               + String(source.prefix(80)).debugDescription)
    }

    /// A literal system turn the template writes when the conversation has none (SmolLM2:
    /// "You are a helpful AI assistant named SmolLM, trained by Hugging Face").
    static func defaultSystemMessage(in source: String) -> String? {
        guard source.contains("!= 'system'") || source.contains("!= \"system\""),
              let open = source.range(of: "<|im_start|>system\n"),
              let close = source.range(of: "<|im_end|>", range: open.upperBound..<source.endIndex) else { return nil }
        let text = String(source[open.upperBound..<close.lowerBound])
        return text.contains("{") || text.contains("'") ? nil : text
    }

    /// The prompt as one text with the control tokens written out (for display and for comparing with other
    /// renderers). To tokenize, use `segments`, which keeps message text from being read as control tokens.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) -> String {
        segments(messages, addGenerationPrompt: addGenerationPrompt).map(\.text).joined()
    }

    /// The prompt as pieces of markup (control tokens allowed) and content (always plain text), so a message that
    /// contains `<|im_start|>` cannot open a turn of its own.
    public func segments(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) -> [ChatSegment] {
        var out: [ChatSegment] = []
        func markup(_ s: String) { out.append(ChatSegment(text: s, isMarkup: true)) }
        func content(_ s: String) { if !s.isEmpty { out.append(ChatSegment(text: s, isMarkup: false)) } }
        switch self {
        case .chatML, .qwen3:
            var list = messages
            if case .chatML(let d?) = self, list.first?.role != .system {
                list.insert(ChatMessage(role: .system, content: d), at: 0)
            }
            for m in list {
                markup("<|im_start|>"); content(m.role.rawValue + "\n"); content(m.content); markup("<|im_end|>"); content("\n")
            }
            if addGenerationPrompt {
                markup("<|im_start|>"); content("assistant\n")
                if case .qwen3(thinking: false) = self { markup("<think>"); content("\n\n"); markup("</think>"); content("\n\n") }
            }
        case .gemma:
            var list = messages
            var prefix = ""
            if let first = list.first, first.role == .system {
                prefix = first.content + "\n\n"
                list.removeFirst()
            }
            for (i, m) in list.enumerated() {
                let role = m.role == .assistant ? "model" : m.role.rawValue
                markup("<start_of_turn>"); content(role + "\n")
                content((i == 0 ? prefix : "") + m.content.trimmingWhitespace())
                markup("<end_of_turn>"); content("\n")
            }
            if addGenerationPrompt { markup("<start_of_turn>"); content("model\n") }
        }
        return out
    }
}

/// One piece of a rendered chat prompt.
public struct ChatSegment: Sendable, Equatable {
    public var text: String
    /// Template markup (may contain control tokens) vs message text (never parsed for control tokens).
    public var isMarkup: Bool
}

extension String {
    /// Jinja's `trim`: leading and trailing whitespace removed.
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
