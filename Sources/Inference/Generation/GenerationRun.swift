import Foundation

/// One generation between forward passes: picks each next token from the logits (repetition penalty, grammar
/// mask, sampler), tracks the text, the stop strings, the streaming and the limits. The forward passes are the
/// driver's (`Generator`), so one sequence or several in lockstep run the same per-token logic.
final class GenerationRun {
    let options: GenerationOptions
    let constraint: (any TokenConstraint)?
    let onText: ((String) -> Void)?
    private let endIDs: Set<Int32>
    private let maxHold: Int
    private var sampler: Sampler
    private var decoder: StreamingDecoder
    private var history: [Int32]
    private(set) var generated: [Int32] = []
    private var text = ""
    private var emitted = 0
    private(set) var reason = StopReason.maxTokens
    private(set) var isDone = false

    init(prompt: [Int32], tokenizer: any TextTokenizer, options: GenerationOptions, constraint: (any TokenConstraint)?,
         onText: ((String) -> Void)?) {
        self.options = options
        self.constraint = constraint
        self.onText = onText
        endIDs = Set(tokenizer.endOfGenerationIDs)
        maxHold = options.stopStrings.map(\.count).max() ?? 0
        sampler = Sampler(options: options.sampling)
        decoder = StreamingDecoder(tokenizer: tokenizer)
        history = prompt
    }

    /// The token to evaluate next, picked from the logits of the last evaluated one; nil when the generation has
    /// ended (`reason` says why). `secondsUsed`: the generation's time so far, for the time limit.
    func next(_ logits: inout [Float], session: DecoderSession, secondsUsed: Double) throws -> Int32? {
        guard !isDone else { return nil }
        guard generated.count < options.maxTokens else { return end(.maxTokens) }
        if let limit = options.timeLimit, secondsUsed > limit { return end(.timeLimit) }
        sampler.applyRepetitionPenalty(&logits, history: history)
        if let constraint {
            // Tokens left, this one included: the limit, or the context (the last token is kept unevaluated).
            let remaining = min(options.maxTokens - generated.count, session.capacity - session.position + 1)
            logits.withUnsafeMutableBufferPointer { constraint.applyMask(to: $0, remainingTokens: remaining) }
            if !constraint.isAccepting { for id in endIDs where Int(id) < logits.count { logits[Int(id)] = -.infinity } }
        }
        guard let next = sampler.sample(logits) else {
            return end(constraint?.isAccepting == true ? .grammarComplete : .endOfGeneration)
        }
        if endIDs.contains(next) { return end(.endOfGeneration) }
        try constraint?.accept(next)
        generated.append(next)
        history.append(next)
        text += decoder.append(next)
        for stop in options.stopStrings {
            if let r = text.range(of: stop) {
                text = String(text[..<r.lowerBound])
                return end(.stopString(stop))
            }
        }
        // Stream what can no longer turn into a stop string.
        let safe = text.count - maxHold
        if let onText, safe > emitted {
            let start = text.index(text.startIndex, offsetBy: emitted), end = text.index(text.startIndex, offsetBy: safe)
            onText(String(text[start..<end]))
            emitted = safe
        }
        if constraint?.isFinished == true { return end(.grammarComplete) }
        if generated.count >= options.maxTokens { return end(.maxTokens) }
        if session.position >= session.capacity { return end(.contextFull) }
        return next
    }

    private func end(_ why: StopReason) -> Int32? {
        reason = why
        isDone = true
        return nil
    }

    /// The result, once `next` has returned nil: the rest of the text is decoded and streamed.
    func result(promptTokenCount: Int, prefillSeconds: Double, decodeSeconds: Double) -> GenerationResult {
        if case .stopString = reason {} else { text += decoder.finish() }
        if let onText, text.count > emitted {
            onText(String(text[text.index(text.startIndex, offsetBy: emitted)...]))
            emitted = text.count
        }
        return GenerationResult(text: text, tokens: generated, promptTokenCount: promptTokenCount, stopReason: reason,
                                prefillSeconds: prefillSeconds, decodeSeconds: decodeSeconds)
    }
}
