import Inference

/// A token the constraint did not allow (the generator sampled outside the mask, or a caller fed text directly).
public struct GrammarConstraintError: Error, Sendable, CustomStringConvertible {
    public let token: Int32
    /// The token's bytes as text (lossy), for the message.
    public let text: String
    public var description: String { "token \(token) (\"\(text)\") is not allowed by the output grammar at this point" }
}

/// Masks logits so that the generated text stays a prefix of a sentence of the grammar (`TokenConstraint`), and —
/// given the tokens left — one that can still be closed in time (`GrammarCompletion`).
///
/// Per step: inside a free string (the common case) a precomputed per-token table decides every token that stays
/// in the string and only the few tokens containing a closing quote are run through the machine; elsewhere the
/// vocabulary trie is walked through the machine, pruning whole subtrees at the first byte the grammar refuses.
/// Masks of states seen before in this generation are reused. Fresh per generation; not thread-safe.
public final class GrammarTokenConstraint: TokenConstraint {
    public let grammar: JSONSchemaGrammar
    public let vocabulary: GrammarVocabulary
    private var matcher: GrammarMatcher
    private var finishedCache: Bool?
    private var maskCache: [[GrammarState]: [UInt64]] = [:]
    private var levels: [[GrammarState]] = []
    private var allowed: [UInt64]

    public init(grammar: JSONSchemaGrammar, vocabulary: GrammarVocabulary) {
        self.grammar = grammar
        self.vocabulary = vocabulary
        matcher = grammar.matcher()
        allowed = [UInt64](repeating: 0, count: (vocabulary.vocabSize + 63) / 64)
        levels = [[GrammarState]](repeating: [], count: vocabulary.maxTokenLength + 1)
    }

    public var isAccepting: Bool { matcher.isAccepting }

    public var isFinished: Bool {
        if let f = finishedCache { return f }
        let f = matcher.isFinished
        finishedCache = f
        return f
    }

    /// Bytes of the shortest text that completes what was read (0 when it is complete).
    public var bytesToComplete: Int { grammar.machine.cost(matcher.states) }

    public func accept(_ token: Int32) throws {
        let bytes = vocabulary.bytes(of: token)
        guard !bytes.isEmpty, matcher.feed(bytes) else {
            throw GrammarConstraintError(token: token, text: String(decoding: bytes, as: UTF8.self))
        }
        finishedCache = nil
    }

    public func applyMask(to logits: UnsafeMutableBufferPointer<Float>) {
        applyMask(to: logits, remainingTokens: .max)
    }

    /// Also refuses every token after which the text could not be completed within the tokens left after it
    /// (one byte per token at worst). If that leaves nothing — the text already needs more than the budget — the
    /// grammar alone decides.
    public func applyMask(to logits: UnsafeMutableBufferPointer<Float>, remainingTokens: Int) {
        computeAllowed(budget: remainingTokens == .max ? GrammarCompletion.unreachable : remainingTokens - 1)
        let n = min(logits.count, vocabulary.vocabSize)
        allowed.withUnsafeBufferPointer { words in
            for i in 0..<n where words[i >> 6] & (1 << UInt64(i & 63)) == 0 { logits[i] = -.infinity }
        }
        if logits.count > n { for i in n..<logits.count { logits[i] = -.infinity } }
    }

    /// Token ids allowed next (for tests and tools); `remainingTokens` as in `applyMask`.
    public func allowedTokens(remainingTokens: Int = .max) -> [Int32] {
        computeAllowed(budget: remainingTokens == .max ? GrammarCompletion.unreachable : remainingTokens - 1)
        return (0..<vocabulary.vocabSize).filter { allowed[$0 >> 6] & (1 << UInt64($0 & 63)) != 0 }.map(Int32.init)
    }

    // MARK: Mask computation

    /// `budget`: the most bytes the text after the next token may still need. Until it drops below the most any
    /// state of the grammar can need (`GrammarCompletion.maxCost`), nothing is filtered and no cost is computed;
    /// after that — the last few dozen tokens of a generation that runs that long — masks are not cached.
    private func computeAllowed(budget: Int) {
        let states = matcher.states
        let budget: Int? = budget < grammar.machine.completion.maxCost ? budget : nil
        if states.count == 1, let spec = freeString(states[0]) {
            if !stringMask(states[0], spec, budget: budget), budget != nil { _ = stringMask(states[0], spec, budget: nil) }
            return
        }
        if let budget {
            if !trieMask(states, budget: budget) { _ = trieMask(states, budget: nil) }
            return
        }
        if let cached = maskCache[states] { allowed = cached; return }
        trieMask(states, budget: nil)
        if maskCache.count >= 256 { maskCache.removeAll(keepingCapacity: true) }
        maskCache[states] = allowed
    }

    private func freeString(_ s: GrammarState) -> StringSpec? {
        guard s.height > 0, s.top.phase >= 0,
              case .string(let spec) = grammar.machine.program.nodes[Int(s.top.node)], spec.regex == nil else { return nil }
        return spec
    }

    /// Inside a string without pattern: table lookups for tokens that stay inside, the machine for those that close it.
    /// False when no token is allowed.
    private func stringMask(_ s: GrammarState, _ spec: StringSpec, budget: Int?) -> Bool {
        let sub = Int(s.top.phase)
        let started = Int(s.top.x)
        let room = Int16(clamping: spec.maxLength - started)
        let counts = vocabulary.bodyCount[sub]
        let words = allowed.count
        // After a token that stays inside: close the string (1), the characters still owed, then the rest.
        let closing = 1 + (s.below?.rest ?? 0)
        let limit = budget ?? GrammarCompletion.unreachable
        let tight = closing + max(0, spec.minLength - started) + 4 > limit
        var any = false
        counts.withUnsafeBufferPointer { c in
            allowed.withUnsafeMutableBufferPointer { a in
                for w in 0..<words {
                    var bits: UInt64 = 0
                    let base = w << 6
                    let end = min(base + 64, c.count)
                    var i = base
                    while i < end {
                        let v = c[i]
                        if v >= 0 && v <= room { bits |= 1 << UInt64(i - base) }
                        i += 1
                    }
                    a[w] = bits
                }
                guard tight else { return }
                let pending = vocabulary.bodyPending[sub]
                for w in 0..<words where a[w] != 0 {
                    var bits = a[w]
                    while bits != 0 {
                        let b = bits.trailingZeroBitCount
                        bits &= bits - 1
                        let i = w << 6 + b
                        if closing + max(0, spec.minLength - started - Int(c[i])) + Int(pending[i]) > limit {
                            a[w] &= ~(1 << UInt64(b))
                        }
                    }
                }
            }
        }
        for w in 0..<words where allowed[w] != 0 { any = true; break }
        var closed = s
        closed.pop()
        let machine = grammar.machine
        // -1 unknown, 0 refused, 1 allowed: per distinct text after the closing quote.
        var verdicts = [Int8](repeating: -1, count: vocabulary.exitSuffixes[sub].count)
        for exit in vocabulary.bodyExits[sub] {
            let total = started + Int(exit.count)
            guard total >= spec.minLength, total <= spec.maxLength else { continue }
            var verdict = verdicts[Int(exit.suffix)]
            if verdict < 0 {
                var current = [closed]
                for b in vocabulary.exitSuffixes[sub][Int(exit.suffix)] {
                    current = GrammarMatcher.advance(machine, current, b)
                    if current.isEmpty { break }
                }
                verdict = !current.isEmpty && (budget == nil || machine.cost(current) <= limit) ? 1 : 0
                verdicts[Int(exit.suffix)] = verdict
            }
            if verdict == 1 {
                allowed[Int(exit.token) >> 6] |= 1 << UInt64(Int(exit.token) & 63)
                any = true
            }
        }
        return any
    }

    /// Walks the vocabulary trie in preorder through the machine, skipping subtrees the grammar refuses; with a
    /// budget, tokens after which completing would take more bytes are left out (their subtrees are still walked).
    /// Returns whether any token is allowed.
    @discardableResult
    private func trieMask(_ states: [GrammarState], budget: Int?) -> Bool {
        for w in allowed.indices { allowed[w] = 0 }
        let v = vocabulary
        let machine = grammar.machine
        levels[0] = states
        var i = 1
        let count = v.nodeCount
        var any = false
        let limit = budget ?? GrammarCompletion.unreachable
        while i < count {
            let d = Int(v.nodeDepth[i])
            var next = levels[d]
            levels[d] = []
            next.removeAll(keepingCapacity: true)
            let byte = v.nodeByte[i]
            for s in levels[d - 1] { machine.step(s, byte, &next) }
            if next.count > 4 { next = Array(Set(next)) }
            if next.isEmpty {
                levels[d] = next
                i = Int(v.nodeEnd[i])
                continue
            }
            levels[d] = next
            let first = Int(v.nodeTokenStart[i]), last = Int(v.nodeTokenStart[i + 1])
            if first < last {
                if budget == nil || machine.cost(next) <= limit {
                    any = true
                    for k in first..<last {
                        let t = Int(v.nodeTokens[k])
                        allowed[t >> 6] |= 1 << UInt64(t & 63)
                    }
                }
            }
            i += 1
        }
        return any
    }
}
