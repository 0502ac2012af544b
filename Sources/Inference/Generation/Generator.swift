import Foundation

/// Runs generation on a decoder session: prefill, then one token at a time until a stop condition.
public struct Generator {
    public let model: DecoderModel

    public init(model: DecoderModel) { self.model = model }

    /// Token ids of a prompt: a chat rendered with the model's template (markup parsed for control tokens, message
    /// text never), or raw text (BOS added when the model asks for it).
    public func promptTokens(_ prompt: GenerationPrompt, template: ChatTemplate? = nil) throws -> [Int32] {
        let tok = model.tokenizer
        switch prompt {
        case .raw(let text):
            return tok.encode(text, addSpecial: true, parseSpecial: false)
        case .chat(let messages):
            let t = try template ?? ChatTemplate.detect(gguf: model.gguf)
            // Adjacent text pieces are joined so they tokenize as llama.cpp tokenizes the text between two
            // control tokens; only markup is parsed for control tokens.
            var merged: [ChatSegment] = []
            for segment in t.segments(messages) {
                if let last = merged.last, !last.isMarkup, !segment.isMarkup {
                    merged[merged.count - 1].text += segment.text
                } else {
                    merged.append(segment)
                }
            }
            var ids: [Int32] = []
            for (i, segment) in merged.enumerated() {
                // BOS (when the model adds one) only before the first piece.
                ids += tok.encode(segment.text, addSpecial: i == 0, parseSpecial: segment.isMarkup)
            }
            return ids
        }
    }

    /// Generates after `prompt` (evaluated in `session`, which may already hold a prefix of it).
    public func generate(prompt: [Int32], session: DecoderSession, options: GenerationOptions,
                         constraint: (any TokenConstraint)? = nil,
                         onText: ((String) -> Void)? = nil) throws -> GenerationResult {
        let clock = ContinuousClock(), started = clock.now
        func elapsed(since t: ContinuousClock.Instant) -> Double {
            let d = clock.now - t
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        // Reuse the longest cached prefix of the prompt.
        var shared = 0
        while shared < min(session.tokens.count, prompt.count - 1), session.tokens[shared] == prompt[shared] { shared += 1 }
        session.truncate(to: shared)
        var logits = try ForwardPassClock.measure { try session.evaluate(Array(prompt[shared...])) }
        let prefillSeconds = elapsed(since: started)
        let decodeStart = clock.now

        var sampler = Sampler(options: options.sampling)
        let endIDs = model.tokenizer.endOfGenerationIDs
        var history = prompt, generated: [Int32] = []
        var decoder = StreamingDecoder(tokenizer: model.tokenizer)
        var text = "", emitted = 0
        var reason = StopReason.maxTokens
        let maxHold = options.stopStrings.map(\.count).max() ?? 0

        generation: while generated.count < options.maxTokens {
            if let limit = options.timeLimit, elapsed(since: started) > limit { reason = .timeLimit; break }
            sampler.applyRepetitionPenalty(&logits, history: history)
            if let constraint {
                // Tokens left, this one included: the limit, or the context (the last token is kept unevaluated).
                let remaining = min(options.maxTokens - generated.count, session.capacity - session.position + 1)
                logits.withUnsafeMutableBufferPointer { constraint.applyMask(to: $0, remainingTokens: remaining) }
                if !constraint.isAccepting { for id in endIDs where Int(id) < logits.count { logits[Int(id)] = -.infinity } }
            }
            guard let next = sampler.sample(logits) else {
                reason = constraint?.isAccepting == true ? .grammarComplete : .endOfGeneration
                break
            }
            if endIDs.contains(next) { reason = .endOfGeneration; break }
            try constraint?.accept(next)
            generated.append(next)
            history.append(next)
            text += decoder.append(next)
            if !options.stopStrings.isEmpty {
                for stop in options.stopStrings {
                    if let r = text.range(of: stop) {
                        text = String(text[..<r.lowerBound])
                        reason = .stopString(stop)
                        break generation
                    }
                }
            }
            // Stream what can no longer turn into a stop string.
            let safe = text.count - maxHold
            if let onText, safe > emitted {
                let start = text.index(text.startIndex, offsetBy: emitted), end = text.index(text.startIndex, offsetBy: safe)
                onText(String(text[start..<end]))
                emitted = safe
            }
            if constraint?.isFinished == true { reason = .grammarComplete; break }
            if generated.count >= options.maxTokens { reason = .maxTokens; break }
            if session.position >= session.capacity { reason = .contextFull; break }
            logits = try ForwardPassClock.measure { try session.evaluate([next]) }
        }
        if case .stopString = reason {} else { text += decoder.finish() }
        if let onText, text.count > emitted {
            onText(String(text[text.index(text.startIndex, offsetBy: emitted)...]))
        }
        return GenerationResult(text: text, tokens: generated, promptTokenCount: prompt.count, stopReason: reason,
                                prefillSeconds: prefillSeconds, decodeSeconds: elapsed(since: decodeStart))
    }
}
