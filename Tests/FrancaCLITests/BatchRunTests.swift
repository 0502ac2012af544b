import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `franca run CHAIN --input --out` through the built executable: inputs, bad documents, exit codes, progress
/// events, and kill -9 at random moments followed by the same command.
@Suite("franca run --input/--out (batch)", .serialized)
struct BatchRunTests {
    static let project = CLIRunner.fixtures.appendingPathComponent("batch/checks").path

    struct Temp {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("franca-cli-batch-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        func write(_ relative: String, _ data: Data) throws {
            let u = url.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: u)
        }
        func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }
        func cleanup() { try? FileManager.default.removeItem(at: url) }
    }

    /// records.jsonl as JSON objects; nil entries for lines that are not JSON.
    static func records(_ out: String) throws -> [[String: Any]?] {
        let text = try String(contentsOfFile: out + "/records.jsonl", encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    static func id(_ r: [String: Any]?) -> String? { (r?["document"] as? [String: Any])?["id"] as? String }

    @Test("A folder of text files: records, summary, report, JSON progress events on a non-terminal stderr")
    func directory() throws {
        let t = try Temp(); defer { t.cleanup() }
        try t.write("in/b.txt", Data("Second.".utf8))
        try t.write("in/a.md", Data("First.".utf8))
        let result = try CLIRunner.run(["run", "checks-only", "--root", Self.project, "--input", t.path("in"), "--out", t.path("out")])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.isEmpty)
        let records = try Self.records(t.path("out"))
        #expect(records.map(Self.id) == ["a", "b"])
        let events = result.stderrLines.filter { $0.hasPrefix("{") }
        let last = try #require(events.last.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        #expect(last["event"] as? String == "finished" && last["processed"] as? Int == 2 && last["total"] as? Int == 2)
        #expect(result.stderr.contains("2 documents in \(t.path("out"))/records.jsonl: 2 done, 0 failed"))
        #expect(FileManager.default.fileExists(atPath: t.path("out/report.html")))
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: t.path("out/summary.json")))) as? [String: Any])
        #expect((summary["counts"] as? [String: Any])?["done"] as? Int == 2)
        #expect(((summary["steps"] as? [[String: Any]])?.map { $0["step"] as? String }) == ["spans", "redact", "record"])
        // --quiet: nothing on stderr; the same command again skips both documents.
        let again = try CLIRunner.run(["run", "checks-only", "--root", Self.project, "--input", t.path("in"), "--out", t.path("out"), "--quiet"])
        #expect(again.status == 0 && again.stderr.isEmpty, "\(again)")
        #expect(try Self.records(t.path("out")).count == 2)
    }

    @Test("JSONL from a file with --id/--text, and from stdin with '-'")
    func jsonl() throws {
        let t = try Temp(); defer { t.cleanup() }
        let lines = "{\"key\":\"one\",\"body\":\"Hello\"}\n{\"key\":\"two\",\"body\":\"World\"}\n"
        try t.write("in.jsonl", Data(lines.utf8))
        let file = try CLIRunner.run(["run", "checks-only", "--root", Self.project, "--input", t.path("in.jsonl"), "--out", t.path("o1"),
                                      "--id", "key", "--text", "body"])
        #expect(file.status == 0, "\(file)")
        #expect(try Self.records(t.path("o1")).map(Self.id) == ["one", "two"])
        let stdin = try CLIRunner.run(["run", "checks-only", "--root", Self.project, "--input", "-", "--out", t.path("o2")],
                                      stdin: "{\"id\":\"s1\",\"text\":\"from stdin\"}\n")
        #expect(stdin.status == 0, "\(stdin)")
        let r = try Self.records(t.path("o2"))
        #expect(r.map(Self.id) == ["s1"])
        #expect((r.first??["document"] as? [String: Any])?["source"] as? String == "stdin:1")
    }

    @Test("Bad documents fail alone: every good one is processed, exit code 3, failures named on stderr")
    func badDocuments() throws {
        let t = try Temp(); defer { t.cleanup() }
        try t.write("in/good.txt", Data("Fine text.".utf8))
        try t.write("in/latin1.txt", Data([0x63, 0x61, 0x66, 0xE9]))
        try t.write("in/empty.txt", Data())
        try t.write("in/binary.txt", Data([0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01]))
        try t.write("in/big.txt", Data(repeating: 0x61, count: 5000))
        try t.write("in/good2.txt", Data("Also fine.".utf8))
        let result = try CLIRunner.run(["run", "checks-only", "--root", Self.project, "--input", t.path("in"), "--out", t.path("out"),
                                        "--max-document-bytes", "4096"])
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.contains("failures: binary 1, empty 1, invalid-utf8 1, too-large 1"))
        var kinds: [String: String] = [:]
        for r in try Self.records(t.path("out")) {
            let errors = r?["errors"] as? [[String: Any]] ?? []
            kinds[Self.id(r) ?? "?"] = errors.first?["kind"] as? String ?? "-"
        }
        #expect(kinds == ["good": "-", "good2": "-", "latin1": "invalid-utf8", "empty": "empty", "binary": "binary", "big": "too-large"])
    }

    @Test("Usage errors exit 64")
    func usage() throws {
        let t = try Temp(); defer { t.cleanup() }
        let noOut = try CLIRunner.run(["run", "checks-only", "--root", Self.project, "--input", t.path("x")])
        #expect(noOut.status == 64 && noOut.stderr.contains("needs both --input PATH and --out DIR"), "\(noOut)")
        let missing = try CLIRunner.run(["run", "checks-only", "--root", Self.project, "--input", t.path("nope"), "--out", t.path("o")])
        #expect(missing.status == 64 && missing.stderr.contains("does not exist"), "\(missing)")
        let both = try CLIRunner.run(["run", "checks-only", "--root", Self.project, "--input", "-", "--out", t.path("o"), "--file", "x"])
        #expect(both.status == 64, "\(both)")
    }

    // MARK: kill -9

    /// Lines in a file (0 when it does not exist yet).
    static func lineCount(_ path: String) -> Int {
        guard let data = FileManager.default.contents(atPath: path) else { return 0 }
        return data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    /// Starts `franca ARGS` and SIGKILLs it `extra` seconds after `records` holds at least `lines` lines (the run is
    /// then working: committing batches, appending lines), unless it ended first; true when it was killed.
    /// Progress-based, not time-based, so the kill lands mid-run however loaded the machine is.
    static func runAndKill(_ arguments: [String], records: String, lines: Int, extra: Double) throws -> Bool {
        let process = Process()
        process.executableURL = try CLIRunner.binary()
        process.arguments = arguments
        process.currentDirectoryURL = CLIRunner.repositoryRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        while process.isRunning, lineCount(records) < lines { usleep(2_000) }
        let deadline = Date().addingTimeInterval(extra)
        while process.isRunning, Date() < deadline { usleep(200) }
        let killed = process.isRunning
        if killed { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return killed && process.terminationReason == .uncaughtSignal
    }

    /// Kills a 300-document run at several random moments, then runs the same command to the end: every document
    /// exactly once in records.jsonl, every line valid (checked by `franca validate-record`).
    static func killAndResume(chain: String, root: String?, documents: Int, batchSize: Int, kills: Int, seed: UInt64,
                              words: Range<Int> = 200..<600) throws {
        let t = try Temp(); defer { t.cleanup() }
        var rng = SeededRandom(seed: seed)
        for i in 0..<documents {
            let words = (0..<(words.lowerBound + Int(rng.next() % UInt64(words.count)))).map { _ in ["contract", "Maria Gonzalez", "maria@example.org", "shall", "deliver", "by", "2025-01-31", "the", "supplier"][Int(rng.next() % 9)] }
            try t.write("in/doc\(String(format: "%04d", i)).txt", Data(words.joined(separator: " ").utf8))
        }
        var arguments = ["run", chain, "--input", t.path("in"), "--out", t.path("out"), "--batch-size", String(batchSize)]
        if let root { arguments += ["--root", root] }
        // An uninterrupted run, to compare the records with.
        let baseline = try CLIRunner.run(arguments.map { $0 == t.path("out") ? t.path("baseline") : $0 })
        #expect(baseline.status == 0, "\(baseline)")
        var midRun = 0
        for k in 0..<kills {
            // Each kill lands after a random number of further records (spread over what is left, so every kill
            // leaves work for the next), plus a random 0–40 ms so it also falls inside batches and appends.
            let done = Self.lineCount(t.path("out/records.jsonl"))
            let share = max(1, (documents - done) / (kills - k + 1))
            let target = done + 1 + Int(rng.next() % UInt64(share))
            let extra = Double(rng.next() % 40) / 1000
            if try runAndKill(arguments, records: t.path("out/records.jsonl"), lines: target, extra: extra) { midRun += 1 }
        }
        #expect(midRun >= kills - 1, "only \(midRun) of \(kills) kills landed while the run was working")
        let final = try CLIRunner.run(arguments)
        #expect(final.status == 0, "\(final)")
        let records = try Self.records(t.path("out"))
        #expect(records.allSatisfy { $0 != nil }, "a line of records.jsonl is not JSON")
        let ids = records.compactMap(Self.id)
        #expect(ids.count == documents, "records.jsonl has \(ids.count) lines for \(documents) documents")
        #expect(Set(ids) == Set((0..<documents).map { "doc\(String(format: "%04d", $0))" }))
        let valid = try CLIRunner.run(["validate-record", t.path("out/records.jsonl")])
        #expect(valid.status == 0 && valid.stdoutLines.last == "\(documents) records: \(documents) valid, 0 invalid", "\(valid.stdoutLines.suffix(3))")
        // Same records as the uninterrupted run, apart from timestamps and durations in provenance.
        func stripped(_ dir: String) throws -> [String: String] {
            var out: [String: String] = [:]
            for r in try Self.records(dir) {
                guard var r, let id = Self.id(r) else { continue }
                r["provenance"] = (r["provenance"] as? [[String: Any]])?.map { $0.filter { $0.key != "startedAt" && $0.key != "durationMs" } }
                out[id] = String(decoding: try JSONSerialization.data(withJSONObject: r, options: [.sortedKeys]), as: UTF8.self)
            }
            return out
        }
        #expect(try stripped(t.path("out")) == stripped(t.path("baseline")))
    }

    @Test("kill -9 at random points of a 300-document run, then the same command: each document exactly once, every line valid")
    func killResumeChecksOnly() throws {
        try Self.killAndResume(chain: "checks-only", root: Self.project, documents: 300, batchSize: 1, kills: 6, seed: 42)
    }

    @Test("The same on the real Rampart model (pii-redaction chain)", .enabled(if: CLIModels.available("rampart-pii")))
    func killResumeRampart() throws {
        try Self.killAndResume(chain: "pii-redaction", root: nil, documents: 300, batchSize: 8, kills: 5, seed: 7, words: 10..<40)
    }
}

struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
