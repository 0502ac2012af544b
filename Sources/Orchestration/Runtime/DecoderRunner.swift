import Foundation
import Inference

/// A GGUF decoder (llama, qwen3, gemma3) behind the `ModelRunner` seam: chat or raw prompts, greedy or seeded
/// sampling, grammar constraints, streaming.
///
/// One session (KV cache) is kept and reused: a prompt that starts like the previous one (the same system message
/// and template) only evaluates its new tokens. Calls are serialised on that session.
public final class DecoderRunner: ModelRunner, @unchecked Sendable {
    public let modelID: String
    public let model: DecoderModel
    /// The chat template: the adapter's `chatTemplate` option, else detected from the file.
    public let template: ChatTemplate?
    public let contextLength: Int
    private let lock = NSLock()
    private var session: DecoderSession?

    public init(modelID: String, model: DecoderModel, template: ChatTemplate?, contextLength: Int) {
        self.modelID = modelID
        self.model = model
        self.template = template
        self.contextLength = contextLength
    }

    public var textTokenizer: (any TextTokenizer)? { model.tokenizer }

    /// Token ids with Unicode-scalar offsets of their decoded text (no BOS).
    public func tokenize(_ text: String) throws -> [TokenPiece] {
        let tok = model.tokenizer
        let ids = tok.encode(text, addSpecial: false, parseSpecial: false)
        var pieces: [TokenPiece] = [], bytes = 0
        let utf8 = Array(text.utf8)
        // Byte offset → index of the scalar that byte belongs to (utf8.count → the scalar count).
        var scalarAt = [Int](repeating: 0, count: utf8.count + 1), scalars = 0
        for (i, b) in utf8.enumerated() {
            if b & 0xC0 != 0x80 { scalars += 1 }
            scalarAt[i] = scalars - 1
        }
        scalarAt[utf8.count] = scalars
        for id in ids {
            let piece = tok.pieceBytes(id, renderSpecial: false)
            let start = min(bytes, utf8.count), end = min(bytes + piece.count, utf8.count)
            pieces.append(TokenPiece(id: id, text: tok.tokenText(id) ?? "", start: scalarAt[start],
                                     end: end == utf8.count ? scalars : scalarAt[end], wordIndex: nil))
            bytes += piece.count
        }
        return pieces
    }

    public func generate(_ prompt: GenerationPrompt, options: GenerationOptions, constraint: (any TokenConstraint)?,
                         onText: ((String) -> Void)?) throws -> GenerationResult {
        lock.lock()
        defer { lock.unlock() }
        let generator = Generator(model: model)
        let ids = try generator.promptTokens(prompt, template: template)
        let session = self.session ?? model.makeSession(contextLength: contextLength)
        self.session = session
        return try generator.generate(prompt: ids, session: session, options: options, constraint: constraint,
                                      onText: onText)
    }
}
