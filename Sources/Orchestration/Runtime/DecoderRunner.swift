import Foundation
import Inference

/// A GGUF decoder (llama, qwen3, gemma3) behind the `ModelRunner` seam: chat or raw prompts, greedy or seeded
/// sampling, grammar constraints, streaming.
///
/// Sessions (KV caches) are kept and reused: a prompt that starts like the previous one in that session (the same
/// system message and template) only evaluates its new tokens. A batch of generations runs in lockstep, up to
/// `maxBatch` at a time, one session each (the sessions share their forward-pass buffers). Calls are serialised.
public final class DecoderRunner: ModelRunner, @unchecked Sendable {
    public let modelID: String
    public let model: DecoderModel
    /// The chat template: the adapter's `chatTemplate` option, else detected from the file.
    public let template: ChatTemplate?
    public let contextLength: Int
    /// Generations stepped together at most (each holds a KV cache of `contextLength` positions).
    public var maxBatch = 8
    private let lock = NSLock()
    private var sessions: [DecoderSession] = []

    public init(modelID: String, model: DecoderModel, template: ChatTemplate?, contextLength: Int) {
        self.modelID = modelID
        self.model = model
        self.template = template
        self.contextLength = contextLength
    }

    public var textTokenizer: (any TextTokenizer)? { model.tokenizer }

    public var stepsGenerationsTogether: Bool { true }

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
        return try generator.generate(prompt: ids, session: session(0), options: options, constraint: constraint,
                                      onText: onText)
    }

    public func generate(batch: [GenerationRequest]) -> [Result<GenerationResult, Error>] {
        lock.lock()
        defer { lock.unlock() }
        let generator = Generator(model: model)
        var results: [Result<GenerationResult, Error>] = []
        var start = 0
        while start < batch.count {
            let part = batch[start..<min(start + max(1, maxBatch), batch.count)]
            var requests: [Generator.Request] = [], slots: [Int] = []
            var partResults = [Result<GenerationResult, Error>?](repeating: nil, count: part.count)
            for (k, r) in part.enumerated() {
                do {
                    let ids = try generator.promptTokens(r.prompt, template: template)
                    requests.append(Generator.Request(prompt: ids, session: session(requests.count), options: r.options,
                                                      constraint: r.constraint))
                    slots.append(k)
                } catch {
                    partResults[k] = .failure(error)
                }
            }
            for (k, result) in zip(slots, generator.generate(batch: requests)) { partResults[k] = result }
            results += partResults.map { $0! }
            start += part.count
        }
        return results
    }

    /// The `i`th kept session (created on first use, sharing the first one's buffers).
    private func session(_ i: Int) -> DecoderSession {
        while sessions.count <= i {
            sessions.append(sessions.first.map { model.makeSession(contextLength: contextLength, sharingBuffersWith: $0) }
                            ?? model.makeSession(contextLength: contextLength))
        }
        return sessions[i]
    }
}
