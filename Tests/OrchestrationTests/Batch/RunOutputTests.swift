import Canonical
import Foundation
import Orchestration
import Testing

@Suite("summary.json, report.html and run diffs")
struct RunOutputTests {
    @Test("summary.json: counts, failures by kind, per-step timings and tokens summed from provenance")
    func summary() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        try dir.file("in/a.txt", "Alice has an obligation")
        try dir.file("in/b.txt", "Bob")
        try dir.file("in/c.txt", "FAILME")
        try dir.file("in/d.txt", "")
        let out = dir.url.appendingPathComponent("out")
        _ = try BatchHarness.run(FakeProcessor(), input: dir.url.appendingPathComponent("in").path, out: out)
        let json = try JSONValue.parse(Data(contentsOf: out.appendingPathComponent("summary.json")))
        #expect(json["format"] == "franca-run-summary/v1" && json["chain"] == "fake")
        #expect(json["counts"] == ["total": 4, "done": 2, "failed": 2, "processed": 4, "skipped": 0, "duplicates": 0, "rerun": 0])
        #expect(json["failuresByKind"] == ["empty": 1, "invalid-output": 1])
        #expect(json["exitCode"] == 3)
        let steps = try #require(json["steps"]?.arrayValue)
        #expect(steps.count == 2)
        // pii ran on a, b, c (2.5 ms, 10 tokens in each); duties on a only (40 ms, 100 in, 20 out).
        #expect(steps[0]["step"] == "pii" && steps[0]["runs"] == 3 && steps[0]["totalMs"] == 7.5 && steps[0]["meanMs"] == 2.5 && steps[0]["tokensIn"] == 30)
        #expect(steps[1]["step"] == "duties" && steps[1]["runs"] == 1 && steps[1]["tokensOut"] == 20 && steps[1]["adapterVersion"] == "1.0.0")
        #expect(json["fingerprint"]?["hash"] == .string(FakeProcessor().fingerprint().hash))
        #expect(json["outputs"]?["entities"] == 2 && json["outputs"]?["obligations"] == 1)
    }

    @Test("report.html escapes document text, highlights entities, lists failures and obligations")
    func reportEscapes() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        try dir.file("in/x<y>.txt", "<script>alert('Alice')</script> & Bob said \"hi\" obligation")
        try dir.file("in/bad.txt", "FAILME <b>bold</b>")
        let out = dir.url.appendingPathComponent("out")
        _ = try BatchHarness.run(FakeProcessor(), input: dir.url.appendingPathComponent("in").path, out: out)
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>bold"))
        #expect(html.contains("&lt;script&gt;alert(&#39;<mark class=\"t-PERSON\""))
        #expect(html.contains(">Alice<sup>PERSON</sup></mark>&#39;)&lt;/script&gt; &amp; <mark"))
        #expect(html.contains("x&lt;y&gt;"))
        #expect(html.contains("id=\"doc-x.3Cy.3E\""))
        #expect(html.contains("<b>Supplier</b> must deliver"))
        #expect(html.contains("the fake model said no"))
        #expect(html.contains("<svg class=\"chart\""))
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").count == 2)  // only the SVG namespace
        #expect(!html.contains("https://"))
    }

    @Test("report.html shows the first N documents in full and says so")
    func reportCap() throws {
        var report = RunReport(maxDocuments: 2)
        for i in 0..<5 { report.add(CanonicalRecord(document: Document(id: "d\(i)", text: "t", source: "s"))) }
        let html = report.html(summary: RunSummary(chain: "c", fingerprint: FakeProcessor().fingerprint(), input: "in", startedAt: Date(), finishedAt: Date()))
        #expect(html.contains("Showing the first 2 of 5 documents in full"))
        #expect(html.components(separatedBy: "<article").count == 3)
    }

    @Test("diff: entities added, removed and changed, attributed to the step whose adapter differs")
    func diff() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        try dir.file("in/a.txt", "Alice met Bob")
        try dir.file("in/b.txt", "nobody")
        let input = dir.url.appendingPathComponent("in").path
        let runA = dir.url.appendingPathComponent("A"), runB = dir.url.appendingPathComponent("B")
        _ = try BatchHarness.run(FakeProcessor(), input: input, out: runA)
        let p = FakeProcessor()
        p.version = "1.1.0"
        p.names = ["Alice", "met"]
        _ = try BatchHarness.run(p, input: input, out: runB)
        let diff = try RunDiff(runA: runA.path, runB: runB.path)
        #expect(diff.compared == 2 && diff.unchanged == 1)
        #expect(diff.stepChanges.map(\.step) == ["pii"])
        #expect(diff.stepChanges.first?.change == "adapter fake-pii 1.0.0 → 1.1.0")
        let doc = try #require(diff.documents.first)
        #expect(doc.id == "a")
        #expect(doc.changes.map { "\($0.kind) \($0.key)" }.sorted() == ["added PERSON [6,9)", "removed PERSON [10,13)"])
        #expect(doc.changes.allSatisfy { $0.step == "pii" && $0.cause == "adapter fake-pii 1.0.0 → 1.1.0" })
        let text = diff.text()
        #expect(text.contains("+ PERSON [6,9) \"met\"  [step pii: adapter fake-pii 1.0.0 → 1.1.0]"))
        #expect(text.contains("2 documents in both runs: 1 changed, 1 unchanged; 0 only in A, 0 only in B"))
        #expect(diff.json()["counts"]?["changed"] == 1)
        let same = try RunDiff(runA: runA.path, runB: runA.path)
        #expect(!same.hasDifferences)
    }
}
