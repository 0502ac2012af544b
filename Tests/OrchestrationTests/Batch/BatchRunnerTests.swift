import Canonical
import Foundation
import Orchestration
import Testing

@Suite("Batch runner (fake processor)")
struct BatchRunnerTests {
    @Test("A directory: .txt/.md files sorted by path, ids without extension, other files ignored")
    func directoryInput() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        try dir.file("in/b.txt", "Bob signs.")
        try dir.file("in/a.md", "# Alice\nAlice and Bob.")
        try dir.file("in/sub/c.txt", "Nobody here.")
        try dir.file("in/ignored.bin", "Alice")
        try dir.file("in/.hidden.txt", "Alice")
        let p = FakeProcessor()
        let out = dir.url.appendingPathComponent("out")
        let (outcome, summary) = try BatchHarness.run(p, input: dir.url.appendingPathComponent("in").path, out: out)
        let records = try BatchHarness.records(out)
        #expect(records.map(\.document.id) == ["a", "b", "sub/c"])
        #expect(records[0].document.mediaType == "text/markdown")
        #expect(records[0].entities.map(\.start) == [2, 8, 18])  // "# Alice\nAlice and Bob."
        #expect(records[1].entities.map(\.text) == ["Bob"])
        #expect(outcome.progress.processed == 3 && outcome.progress.expected == 3)
        #expect(summary.done == 3 && summary.failed == 0 && summary.exitCode == 0)
        #expect(try BatchHarness.allLinesValid(out))
    }

    @Test("JSONL with named id/text fields; other fields become metadata; a final line without newline is read")
    func jsonlInput() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        try dir.file("in.jsonl", "{\"key\":\"k1\",\"body\":\"Alice\",\"lang\":\"en\"}\n\n{\"key\":7,\"body\":\"Bob Bob\"}")
        let out = dir.url.appendingPathComponent("out")
        let (outcome, summary) = try BatchHarness.run(FakeProcessor(), input: dir.url.appendingPathComponent("in.jsonl").path, out: out,
                                                      idField: "key", textField: "body")
        #expect(outcome.progress.expected == 2)  // blank lines are not counted
        let records = try BatchHarness.records(out)
        #expect(records.map(\.document.id) == ["k1", "7"])
        #expect(records[0].document.metadata["lang"] == .string("en"))
        #expect(records[0].document.source.hasSuffix("in.jsonl:1"))
        #expect(records[1].document.source.hasSuffix("in.jsonl:3"))
        #expect(records[1].entities.count == 2)
        #expect(summary.total == 2)
    }

    @Test("Documents reach the processor in batches of the requested size")
    func batching() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        for i in 0..<10 { try dir.file("in/d\(i).txt", "doc \(i)") }
        let p = FakeProcessor()
        _ = try BatchHarness.run(p, input: dir.url.appendingPathComponent("in").path, out: dir.url.appendingPathComponent("out"),
                                 options: .init(batchSize: 4))
        #expect(p.batchSizes == [4, 4, 2])
    }

    @Test("The same command again skips every finished document and leaves records.jsonl as it was")
    func rerunSkips() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        for i in 0..<6 { try dir.file("in/d\(i).txt", "Alice \(i)") }
        let input = dir.url.appendingPathComponent("in").path, out = dir.url.appendingPathComponent("out")
        _ = try BatchHarness.run(FakeProcessor(), input: input, out: out)
        let before = try Data(contentsOf: out.appendingPathComponent("records.jsonl"))
        let p = FakeProcessor()
        let (outcome, summary) = try BatchHarness.run(p, input: input, out: out)
        #expect(p.seen.isEmpty)
        #expect(outcome.progress.skipped == 6 && outcome.progress.processed == 0)
        #expect(summary.total == 6 && summary.skipped == 6)
        #expect(try Data(contentsOf: out.appendingPathComponent("records.jsonl")) == before)
    }

    @Test("A changed document runs again and appears once")
    func changedDocument() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        for i in 0..<3 { try dir.file("in/d\(i).txt", "text \(i)") }
        let input = dir.url.appendingPathComponent("in").path, out = dir.url.appendingPathComponent("out")
        _ = try BatchHarness.run(FakeProcessor(), input: input, out: out)
        try dir.file("in/d1.txt", "now Alice")
        let p = FakeProcessor()
        _ = try BatchHarness.run(p, input: input, out: out)
        #expect(p.seen == ["d1"])
        let records = try BatchHarness.records(out)
        #expect(records.map(\.document.id).sorted() == ["d0", "d1", "d2"])
        #expect(records.first { $0.document.id == "d1" }?.entities.count == 1)
    }

    @Test("A changed adapter re-runs only documents that ran its step, and says why")
    func fingerprintChange() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        try dir.file("in/plain.txt", "Alice")
        try dir.file("in/duty1.txt", "an obligation")
        try dir.file("in/duty2.txt", "another obligation")
        let input = dir.url.appendingPathComponent("in").path, out = dir.url.appendingPathComponent("out")
        let p = FakeProcessor()
        _ = try BatchHarness.run(p, input: input, out: out)
        // Only the `duties` adapter changes: plain.txt never ran that step.
        let p2 = FakeProcessor()
        let (outcome, summary) = try BatchHarness.run(p2, input: input, out: out, fingerprint: p2.fingerprint(dutiesVersion: "2.0.0"))
        #expect(p2.seen.sorted() == ["duty1", "duty2"])
        #expect(outcome.rerun.lines == ["adapter fake-duties 1.0.0 → 2.0.0 (step duties): 2 documents to re-run"])
        #expect(summary.total == 3 && summary.skipped == 1)
        #expect(try BatchHarness.ids(out).sorted() == ["duty1", "duty2", "plain"])
        // A new model sha256 for `pii` touches every document.
        let p3 = FakeProcessor()
        p3.modelSHA = String(repeating: "b", count: 64)
        let (o3, _) = try BatchHarness.run(p3, input: input, out: out, fingerprint: p3.fingerprint(dutiesVersion: "2.0.0"))
        #expect(p3.seen.count == 3)
        #expect(o3.rerun.lines == ["model fake weights sha256 changed (step pii): 3 documents to re-run"])
        // An edited chain file re-runs everything.
        let p4 = FakeProcessor()
        p4.modelSHA = p3.modelSHA
        let (o4, _) = try BatchHarness.run(p4, input: input, out: out, fingerprint: p4.fingerprint(chainHash: "chain-2", dutiesVersion: "2.0.0"))
        #expect(o4.rerun.lines == ["chain file fake.yaml changed: 3 documents to re-run"])
        #expect(try BatchHarness.ids(out).count == 3)
    }

    @Test("--retry-failed re-runs failed documents only; without it they stay failed")
    func retryFailed() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        try dir.file("in/ok.txt", "Alice")
        try dir.file("in/flaky.txt", "FAILME Bob")
        let input = dir.url.appendingPathComponent("in").path, out = dir.url.appendingPathComponent("out")
        let (_, s1) = try BatchHarness.run(FakeProcessor(), input: input, out: out)
        #expect(s1.failed == 1 && s1.exitCode == 3 && s1.failuresByKind == ["invalid-output": 1])
        let fixed = FakeProcessor()
        fixed.failWord = nil
        _ = try BatchHarness.run(fixed, input: input, out: out)
        #expect(fixed.seen.isEmpty)
        let (o3, s3) = try BatchHarness.run(fixed, input: input, out: out, options: .init(batchSize: 4, retryFailed: true))
        #expect(fixed.seen == ["flaky"])
        #expect(o3.rerun.lines == ["failed before (--retry-failed): 1 document to re-run"])
        #expect(s3.failed == 0 && s3.done == 2 && s3.exitCode == 0)
        #expect(try BatchHarness.ids(out).sorted() == ["flaky", "ok"])
    }

    @Test("Two batches in flight: every document exactly once")
    func concurrency() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        for i in 0..<101 { try dir.file("in/d\(String(format: "%03d", i)).txt", i % 7 == 0 ? "FAILME" : "Alice \(i)") }
        let p = FakeProcessor()
        let (_, summary) = try BatchHarness.run(p, input: dir.url.appendingPathComponent("in").path, out: dir.url.appendingPathComponent("out"),
                                                options: .init(batchSize: 8, concurrency: 2))
        let ids = try BatchHarness.ids(dir.url.appendingPathComponent("out"))
        #expect(ids.count == 101 && Set(ids).count == 101)
        #expect(summary.failed == 15 && summary.done == 86)
        #expect(p.seen.count == 101)
    }

    @Test("Duplicate ids in the input: the first wins, the rest are counted")
    func duplicates() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        try dir.file("in.jsonl", "{\"id\":\"x\",\"text\":\"Alice\"}\n{\"id\":\"x\",\"text\":\"Bob\"}\n")
        let (outcome, _) = try BatchHarness.run(FakeProcessor(), input: dir.url.appendingPathComponent("in.jsonl").path,
                                                out: dir.url.appendingPathComponent("out"))
        #expect(outcome.progress.duplicates == 1 && outcome.duplicateIDs == ["x"])
        #expect(try BatchHarness.records(dir.url.appendingPathComponent("out")).map { $0.entities.first?.text } == ["Alice"])
    }

    @Test("Another chain's output folder is refused")
    func otherChain() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        try dir.file("in/a.txt", "Alice")
        let out = dir.url.appendingPathComponent("out")
        _ = try BatchHarness.run(FakeProcessor(), input: dir.url.appendingPathComponent("in").path, out: out)
        let other = ChainFingerprint(chain: "other", chainFileSHA256: "x", steps: [])
        #expect(throws: BatchError.self) { try BatchRunner(processor: FakeProcessor(), fingerprint: other, outDir: out) }
    }

    @Test("A record that is not schema-valid is replaced by a failed one naming the violation")
    func invalidRecord() throws {
        final class Bad: DocumentProcessor, @unchecked Sendable {
            func process(_ documents: [Document]) throws -> [CanonicalRecord] {
                documents.map { d in
                    var r = CanonicalRecord(document: d)
                    r.entities = [Entity(id: "", type: .person, text: "x", start: -1, end: 0, score: 2, producedBy: "pii")]
                    return r
                }
            }
        }
        let dir = try TempDir(); defer { dir.cleanup() }
        try dir.file("in/a.txt", "Alice")
        let out = dir.url.appendingPathComponent("out")
        let runner = try BatchRunner(processor: Bad(), fingerprint: FakeProcessor().fingerprint(), outDir: out)
        let outcome = try runner.run(input: try BatchInput.open(path: dir.url.appendingPathComponent("in").path, idField: "id", textField: "text", maxDocumentBytes: 1000))
        #expect(outcome.failedTotal == 1)
        let r = try #require(try BatchHarness.records(out).first)
        #expect(r.entities.isEmpty && r.errors.map(\.kind) == ["invalid-record"])
        #expect(try BatchHarness.allLinesValid(out))
    }
}
