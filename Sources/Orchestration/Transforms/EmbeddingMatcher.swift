import Canonical

/// The "embedding matcher" behind embedding adapters whose native input is obligations plus a text
/// (`minilm-compliance`): declared by `model.options` (`sentences`, `metAt`, `unclearAt`, `maxTokens`), not by
/// any chain.
///
/// For each input `{obligations: [{duty, clause, …}], text}`:
/// 1. the text is split into sentences (`sentences: punctuation`: after `.`, `!` or `?` followed by white space,
///    and at line breaks; sentences are trimmed, and pieces without a letter — clause numbers like `1.` — dropped);
/// 2. each obligation's `duty` and every sentence are embedded (one runner call for all inputs of a batch);
/// 3. the sentence with the highest cosine similarity to the duty is the evidence — never the sentence that
///    states the obligation itself (a sentence containing, or contained in, the clause; `excludeClause: false`
///    turns this off);
/// 4. similarity ≥ `metAt` → `met`; ≥ `unclearAt` → `unclear`; below, or no candidate sentence → `unmet`.
/// The output is the adapter's native `{verdicts: [{clause, verdict, evidence: {start, end}, similarity}]}`, one
/// verdict per obligation in input order, for its `json` transforms to map back.
public struct EmbeddingMatcher: Sendable {
    public struct Options: Sendable, Equatable {
        public var metAt: Double
        public var unclearAt: Double
        public var maxTokens: Int
        public var excludeClause: Bool

        public init(metAt: Double = 0.6, unclearAt: Double = 0.4, maxTokens: Int = 256, excludeClause: Bool = true) {
            self.metAt = metAt
            self.unclearAt = unclearAt
            self.maxTokens = maxTokens
            self.excludeClause = excludeClause
        }
    }

    public struct Sentence: Sendable, Equatable {
        public var start: Int
        public var end: Int
        public var text: String
    }

    public var adapter: String
    public var options: Options

    public init(adapter: String, options: Options) {
        self.adapter = adapter
        self.options = options
    }

    /// The matcher an adapter declares, or nil when its model options carry no `sentences` key.
    public static func declared(by adapter: AdapterDefinition) throws -> EmbeddingMatcher? {
        let o = adapter.model.options
        guard let mode = o["sentences"] else { return nil }
        guard mode.stringValue == "punctuation" else {
            throw AdapterError.invalidOption(adapter: adapter.id, option: "sentences", message: "expected 'punctuation'")
        }
        var options = Options()
        func number(_ key: String) throws -> Double? {
            guard let v = o[key] else { return nil }
            guard let d = v.doubleValue, (-1...1).contains(d) else {
                throw AdapterError.invalidOption(adapter: adapter.id, option: key, message: "expected a number in -1…1")
            }
            return d
        }
        if let v = try number("metAt") { options.metAt = v }
        if let v = try number("unclearAt") { options.unclearAt = v }
        if options.unclearAt > options.metAt {
            throw AdapterError.invalidOption(adapter: adapter.id, option: "unclearAt", message: "must not exceed metAt")
        }
        if let v = o["maxTokens"] {
            guard let n = v.intValue, n > 0 else {
                throw AdapterError.invalidOption(adapter: adapter.id, option: "maxTokens", message: "expected a positive integer")
            }
            options.maxTokens = n
        }
        if let v = o["excludeClause"] {
            guard let b = v.boolValue else {
                throw AdapterError.invalidOption(adapter: adapter.id, option: "excludeClause", message: "expected true or false")
            }
            options.excludeClause = b
        }
        return EmbeddingMatcher(adapter: adapter.id, options: options)
    }

    /// Sentences with Unicode-scalar offsets into `text`.
    public static func sentences(in text: String) -> [Sentence] {
        let s = Array(text.unicodeScalars)
        var out: [Sentence] = []
        var start = 0
        func emit(_ end: Int) {
            var a = start, b = end
            while a < b, s[a].properties.isWhitespace { a += 1 }
            while b > a, s[b - 1].properties.isWhitespace { b -= 1 }
            if a < b, s[a..<b].contains(where: { $0.properties.isAlphabetic }) {
                out.append(Sentence(start: a, end: b, text: String(String.UnicodeScalarView(s[a..<b]))))
            }
        }
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "\n" || c == "\r" {
                emit(i); start = i + 1
            } else if c == "." || c == "!" || c == "?", i + 1 == s.count || s[i + 1].properties.isWhitespace {
                emit(i + 1); start = i + 1
            }
            i += 1
        }
        emit(s.count)
        return out
    }

    /// Collapses white space runs and lower-cases, for clause/sentence comparison.
    static func normalized(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Native outputs for native inputs, with the tokens read (for provenance), from one embedding call.
    public func run(_ inputs: [JSONValue], runner: any ModelRunner) throws -> [(output: JSONValue, tokensIn: Int)] {
        struct Plan { var duties: [(clause: String, duty: String)]; var sentences: [Sentence] }
        var plans: [Plan] = []
        var texts: [String] = []
        for input in inputs {
            let duties = (input["obligations"]?.arrayValue ?? []).map {
                (clause: $0["clause"]?.stringValue ?? "", duty: $0["duty"]?.stringValue ?? "")
            }
            let sentences = Self.sentences(in: input["text"]?.stringValue ?? "")
            plans.append(Plan(duties: duties, sentences: sentences))
            texts += duties.map(\.duty) + sentences.map(\.text)
        }
        let vectors = texts.isEmpty ? [] : try runner.embed(texts, maxTokens: options.maxTokens)
        guard vectors.count == texts.count else {
            throw AdapterError.runnerContract(adapter: adapter, message: "embed returned \(vectors.count) vectors for \(texts.count) texts")
        }
        var results: [(output: JSONValue, tokensIn: Int)] = []
        var next = 0
        for plan in plans {
            let dutyVectors = vectors[next ..< next + plan.duties.count]
            next += plan.duties.count
            let sentenceVectors = Array(vectors[next ..< next + plan.sentences.count])
            next += plan.sentences.count
            var tokens = 0
            for t in plan.duties.map(\.duty) + plan.sentences.map(\.text) {
                tokens += min(options.maxTokens, (try? runner.tokenize(t).count) ?? 0) + 2
            }
            var verdicts: [JSONValue] = []
            for (k, d) in plan.duties.enumerated() {
                let clause = Self.normalized(d.clause)
                var best: (index: Int, similarity: Double)?
                for (j, sentence) in plan.sentences.enumerated() {
                    if options.excludeClause, !clause.isEmpty {
                        let n = Self.normalized(sentence.text)
                        if clause.contains(n) || n.contains(clause) { continue }
                    }
                    let sim = Self.cosine(dutyVectors[dutyVectors.startIndex + k], sentenceVectors[j])
                    if let b = best, sim <= b.similarity { continue }
                    best = (j, sim)
                }
                let similarity = best.map { min(1, max(-1, ($0.similarity * 1e6).rounded() / 1e6)) } ?? 0
                let verdict = best == nil ? "unmet" : similarity >= options.metAt ? "met" : similarity >= options.unclearAt ? "unclear" : "unmet"
                let span = best.map { plan.sentences[$0.index] }
                verdicts.append(.object([
                    "clause": .string(d.clause),
                    "verdict": .string(verdict),
                    "evidence": .object(["start": .integer(Int64(span?.start ?? 0)), "end": .integer(Int64(span?.end ?? 0))]),
                    "similarity": .number(similarity),
                ]))
            }
            results.append((.object(["verdicts": .array(verdicts)]), tokens))
        }
        return results
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for i in 0 ..< min(a.count, b.count) {
            dot += Double(a[i]) * Double(b[i]); na += Double(a[i]) * Double(a[i]); nb += Double(b[i]) * Double(b[i])
        }
        return na > 0 && nb > 0 ? dot / (na.squareRoot() * nb.squareRoot()) : 0
    }
}
