import Foundation
import Kernels

/// A decoder-only language model loaded from a GGUF file: config, memory-mapped weights and tokenizer.
/// Immutable after loading, so several sessions (each with its own KV cache) can use one model.
public final class DecoderModel: @unchecked Sendable {
    public let gguf: GGUFFile
    public let config: DecoderConfig
    public let tokenizer: any TextTokenizer
    let weights: DecoderWeights
    let pool: WorkerPool

    public init(gguf: GGUFFile, options: RuntimeOptions = .default) throws {
        self.gguf = gguf
        config = try DecoderArchitectures.config(for: gguf)
        weights = try DecoderWeights(gguf: gguf, config: config)
        tokenizer = try GGUFTokenizerFactory.make(GGUFTokenizerMetadata(gguf: gguf))
        guard tokenizer.vocabSize <= config.vocabSize else {
            throw DecoderError.invalidMetadata(key: "tokenizer.ggml.tokens", value: "\(tokenizer.vocabSize) tokens",
                                               expected: "at most the \(config.vocabSize) rows of token_embd.weight")
        }
        pool = SharedWorkerPools.pool(threads: options.threads)
    }

    public convenience init(path: String, options: RuntimeOptions = .default) throws {
        try self.init(gguf: GGUFFile(path: path), options: options)
    }

    /// A fresh session with room for `contextLength` tokens (default: the trained context, at most 4096).
    public func makeSession(contextLength: Int? = nil) -> DecoderSession {
        DecoderSession(model: self, capacity: max(1, contextLength ?? min(config.trainedContext, 4096)))
    }

    /// A fresh session that reuses the forward-pass buffers of `other` (a session of this model with at least this
    /// context length): the two must never evaluate at the same time — a batch of sessions stepped together by
    /// `DecoderSession.evaluateNext` or `Generator.generate(batch:)` is fine.
    public func makeSession(contextLength: Int? = nil, sharingBuffersWith other: DecoderSession) -> DecoderSession {
        DecoderSession(model: self, capacity: max(1, contextLength ?? min(config.trainedContext, 4096)), sharing: other)
    }

    /// Bytes of weights the model streams per generated token: every layer matrix and the output head once (a tied
    /// head is the token embedding); of an untied token embedding only one row is read, which is not counted.
    public var weightBytes: Int {
        var total = weights.output.rows * weights.output.rowBytes
        for l in weights.layers {
            for m in [l.q, l.k, l.v, l.o, l.gate, l.up, l.down] { total += m.rows * m.rowBytes }
        }
        return total
    }
}
