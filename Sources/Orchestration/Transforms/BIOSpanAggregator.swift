/// One word piece as a token classifier saw it: offsets into the document (Unicode scalars), the word it belongs
/// to, and a probability per label.
public struct TaggedToken: Sendable, Equatable {
    public var start: Int
    public var end: Int
    /// Consecutive tokens with the same non-nil word index are pieces of one word.
    public var wordIndex: Int?
    public var probabilities: [Float]

    public init(start: Int, end: Int, wordIndex: Int?, probabilities: [Float]) {
        self.start = start
        self.end = end
        self.wordIndex = wordIndex
        self.probabilities = probabilities
    }
}

/// A span of one model label type, before canonical mapping.
public struct LabelSpan: Sendable, Equatable {
    /// The model's type without `B-`/`I-` (e.g. `GIVEN_NAME`).
    public var label: String
    public var start: Int
    public var end: Int
    public var score: Double
    /// How many words or tokens (by strategy) the span was built from; weights score averages when spans merge.
    public var pieces: Int

    public init(label: String, start: Int, end: Int, score: Double, pieces: Int) {
        self.label = label
        self.start = start
        self.end = end
        self.score = score
        self.pieces = pieces
    }
}

/// An entity ready for the canonical record: canonical type, exact offsets, and the model spans it came from.
public struct AggregatedEntity: Sendable, Equatable {
    public var type: String
    public var start: Int
    public var end: Int
    public var text: String
    public var score: Double
    /// The model-label spans that were joined into this entity (one element when nothing was merged).
    public var parts: [LabelSpan]

    public init(type: String, start: Int, end: Int, text: String, score: Double, parts: [LabelSpan]) {
        self.type = type
        self.start = start
        self.end = end
        self.text = text
        self.score = score
        self.parts = parts
    }
}

/// Turns per-token BIO probabilities into entities (the `bio-spans` transform).
///
/// Steps, in order:
/// 1. **Words** (strategy): `simple` labels each token on its own; `first` gives a word the label of its first
///    piece; `average` averages the pieces' probabilities; `max` takes the label of the piece with the highest
///    score — Hugging Face's aggregation strategies, so a `B-` label on a word's second piece cannot split a word.
/// 2. **BIO grouping**: `O` ends a span; `B-X` starts one; `I-X` continues a span of type X, or starts one.
/// 3. **Gapless merge**: adjacent spans of the same type with no character between them are one span (a model
///    that labels `maria`, `.`, `gonzalez` each `B-EMAIL` still yields one e-mail address).
/// 4. **Threshold**: spans scoring below it are dropped (score = mean over the span's words or tokens).
/// 5. **Label map**: model types → canonical types; types not in the map are dropped.
/// 6. **Merge rules**: a run of spans whose model types belong to a rule's `parts`, in the rule's order (a type may
///    repeat, e.g. two given names), separated only by spaces, tabs and commas, becomes one entity of the rule's
///    type that keeps its pieces as parts (GIVEN_NAME + SURNAME → PERSON; number, street, city, state, zip → ADDRESS).
public struct BIOSpanAggregator: Sendable {
    public enum Strategy: String, Sendable, CaseIterable { case simple, first, average, max }

    public struct MergeRule: Sendable, Equatable {
        public var parts: [String]
        public var type: String
        public init(parts: [String], type: String) { self.parts = parts; self.type = type }
    }

    /// Model labels by index, e.g. `O`, `B-EMAIL`, `I-EMAIL`.
    public var labels: [String]
    public var strategy: Strategy
    public var threshold: Double
    /// Model type → canonical type.
    public var labelMap: [String: String]
    public var mergeRules: [MergeRule]

    public init(labels: [String], strategy: Strategy, threshold: Double = 0,
                labelMap: [String: String], mergeRules: [MergeRule] = []) {
        self.labels = labels
        self.strategy = strategy
        self.threshold = threshold
        self.labelMap = labelMap
        self.mergeRules = mergeRules
    }

    /// Entities found in `text` (whose scalars the tokens' offsets index), in document order.
    public func entities(tokens: [TaggedToken], text: String) -> [AggregatedEntity] {
        let scalars = Array(text.unicodeScalars)
        let spans = thresholded(gaplessMerged(bioGrouped(words(tokens))))
        var mapped: [(span: LabelSpan, canonical: String)] = []
        for span in spans {
            guard let canonical = labelMap[span.label] else { continue }
            mapped.append((span, canonical))
        }
        return applyMergeRules(mapped, scalars: scalars)
    }

    // MARK: 1. words

    /// (label index, score, start, end) per word or token.
    struct Unit { var label: Int; var score: Double; var start: Int; var end: Int }

    func words(_ tokens: [TaggedToken]) -> [Unit] {
        if strategy == .simple { return tokens.map { unit(probabilities: $0.probabilities, start: $0.start, end: $0.end) } }
        var units: [Unit] = []
        var i = 0
        while i < tokens.count {
            var j = i + 1
            if let w = tokens[i].wordIndex {
                while j < tokens.count, tokens[j].wordIndex == w { j += 1 }
            }
            let word = tokens[i ..< j]
            let start = word.first?.start ?? 0, end = word.last?.end ?? 0
            switch strategy {
            case .simple, .first:
                units.append(unit(probabilities: tokens[i].probabilities, start: start, end: end))
            case .average:
                var mean = [Float](repeating: 0, count: tokens[i].probabilities.count)
                for t in word where t.probabilities.count == mean.count {
                    for k in mean.indices { mean[k] += t.probabilities[k] }
                }
                for k in mean.indices { mean[k] /= Float(word.count) }
                units.append(unit(probabilities: mean, start: start, end: end))
            case .max:
                let best = word.map { unit(probabilities: $0.probabilities, start: start, end: end) }
                    .max { $0.score < $1.score }
                if let best { units.append(best) }
            }
            i = j
        }
        return units
    }

    func unit(probabilities p: [Float], start: Int, end: Int) -> Unit {
        var best = 0
        for k in p.indices where p[k] > p[best] { best = k }
        return Unit(label: best, score: p.isEmpty ? 0 : Double(p[best]), start: start, end: end)
    }

    // MARK: 2. BIO grouping

    /// `B-X` → (.begin, X); `I-X` → (.inside, X); anything else without a prefix is its own type; `O` → nil.
    enum Position { case begin, inside }

    func parse(_ index: Int) -> (Position, String)? {
        guard index >= 0, index < labels.count else { return nil }
        let label = labels[index]
        if label == "O" { return nil }
        if label.hasPrefix("B-") { return (.begin, String(label.dropFirst(2))) }
        if label.hasPrefix("I-") { return (.inside, String(label.dropFirst(2))) }
        return (.begin, label)
    }

    func bioGrouped(_ units: [Unit]) -> [LabelSpan] {
        var spans: [LabelSpan] = []
        var open = false
        for u in units {
            guard let (position, type) = parse(u.label) else { open = false; continue }
            if open, position == .inside, var last = spans.last, last.label == type {
                last.end = u.end
                last.score = (last.score * Double(last.pieces) + u.score) / Double(last.pieces + 1)
                last.pieces += 1
                spans[spans.count - 1] = last
            } else {
                spans.append(LabelSpan(label: type, start: u.start, end: u.end, score: u.score, pieces: 1))
            }
            open = true
        }
        return spans
    }

    // MARK: 3–4. gapless merge, threshold

    func gaplessMerged(_ spans: [LabelSpan]) -> [LabelSpan] {
        var out: [LabelSpan] = []
        for s in spans {
            if var last = out.last, last.label == s.label, last.end == s.start {
                let n = last.pieces + s.pieces
                last.score = (last.score * Double(last.pieces) + s.score * Double(s.pieces)) / Double(n)
                last.end = s.end
                last.pieces = n
                out[out.count - 1] = last
            } else {
                out.append(s)
            }
        }
        return out
    }

    func thresholded(_ spans: [LabelSpan]) -> [LabelSpan] { spans.filter { $0.score >= threshold } }

    // MARK: 6. merge rules

    static func isSeparator(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "," || s == "\u{00A0}" }

    func applyMergeRules(_ spans: [(span: LabelSpan, canonical: String)], scalars: [Unicode.Scalar]) -> [AggregatedEntity] {
        func text(_ a: Int, _ b: Int) -> String {
            let lo = max(0, min(a, scalars.count)), hi = max(lo, min(b, scalars.count))
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars[lo ..< hi])
            return String(s)
        }
        func gapIsSeparators(_ a: Int, _ b: Int) -> Bool {
            guard a <= b, b <= scalars.count else { return false }
            return scalars[a ..< b].allSatisfy(Self.isSeparator)
        }
        var result: [AggregatedEntity] = []
        var i = 0
        while i < spans.count {
            let first = spans[i].span
            var j = i + 1
            var rule: MergeRule?
            if let r = mergeRules.first(where: { $0.parts.contains(first.label) }) {
                var order = r.parts.firstIndex(of: first.label) ?? 0
                while j < spans.count, let next = r.parts.firstIndex(of: spans[j].span.label), next >= order,
                      gapIsSeparators(spans[j - 1].span.end, spans[j].span.start) {
                    order = next
                    j += 1
                }
                if j - i > 1 { rule = r }
            }
            let run = spans[i ..< j].map(\.span)
            let start = run.first?.start ?? 0, end = run.last?.end ?? 0
            let pieces = run.reduce(0) { $0 + $1.pieces }
            let score = run.reduce(0.0) { $0 + $1.score * Double($1.pieces) } / Double(max(1, pieces))
            result.append(AggregatedEntity(type: rule?.type ?? spans[i].canonical, start: start, end: end,
                                           text: text(start, end), score: score, parts: run))
            i = j
        }
        return result
    }
}
