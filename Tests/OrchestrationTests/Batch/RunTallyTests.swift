import Canonical
import Foundation
import Orchestration
import Testing

/// summary.json and report.html gathered while a run commits must be the files recomputed from the ledger.
@Suite("Outputs gathered during a run")
struct RunTallyTests {
    /// Runs like `franca run`, then returns the summary and report it wrote and the ones recomputed from the
    /// ledger for the same outcome.
    static func runTwice(_ processor: FakeProcessor, input: String, out: URL, options: BatchRunner.Options = .init(batchSize: 3))
        throws -> (gathered: [String], recomputed: [String], runner: BatchRunner, summary: RunSummary) {
        let runner = try BatchRunner(processor: processor, fingerprint: processor.fingerprint(), outDir: out, options: options)
        let source = try BatchInput.open(path: input, idField: "id", textField: "text", maxDocumentBytes: options.maxDocumentBytes)
        let outcome = try runner.run(input: source)
        func files() throws -> [String] {
            try [RunSummary.fileName, RunReport.fileName].map { try String(contentsOf: out.appendingPathComponent($0), encoding: .utf8) }
        }
        let summary = try RunOutputs.write(outcome: outcome, runner: runner, input: input)
        let gathered = try files()
        try RunOutputs.write(outcome: outcome, runner: runner, input: input, recompute: true)
        return (gathered, try files(), runner, summary)
    }

    static func makeInput(_ dir: TempDir, count: Int) throws -> String {
        for i in 0..<count {
            // Done documents with entities, obligations, failures (FAILME) and rejected ones (empty) in between.
            let text = i % 7 == 3 ? "" : i % 5 == 2 ? "Bob FAILME \(i)" : i % 3 == 0 ? "Alice & Bob <\(i)> obligation" : "Alice \(i)"
            try dir.file("in/d\(String(format: "%03d", i)).txt", text)
        }
        return dir.url.appendingPathComponent("in").path
    }

    @Test("One run: the gathered summary and report are byte for byte the recomputed ones")
    func oneRun() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let input = try Self.makeInput(dir, count: 23)
        let r = try Self.runTwice(FakeProcessor(), input: input, out: dir.url.appendingPathComponent("out"))
        #expect(r.runner.hasGatheredOutputs)
        #expect(r.gathered == r.recomputed)
        // 3 empty documents rejected, 4 FAILME ones failed: 16 done, 7 failed.
        #expect(r.summary.total == 23 && r.summary.done == 16 && r.summary.failed == 7)
        #expect(r.summary.failuresByKind == ["empty": 3, "invalid-output": 4])
    }

    @Test("Two batches in flight: commit order is the ledger's order")
    func concurrent() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let input = try Self.makeInput(dir, count: 40)
        let r = try Self.runTwice(FakeProcessor(), input: input, out: dir.url.appendingPathComponent("out"),
                                  options: .init(batchSize: 2, concurrency: 2))
        #expect(r.runner.hasGatheredOutputs)
        #expect(r.gathered == r.recomputed)
        #expect(r.summary.total == 40)
    }

    @Test("A resumed run covers the documents an earlier process finished")
    func resumed() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let input = try Self.makeInput(dir, count: 20)
        let out = dir.url.appendingPathComponent("out")
        let broken = FakeProcessor()
        broken.throwOnCall = 3
        let first = try Self.runTwice(broken, input: input, out: out)
        #expect(first.gathered == first.recomputed && first.summary.total == 6 && first.summary.exitCode == 1)
        let second = try Self.runTwice(FakeProcessor(), input: input, out: out)
        #expect(second.runner.hasGatheredOutputs)
        #expect(second.gathered == second.recomputed)
        #expect(second.summary.total == 20 && second.summary.skipped == 6 && second.summary.processed == 14)
        // Every document is in the report, the earlier process's first.
        let report = second.gathered[1]
        #expect(report.components(separatedBy: "<article").count == 21)
        let first3 = try #require(report.range(of: "id=\"doc-d000\"")), later = try #require(report.range(of: "id=\"doc-d019\""))
        #expect(first3.lowerBound < later.lowerBound)
    }

    @Test("A changed document replaces its record: the outputs are read from the ledger, not counted twice")
    func replaced() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let input = try Self.makeInput(dir, count: 5)
        let out = dir.url.appendingPathComponent("out")
        _ = try Self.runTwice(FakeProcessor(), input: input, out: out)
        try dir.file("in/d001.txt", "Alice and Bob and Alice")
        let r = try Self.runTwice(FakeProcessor(), input: input, out: out)
        #expect(!r.runner.hasGatheredOutputs)
        #expect(r.gathered == r.recomputed)
        #expect(r.summary.total == 5 && r.summary.processed == 1)
        // d000 (2 entities), d001 now 3, d002 (FAILME: Bob), d004 (Alice); d003 is empty.
        #expect(r.summary.entities == 2 + 3 + 1 + 1)
    }
}
