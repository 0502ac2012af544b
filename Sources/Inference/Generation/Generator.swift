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
        let started = Self.now()
        var logits = try prefill(prompt, session: session)
        let prefillSeconds = Self.now() - started, decodeStart = Self.now()
        let run = GenerationRun(prompt: prompt, tokenizer: model.tokenizer, options: options, constraint: constraint,
                                onText: onText)
        while let next = try run.next(&logits, session: session, secondsUsed: Self.now() - started) {
            try ForwardPassClock.measure { try logits.withUnsafeMutableBufferPointer { try session.evaluate(token: next, into: $0) } }
        }
        return run.result(promptTokenCount: prompt.count, prefillSeconds: prefillSeconds,
                          decodeSeconds: Self.now() - decodeStart)
    }

    /// One generation of a batch: its prompt, the session it runs in (one session per request), options and
    /// constraint.
    public struct Request {
        public var prompt: [Int32]
        public var session: DecoderSession
        public var options: GenerationOptions
        public var constraint: (any TokenConstraint)?
        public var onText: ((String) -> Void)?

        public init(prompt: [Int32], session: DecoderSession, options: GenerationOptions,
                    constraint: (any TokenConstraint)? = nil, onText: ((String) -> Void)? = nil) {
            self.prompt = prompt
            self.session = session
            self.options = options
            self.constraint = constraint
            self.onText = onText
        }
    }

    /// Several generations in lockstep: each prompt is evaluated in its own session, then every decode step runs
    /// the next token of all unfinished generations in one forward pass (`DecoderSession.evaluateNext`), so the
    /// weights are read once per step for all of them. Each generation's tokens, text and stop reason are exactly
    /// what `generate` gives for it alone. A generation's time limit counts its own prompt time and its share of
    /// the decode steps (each step's time split evenly among the generations in it). A request that fails (its
    /// prompt, its constraint) fails alone.
    public func generate(batch requests: [Request]) -> [Result<GenerationResult, Error>] {
        var results = [Result<GenerationResult, Error>?](repeating: nil, count: requests.count)
        var runs: [GenerationRun?] = Array(repeating: nil, count: requests.count)
        var logits: [[Float]] = Array(repeating: [], count: requests.count)
        var prefillSeconds = [Double](repeating: 0, count: requests.count)
        var sessions = Set<ObjectIdentifier>()
        for (i, r) in requests.enumerated() {
            let started = Self.now()
            do {
                guard sessions.insert(ObjectIdentifier(r.session)).inserted else { throw DecoderError.batchRepeatsSession }
                // A longer prefix of this prompt in an earlier session of the batch (the same system prompt, the
                // same document) is copied instead of evaluated again.
                let limit = Self.reusableLimit(r.prompt), own = min(r.session.sharedPrefix(with: r.prompt), limit)
                if let (donor, n) = requests[..<i].map({ ($0.session, min($0.session.sharedPrefix(with: r.prompt), limit)) })
                    .filter({ $0.0.model === model && $0.1 > own }).max(by: { $0.1 < $1.1 }) {
                    r.session.copyPrefix(of: donor, count: n)
                }
                logits[i] = try prefill(r.prompt, session: r.session)
                runs[i] = GenerationRun(prompt: r.prompt, tokenizer: model.tokenizer, options: r.options,
                                        constraint: r.constraint, onText: r.onText)
            } catch {
                results[i] = .failure(error)
            }
            prefillSeconds[i] = Self.now() - started
        }
        let decodeStart = Self.now()
        var decodeSeconds = [Double](repeating: 0, count: requests.count)
        // Each generation's share of the decode time: every step's time split evenly among the sequences in it.
        var decodeShare = [Double](repeating: 0, count: requests.count)
        var active = Array(requests.indices.filter { runs[$0] != nil })
        while !active.isEmpty {
            let stepStart = Self.now()
            defer {
                let share = (Self.now() - stepStart) / Double(active.count)
                for i in active { decodeShare[i] += share }
            }
            var steps: [(session: DecoderSession, token: Int32)] = [], stepping: [Int] = []
            for i in active {
                let used = prefillSeconds[i] + decodeShare[i]
                do {
                    if let next = try runs[i]!.next(&logits[i], session: requests[i].session, secondsUsed: used) {
                        steps.append((requests[i].session, next))
                        stepping.append(i)
                        continue
                    }
                } catch {
                    results[i] = .failure(error)
                }
                decodeSeconds[i] = Self.now() - decodeStart
            }
            active = stepping
            guard !steps.isEmpty else { break }
            do {
                let next = try ForwardPassClock.measure { try DecoderSession.evaluateNext(steps) }
                for (k, i) in stepping.enumerated() { logits[i] = next[k] }
            } catch {
                for i in stepping { results[i] = .failure(error) }
                break
            }
        }
        return requests.indices.map { i in
            if let r = results[i] { return r }
            return .success(runs[i]!.result(promptTokenCount: requests[i].prompt.count,
                                             prefillSeconds: prefillSeconds[i], decodeSeconds: decodeSeconds[i]))
        }
    }

    /// Evaluates the part of `prompt` not already in `session` (the longest cached prefix is reused, see
    /// `reusableLimit`) and returns the last token's logits.
    private func prefill(_ prompt: [Int32], session: DecoderSession) throws -> [Float] {
        session.truncate(to: min(session.sharedPrefix(with: prompt), Self.reusableLimit(prompt)))
        let start = session.position
        return try ForwardPassClock.measure { try session.evaluate(Array(prompt[start...])) }
    }

    /// How much of a cached prompt prefix may be reused: all but the last `minimumSuffix` tokens (or nothing for a
    /// shorter prompt). The re-evaluated tail is then a batch of ≥ 8 tokens, which runs through the same kernels
    /// (llama.cpp's batch kernels and attention order) as a fresh evaluation of the whole prompt, so reusing a prefix
    /// never changes the logits.
    static func reusableLimit(_ prompt: [Int32]) -> Int { max(0, prompt.count - minimumSuffix) }
    static let minimumSuffix = 8

    private static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) * 1e-9
    }
}
