import Canonical

extension BIOSpanAggregator {
    /// The aggregation an adapter's `bio-spans` transform declares, over the model's label list.
    public init(transform: BIOSpansTransform, labels: [String]) {
        var map: [String: String] = [:]
        for (native, canonical) in transform.labels where map[native] == nil { map[native] = canonical }
        self.init(labels: labels, strategy: Strategy(rawValue: transform.strategy.rawValue) ?? .first,
                  threshold: transform.threshold, labelMap: map,
                  mergeRules: transform.merge.map { MergeRule(parts: $0.parts, type: $0.type) })
    }

    /// Aggregation with no adapter: word-level `first`, every model type kept under its own name.
    public static func identity(labels: [String]) -> BIOSpanAggregator {
        var map: [String: String] = [:]
        for label in labels where label != "O" {
            let type = label.hasPrefix("B-") || label.hasPrefix("I-") ? String(label.dropFirst(2)) : label
            map[type] = type
        }
        return BIOSpanAggregator(labels: labels, strategy: .first, threshold: 0, labelMap: map)
    }

    public func entities(_ classification: TokenClassification, text: String) -> [AggregatedEntity] {
        entities(tokens: classification.tokens.map {
            TaggedToken(start: $0.start, end: $0.end, wordIndex: $0.wordIndex, probabilities: $0.probabilities)
        }, text: text)
    }
}

extension TokenClassification {
    /// The native output of a token classifier, as its adapter's native output schema describes it.
    public func nativeJSON() -> JSONValue {
        // Documents have hundreds of tokens: every token object shares one of two key lists and gets its values in
        // one array of the right size.
        let withWord = ["text", "start", "end", "word", "label", "score"], withoutWord = ["text", "start", "end", "label", "score"]
        return .object(["tokens": .array(tokens.map { t in
            var values: [JSONValue] = [.string(t.text), .integer(Int64(t.start)), .integer(Int64(t.end))]
            values.reserveCapacity(6)
            if let w = t.wordIndex { values.append(.integer(Int64(w))) }
            values.append(.string(t.label))
            values.append(.number((Double(t.score) * 1e6).rounded() / 1e6))
            return .object(JSONObject(distinctKeys: t.wordIndex == nil ? withoutWord : withWord, values: values))
        })])
    }
}

extension AggregatedEntity {
    public func json() -> JSONValue {
        var o: JSONObject = ["type": .string(type), "text": .string(text), "start": .integer(Int64(start)),
                             "end": .integer(Int64(end)), "score": .number((score * 1e6).rounded() / 1e6)]
        if parts.count > 1 {
            o["parts"] = .array(parts.map { p in
                .object(["label": .string(p.label), "start": .integer(Int64(p.start)), "end": .integer(Int64(p.end))])
            })
        }
        return .object(o)
    }
}
