import Canonical
import Foundation
import Orchestration

/// The PII gold set (`Examples/pii-gold/gold.jsonl`), the package-aggregation baseline fixture, and the
/// `rampart-pii` adapter run over the gold texts.
enum PIIGold {
    static let goldURL = Fixtures.repoRoot.appendingPathComponent("Examples/pii-gold/gold.jsonl")
    static let baselineURL = Fixtures.testsDirectory.appendingPathComponent("Fixtures/pii-gold/baseline-simple.jsonl")

    static func gold() throws -> [GoldDocument] { try GoldSet.load(goldURL) }

    struct FixtureError: Error, CustomStringConvertible { let description: String }

    /// `Tests/Fixtures/pii-gold/baseline-simple.jsonl` (from `scripts/fixtures/pii_gold_baseline.py`), by id.
    static func baseline() throws -> [String: [EntityMention]] {
        let text = try String(contentsOf: baselineURL, encoding: .utf8)
        var out: [String: [EntityMention]] = [:]
        for (n, line) in text.split(separator: "\n").enumerated() {
            let v = try JSONValue.parse(String(line))
            guard let id = v["id"]?.stringValue, let items = v["entities"]?.arrayValue else {
                throw FixtureError(description: "baseline line \(n + 1): expected id and entities")
            }
            out[id] = try items.map { e in
                guard let type = e["type"]?.stringValue, let start = e["start"]?.intValue, let end = e["end"]?.intValue,
                      let t = e["text"]?.stringValue else {
                    throw FixtureError(description: "baseline line \(n + 1): entity without type/start/end/text")
                }
                return EntityMention(type: type, start: start, end: end, text: t)
            }
        }
        return out
    }

    static func bioSpans(_ adapter: AdapterDefinition) -> BIOSpansTransform? {
        adapter.output.lazy.compactMap { t -> BIOSpansTransform? in
            if case let .bioSpans(b) = t { return b } else { return nil }
        }.first
    }

    /// Canonical types the adapter's label map can produce (targets of its labels and merges).
    static func producibleTypes(_ adapter: AdapterDefinition) -> Set<String> {
        guard let b = bioSpans(adapter) else { return [] }
        return Set(b.labels.map(\.canonical)).union(b.merge.map(\.type))
    }

    /// The adapter's token classification of every gold text (one batched call, the adapter's window).
    static func classify(_ runner: any ModelRunner, _ adapter: AdapterDefinition,
                         _ docs: [GoldDocument]) throws -> [TokenClassification] {
        var window = TokenWindowSpec()
        if case let .text(input) = adapter.input, let w = input.window {
            window = TokenWindowSpec(maxTokens: w.maxTokens, overlap: w.overlap)
        }
        return try runner.classifyTokens(docs.map(\.text), window: window)
    }

    static func entities(_ aggregator: BIOSpanAggregator, _ classified: [TokenClassification],
                         _ docs: [GoldDocument]) -> [[EntityMention]] {
        zip(classified, docs).map { c, d in
            aggregator.entities(c, text: d.text).map { EntityMention(type: $0.type, start: $0.start, end: $0.end, text: $0.text) }
        }
    }

    static func score(_ predicted: [[EntityMention]], _ docs: [GoldDocument], _ matching: SpanMatching) -> EntityScores {
        EntityMetrics.score(documents: zip(predicted, docs).map { ($0, $1.entities ?? []) }, matching: matching)
    }

    static func f(_ x: Double) -> String { String(format: "%.3f", x) }

    /// The Markdown table of the README: micro rows, then per type (strict F1 / overlap F1).
    static func table(adapter: (EntityScores, EntityScores), baseline: (EntityScores, EntityScores)) -> String {
        var lines = ["| | strict P | strict R | strict F1 | overlap P | overlap R | overlap F1 |",
                     "|---|---|---|---|---|---|---|"]
        for (name, s) in [("`rampart-pii` adapter", adapter), ("package `simple` aggregation", baseline)] {
            lines.append("| \(name) | \(f(s.0.micro.precision)) | \(f(s.0.micro.recall)) | **\(f(s.0.micro.f1))** | "
                + "\(f(s.1.micro.precision)) | \(f(s.1.micro.recall)) | \(f(s.1.micro.f1)) |")
        }
        lines += ["", "| type | gold | adapter strict F1 | adapter overlap F1 | baseline strict F1 | baseline overlap F1 |",
                  "|---|---|---|---|---|---|"]
        let types = Set(adapter.0.perType.keys).union(baseline.0.perType.keys).sorted()
        for t in types {
            let a0 = adapter.0.perType[t] ?? MatchCounts(), a1 = adapter.1.perType[t] ?? MatchCounts()
            let b0 = baseline.0.perType[t] ?? MatchCounts(), b1 = baseline.1.perType[t] ?? MatchCounts()
            lines.append("| \(t) | \(a0.gold) | \(f(a0.f1)) | \(f(a1.f1)) | \(f(b0.f1)) | \(f(b1.f1)) |")
        }
        return lines.joined(separator: "\n")
    }
}
