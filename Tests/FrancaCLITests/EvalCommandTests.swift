import Foundation
import Testing

/// `franca eval CHAIN --gold GOLD.jsonl --records RUN` through the built executable, scored by hand.
@Suite("franca eval")
struct EvalCommandTests {
    /// Gold: doc-1 (the first record of Tests/Fixtures/canonical/records/valid.jsonl) with its two entities and one
    /// obligation whose status is `met`; doc-x has one entity and no record at all.
    static let gold = """
    {"id": "doc-1", "text": "Mail Ana Lima at ana@example.com by 1 May.", "entities": [{"type": "PERSON", "start": 5, "end": 13, "text": "Ana Lima"}, {"type": "EMAIL", "start": 17, "end": 32, "text": "ana@example.com"}], "obligations": [{"text": "Mail Ana Lima at ana@example.com by 1 May.", "modality": "must", "status": "met"}]}
    {"id": "doc-x", "text": "Bo was here.", "entities": [{"type": "PERSON", "start": 0, "end": 2, "text": "Bo"}]}

    """

    static func writeRun(_ t: BatchRunTests.Temp) throws {
        let valid = try String(contentsOf: CLIRunner.fixtures.appendingPathComponent("canonical/records/valid.jsonl"), encoding: .utf8)
        let first = try #require(valid.split(separator: "\n").first)
        try t.write("run/records.jsonl", Data((first + "\n").utf8))
        try t.write("gold.jsonl", Data(gold.utf8))
    }

    @Test("Scores an earlier run's records against the gold set, per step, as JSON")
    func scoresRecordsAsJSON() throws {
        let t = try BatchRunTests.Temp(); defer { t.cleanup() }
        try Self.writeRun(t)
        let r = try CLIRunner.run(["eval", "contract-compliance", "--gold", t.path("gold.jsonl"), "--records", t.path("run"), "--format", "json"])
        #expect(r.status == 0, "\(r)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(o["documents"] as? Int == 2)
        #expect(o["missingRecords"] as? [String] == ["doc-x"])
        // 2 of 3 gold entities found exactly, none wrong: P 1, R 2/3, F1 = 2·2 / (2·2 + 0 + 1) = 0.8.
        let overall = try #require(o["overall"] as? [String: Any])
        let strict = try #require((overall["entities"] as? [String: Any])?["strict"] as? [String: Any])
        #expect(strict["tp"] as? Int == 2 && strict["fp"] as? Int == 0 && strict["fn"] as? Int == 1)
        #expect(strict["precision"] as? Double == 1 && strict["recall"] as? Double == 0.6667 && strict["f1"] as? Double == 0.8)
        // The obligation is found (same text) but its status is unknown, not met: aligned 1, correct 0.
        let obligations = try #require(overall["obligations"] as? [String: Any])
        #expect(obligations["gold"] as? Int == 1 && obligations["aligned"] as? Int == 1 && obligations["correct"] as? Int == 0)
        // Steps the chain scores: pii (entities, ran rampart-pii) and obligations (nothing in the record).
        let steps = try #require(o["steps"] as? [[String: Any]])
        #expect(steps.map { $0["name"] as? String } == ["pii", "obligations"])
        #expect(steps.first?["adapters"] as? [String] == ["rampart-pii"])
        let models = try #require(o["models"] as? [[String: Any]])
        #expect(models.map { $0["name"] as? String } == ["rampart"])
        #expect((o["schemaValid"] as? [String: Any])?["passed"] as? Int == 1)
    }

    @Test("Text report rows; unreadable gold names the file, line and field")
    func textReportAndErrors() throws {
        let t = try BatchRunTests.Temp(); defer { t.cleanup() }
        try Self.writeRun(t)
        let r = try CLIRunner.run(["eval", "contract-compliance", "--gold", t.path("gold.jsonl"), "--records", t.path("run/records.jsonl")])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdoutLines.first == "contract-compliance on \(t.path("gold.jsonl")): 2 gold documents, 1 without a record (scored as empty): doc-x")
        #expect(r.stdoutLines.contains { $0.hasPrefix("all steps") && $0.contains("1.000 / 0.667 / 0.800") && $0.hasSuffix("1 / 0 of 1  (accuracy 0.000)") }, "\(r)")
        #expect(r.stdoutLines.contains { $0.hasPrefix("step pii (rampart-pii)") }, "\(r)")
        #expect(r.stdoutLines.contains("schema-valid records: 1/1 (1.000)"), "\(r)")

        try t.write("bad.jsonl", Data(#"{"id": "d", "text": "Ann", "entities": [{"type": "PERSON", "start": 0, "end": 9}]}"#.utf8))
        let bad = try CLIRunner.run(["eval", "contract-compliance", "--gold", t.path("bad.jsonl"), "--records", t.path("run")])
        #expect(bad.status == 64 && bad.stderr.contains("bad.jsonl:1: /entities/0") && bad.stderr.contains("outside the text"), "\(bad)")
        let unknown = try CLIRunner.run(["eval", "contract-complience", "--gold", t.path("gold.jsonl")])
        #expect(unknown.status == 64 && unknown.stderr.contains("Did you mean 'contract-compliance'?"), "\(unknown)")
    }
}
