import Foundation

extension DecoderSession {
    /// One next token for each of several sessions of one model, in shared forward passes: every weight matrix is
    /// read once for all of them instead of once per session. Each session's logits are bit-identical to
    /// `session.evaluate([token])` (the per-sequence kernels and summation orders are those of a one-token batch),
    /// so batching never changes what a sequence generates.
    public static func evaluateNext(_ steps: [(session: DecoderSession, token: Int32)]) throws -> [[Float]] {
        guard let first = steps.first else { return [] }
        let model = first.session.model, vocab = model.config.vocabSize
        var seen = Set<ObjectIdentifier>()
        for (session, token) in steps {
            guard session.model === model else { throw DecoderError.batchMixesModels }
            guard seen.insert(ObjectIdentifier(session)).inserted else { throw DecoderError.batchRepeatsSession }
            guard token >= 0, Int(token) < vocab else { throw DecoderError.invalidToken(token, vocabSize: vocab) }
            guard session.position < session.capacity else { throw DecoderError.contextFull(capacity: session.capacity) }
        }
        // The scratch of the session with the longest cache has room for every session's attention.
        let owner = steps.max { $0.session.capacity < $1.session.capacity }!.session
        let chunk = owner.scratch.tokens
        var out: [[Float]] = []
        out.reserveCapacity(steps.count)
        var logits = [Float](repeating: 0, count: min(chunk, steps.count) * vocab)
        var start = 0
        while start < steps.count {
            let part = steps[start..<min(start + chunk, steps.count)]
            let slots = part.map { DecoderTokenSlot(id: $0.token, cache: $0.session.cache, position: $0.session.position) }
            try logits.withUnsafeMutableBufferPointer { buffer in
                try DecoderPass(model: model, scratch: owner.scratch, sequenceTokens: 1, dump: nil)
                    .run(slots, logits: .all(buffer.baseAddress!))
            }
            for (k, step) in part.enumerated() {
                out.append(Array(logits[(k * vocab)..<((k + 1) * vocab)]))
                step.session.position += 1
                step.session.tokens.append(step.token)
            }
            start += part.count
        }
        return out
    }
}
