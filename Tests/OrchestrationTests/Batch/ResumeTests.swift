import Canonical
import Foundation
import Orchestration
import Testing

@Suite("Resume after a crash")
struct ResumeTests {
    static func makeInput(_ dir: TempDir, count: Int) throws -> String {
        for i in 0..<count { try dir.file("in/d\(String(format: "%03d", i)).txt", "Alice \(i)") }
        return dir.url.appendingPathComponent("in").path
    }

    @Test("A processor that stops mid-run: finished batches are kept, the rerun does only the rest")
    func fatalThenResume() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let input = try Self.makeInput(dir, count: 20)
        let out = dir.url.appendingPathComponent("out")
        let broken = FakeProcessor()
        broken.throwOnCall = 3
        let (outcome, summary) = try BatchHarness.run(broken, input: input, out: out, options: .init(batchSize: 4))
        #expect(outcome.fatal?.contains("failed to load") == true)
        #expect(summary.exitCode == 1 && summary.total == 8)
        #expect(try BatchHarness.ids(out).count == 8)
        let p = FakeProcessor()
        let (o2, s2) = try BatchHarness.run(p, input: input, out: out, options: .init(batchSize: 4))
        // The batch in flight when it stopped was noted pending; it runs again with the untouched rest.
        #expect(o2.rerun.lines == ["left unfinished by an interrupted run: 4 documents to re-run"])
        #expect(p.seen.count == 12 && o2.progress.skipped == 8)
        let ids = try BatchHarness.ids(out)
        #expect(ids.count == 20 && Set(ids).count == 20 && s2.exitCode == 0)
    }

    @Test("A processor breaking its contract mid-run: the writer stops the run there, earlier batches are kept")
    func contractBreakStopsAtThatBatch() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let input = try Self.makeInput(dir, count: 20)
        let out = dir.url.appendingPathComponent("out")
        let broken = FakeProcessor()
        broken.misnameOnCall = 3
        let (outcome, summary) = try BatchHarness.run(broken, input: input, out: out, options: .init(batchSize: 4))
        #expect(outcome.fatal?.contains("returned a record for 'd008-other' where 'd008' was expected") == true)
        // Batches 1-2 were written before batch 3's write failed; batch 4, run meanwhile, was not written.
        #expect(try BatchHarness.ids(out) == (0..<8).map { String(format: "d%03d", $0) })
        #expect(summary.exitCode == 1 && summary.total == 8)
        #expect(try BatchHarness.allLinesValid(out))
        let (o2, s2) = try BatchHarness.run(FakeProcessor(), input: input, out: out, options: .init(batchSize: 4))
        #expect(o2.progress.skipped == 8)
        #expect(Set(try BatchHarness.ids(out)).count == 20 && s2.exitCode == 0)
    }

    @Test("A torn last line and a line written without its ledger commit are gone after the same command runs again")
    func tornAndUncommittedLines() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let input = try Self.makeInput(dir, count: 10)
        let out = dir.url.appendingPathComponent("out")
        _ = try BatchHarness.run(FakeProcessor(), input: input, out: out)
        let file = out.appendingPathComponent("records.jsonl")
        let original = try Data(contentsOf: file)
        // What a kill could leave: a duplicate of a committed line, then half a line.
        var damaged = original
        let lines = original.split(separator: 0x0A)
        damaged += lines[3] + Data([0x0A])
        damaged += lines[4].prefix(lines[4].count / 2)
        try damaged.write(to: file)
        let p = FakeProcessor()
        _ = try BatchHarness.run(p, input: input, out: out)
        #expect(p.seen.isEmpty)
        #expect(try Data(contentsOf: file) == original)
    }

    @Test("Lines missing from records.jsonl (killed between commit and append) come back from the ledger")
    func missingLines() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let input = try Self.makeInput(dir, count: 10)
        let out = dir.url.appendingPathComponent("out")
        _ = try BatchHarness.run(FakeProcessor(), input: input, out: out)
        let file = out.appendingPathComponent("records.jsonl")
        let original = try Data(contentsOf: file)
        try Data(original.split(separator: 0x0A).prefix(6).joined(separator: [0x0A])).write(to: file)
        _ = try BatchHarness.run(FakeProcessor(), input: input, out: out)
        #expect(try Data(contentsOf: file) == original)
    }

    @Test("Ledger rows: state, error kind and message per document")
    func ledgerRows() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        try dir.file("in/a.txt", "Alice")
        try dir.file("in/b.txt", "FAILME")
        try dir.file("in/c.txt", "")
        let out = dir.url.appendingPathComponent("out")
        _ = try BatchHarness.run(FakeProcessor(), input: dir.url.appendingPathComponent("in").path, out: out)
        let ledger = try Ledger(url: out.appendingPathComponent("ledger.sqlite"))
        let entries = try ledger.entries()
        #expect(entries["a"]?.state == .done && entries["a"]?.errorKind == nil)
        #expect(entries["b"]?.state == .failed && entries["b"]?.errorKind == "invalid-output" && entries["b"]?.errorMessage == "the fake model said no")
        #expect(entries["c"]?.state == .failed && entries["c"]?.errorKind == "empty" && entries["c"]?.chainFileHash == "")
        #expect(entries["a"]?.fingerprint == FakeProcessor().fingerprint().hash)
        #expect(entries["a"]?.stepHashes == ["pii": FakeProcessor().fingerprint().step("pii")?.hash ?? "?"])
    }
}
