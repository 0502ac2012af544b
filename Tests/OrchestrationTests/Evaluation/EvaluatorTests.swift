import Canonical
import Testing
import Orchestration

/// Record-level rates and the per-step / per-model report over records made by hand.
@Suite struct EvaluatorTests {
    static func entity(_ type: EntityType, _ start: Int, _ end: Int, _ text: String, by step: String) -> Entity {
        Entity(id: "\(step)-\(start)", type: type, text: text, start: start, end: end, score: 0.9, producedBy: step)
    }

    static func run(_ step: String, adapter: String? = nil, model: String? = nil, check: String? = nil) -> Provenance {
        Provenance(step: step, adapter: adapter.map { .init(id: $0, version: "1.0.0") }, check: check,
                   model: model.map { .init(id: $0, sha256: String(repeating: "0", count: 64)) },
                   startedAt: "2025-01-01T00:00:00Z", durationMs: 1)
    }

    // doc-1 "Call Jane Doe at 555-0100." and doc-2 "Mail ann@x.org now.", doc-3 has no record.
    static let gold = [
        GoldDocument(id: "doc-1", text: "Call Jane Doe at 555-0100.", entities: [
            EntityMention(type: "PERSON", start: 5, end: 13, text: "Jane Doe"),
            EntityMention(type: "PHONE", start: 17, end: 25, text: "555-0100"),
        ]),
        GoldDocument(id: "doc-2", text: "Mail ann@x.org now.", entities: [
            EntityMention(type: "EMAIL", start: 5, end: 14, text: "ann@x.org"),
        ]),
        GoldDocument(id: "doc-3", text: "Ring Bo.", entities: [EntityMention(type: "PERSON", start: 5, end: 7, text: "Bo")]),
    ]

    static var records: [CanonicalRecord] {
        // doc-1: step "pii" on model A finds the name exactly and the phone short; step "names" on model B
        // finds "Jane" only. The pii-spans check passes.
        var r1 = CanonicalRecord(document: Document(id: "doc-1", text: gold[0].text, source: "t"))
        r1.entities = [entity(.person, 5, 13, "Jane Doe", by: "pii"), entity(.phone, 17, 24, "555-010", by: "pii"),
                       entity(.person, 5, 9, "Jane", by: "names")]
        r1.provenance = [run("pii", adapter: "a-pii", model: "model-a"), run("names", adapter: "b-names", model: "model-b"),
                         run("pii-spans", check: "spans-match-text")]
        // doc-2: "pii" on model A failed and the step re-ran on model C (the fallback: two provenance entries, as the
        // executor writes them), which finds the e-mail; the check fails.
        var r2 = CanonicalRecord(document: Document(id: "doc-2", text: gold[1].text, source: "t"))
        r2.entities = [entity(.email, 5, 14, "ann@x.org", by: "pii")]
        r2.provenance = [run("pii", adapter: "a-pii", model: "model-a"), run("pii", adapter: "c-fallback", model: "model-c"),
                         run("names", adapter: "b-names", model: "model-b"),
                         run("pii-spans", check: "spans-match-text")]
        r2.findings = [Finding(id: "f1", rule: "spans-match-text", severity: .error, message: "bad", evidence: [],
                               producedBy: "pii-spans")]
        // A record for a document that is not in the gold set is ignored.
        let other = CanonicalRecord(document: Document(id: "other", text: "", source: "t"))
        return [r2, r1, other]
    }

    @Test func perStepAndPerModel() throws {
        let report = Evaluator.evaluate(gold: Self.gold, records: Self.records, schema: nil)
        #expect(report.documents == 3)
        #expect(report.missingRecords == ["doc-3"])
        // Overall (all steps): predicted Jane Doe ✓, 555-010 ✗, Jane ✗, ann@x.org ✓; gold misses phone and Bo.
        #expect(report.overall.strict.micro == MatchCounts(truePositives: 2, falsePositives: 2, falseNegatives: 2))
        #expect(report.overall.overlap.micro == MatchCounts(truePositives: 3, falsePositives: 1, falseNegatives: 1))
        #expect(report.steps.map(\.name) == ["pii", "names"])
        let pii = report.steps[0], names = report.steps[1]
        #expect(pii.adapters == ["a-pii", "c-fallback"] && pii.models == ["model-a", "model-c"])
        #expect(pii.strict.micro == MatchCounts(truePositives: 2, falsePositives: 1, falseNegatives: 2))
        #expect(pii.overlap.micro == MatchCounts(truePositives: 3, falsePositives: 0, falseNegatives: 1))
        #expect(names.strict.micro == MatchCounts(truePositives: 0, falsePositives: 1, falseNegatives: 4))
        #expect(names.overlap.micro == MatchCounts(truePositives: 1, falsePositives: 0, falseNegatives: 3))
        // Per model: only the documents where the model's output is what the record holds (model A's doc-2 run was
        // replaced by the fallback's).
        #expect(report.models.map(\.name) == ["model-a", "model-b", "model-c"])
        let byName = Dictionary(uniqueKeysWithValues: report.models.map { ($0.name, $0) })
        #expect(byName["model-a"]?.strict.micro == MatchCounts(truePositives: 1, falsePositives: 1, falseNegatives: 1))
        #expect(byName["model-a"]?.strict.documents == 1)
        #expect(byName["model-c"]?.strict.micro == MatchCounts(truePositives: 1))
        #expect(byName["model-b"]?.strict.documents == 2)
        #expect(report.checks == ["pii-spans": Rate(passed: 1, total: 2)])
        #expect(report.checkPassRate.value == 0.5)
        #expect(report.schemaValid == Rate())
        let json = report.json()
        #expect(json["steps"]?[0]?["entities"]?["strict"]?["f1"] == .number(0.5714))  // 4 / 7
        #expect(json["checkPassRate"]?["rate"] == .number(0.5))
    }

    @Test func silentStepNamedInOptionsScoresRecallZero() {
        let report = Evaluator.evaluate(gold: Self.gold, records: Self.records, schema: nil,
                                        options: .init(entitySteps: ["silent"]))
        #expect(report.steps.first?.name == "silent")
        #expect(report.steps.first?.strict.micro == MatchCounts(falseNegatives: 4))
    }

    @Test func schemaValidRate() throws {
        let schema = try JSONSchema.canonical()
        let records = Self.records
        #expect(RecordMetrics.schemaValidRate(records, schema: schema) == Rate(passed: 3, total: 3))
        var broken = try records[0].toJSONValue()
        if case var .object(o) = broken { o["schema"] = .string("franca/v0"); broken = .object(o) }
        #expect(RecordMetrics.schemaValidRate([try records[1].toJSONValue(), broken], schema: schema) == Rate(passed: 1, total: 2))
        let report = Evaluator.evaluate(gold: Self.gold, records: records, schema: schema)
        #expect(report.schemaValid == Rate(passed: 2, total: 2))  // only records of gold documents
    }

    @Test func checkErrorsCountAsFailedRuns() {
        var r = CanonicalRecord(document: Document(id: "d", text: "", source: "t"))
        r.errors = [StepError(step: "evidence", kind: "timeout", message: "slow"), StepError(step: "pii", kind: "x", message: "")]
        r.findings = [Finding(id: "w", rule: "r", severity: .warning, message: "", evidence: [], producedBy: "record")]
        r.provenance = [Self.run("record", check: "schema-valid")]
        let rates = RecordMetrics.checkPassRates([r], checkSteps: ["evidence", "record"])
        // A warning does not fail a check; an errors[] entry does; "pii" is not a check step.
        #expect(rates == ["evidence": Rate(passed: 0, total: 1), "record": Rate(passed: 1, total: 1)])
        #expect(Rate().value == nil)
    }
}
