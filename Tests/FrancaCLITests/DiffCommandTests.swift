import Foundation
import Testing

/// `franca diff RUN_A RUN_B` through the built executable, on two batch runs of the model-free checks-only chain.
@Suite("franca diff", .serialized)
struct DiffCommandTests {
    @Test("Changes per document and field, attributed to what differs between the runs; exit 1 when different, 0 when not")
    func diffTwoRuns() throws {
        let t = try BatchRunTests.Temp(); defer { t.cleanup() }
        let chainFile = URL(fileURLWithPath: BatchRunTests.project).appendingPathComponent("Chains/checks-only.yaml")
        let chain = try String(contentsOf: chainFile, encoding: .utf8)
        try t.write("proj/Chains/checks-only.yaml", Data(chain.utf8))
        try t.write("in/a.txt", Data("Hello".utf8))
        try t.write("in/b.txt", Data("World".utf8))
        let a = try CLIRunner.run(["run", "checks-only", "--root", t.path("proj"), "--input", t.path("in"), "--out", t.path("A")])
        #expect(a.status == 0, "\(a)")
        try t.write("proj/Chains/checks-only.yaml", Data(chain.replacingOccurrences(of: "No model:", with: "No model at all:").utf8))
        try t.write("in/a.txt", Data("Hello there".utf8))
        let b = try CLIRunner.run(["run", "checks-only", "--root", t.path("proj"), "--input", t.path("in"), "--out", t.path("B")])
        #expect(b.status == 0, "\(b)")

        let diff = try CLIRunner.run(["diff", t.path("A"), t.path("B")])
        #expect(diff.status == 1, "\(diff)")
        let lines = diff.stdoutLines
        #expect(lines.contains("  (chain): chain file checks-only.yaml changed"))
        #expect(lines.contains("a:"))
        #expect(lines.contains("  document.text differs (different input)"))
        #expect(lines.contains { $0.hasPrefix("    ~ redacted-text by redact content: \"Hello\" → \"Hello there\"") && $0.hasSuffix("[step redact: chain file checks-only.yaml changed]") },
                "\(lines)")
        #expect(!lines.contains("b:"))
        #expect(lines.last == "2 documents in both runs: 1 changed, 1 unchanged; 0 only in A, 0 only in B")

        let json = try CLIRunner.run(["diff", t.path("A"), t.path("B"), "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["counts"] as? [String: Any])?["changed"] as? Int == 1)
        let docs = try #require(object["documents"] as? [[String: Any]])
        #expect(docs.map { $0["id"] as? String } == ["a"])
        let artifacts = try #require((docs.first?["fields"] as? [String: Any])?["artifacts"] as? [[String: Any]])
        #expect(artifacts.first?["change"] as? String == "changed" && artifacts.first?["step"] as? String == "redact")

        let same = try CLIRunner.run(["diff", t.path("A"), t.path("A")])
        #expect(same.status == 0 && same.stdoutLines.last == "2 documents in both runs: 0 changed, 2 unchanged; 0 only in A, 0 only in B", "\(same)")
        let missing = try CLIRunner.run(["diff", t.path("A"), t.path("nope")])
        #expect(missing.status == 64 && missing.stderr.contains("not found"), "\(missing)")
    }
}
