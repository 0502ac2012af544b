import Canonical
import Foundation
import Orchestration
import Testing

/// The code-change chain with a scripted SmolLM2: the changed file becomes a diff artifact and the check proves it
/// applies.
@Suite struct CodeChangeChainTests {
    static let code = "def add(a, b):\n    return a + b\n"

    static func seed() -> CanonicalRecord {
        var r = CanonicalRecord(document: Document(id: "req", text: "Rename a and b to x and y.", source: "req.json"))
        r.artifacts = [Artifact(id: "input-1", kind: .code, language: "python", path: "src/add.py", content: code, producedBy: "request")]
        return r
    }

    static func run(answer: String) throws -> (CanonicalRecord, FakeRunner) {
        let smol = FakeRunner("smollm2")
        smol.generateText = { _ in answer }
        let project = try ChainExecutorTests.project()
        let executor = try ChainExecutor(project: project, chain: try #require(project.chain("code-change")),
                                         runners: FakeRunners([smol]), options: .init(now: ChainExecutorTests.fixedNow))
        return (try #require(try executor.run([seed()]).first), smol)
    }

    /// SmolLM2 answers the whole changed file in a code block, with a sentence around it as it likes to; the
    /// adapter (`answer: code-block`, `unified-diff` with `file: /code`) diffs the block against the record's first
    /// code artifact.
    static func answer(_ content: String) throws -> String {
        "Here is the changed file:\n\n```python\n" + content + (content.hasSuffix("\n") || content.isEmpty ? "" : "\n") + "```\n\nThis renames them."
    }

    /// `diff -u` of the two versions, by hand (headers as git writes them).
    static let good = "--- a/src/add.py\n+++ b/src/add.py\n@@ -1,2 +1,2 @@\n-def add(a, b):\n-    return a + b\n+def add(x, y):\n+    return x + y\n"

    @Test func changedFileBecomesADiffArtifactThatApplies() throws {
        let (r, smol) = try Self.run(answer: try Self.answer("def add(x, y):\n    return x + y\n"))
        #expect(r.errors.isEmpty && r.findings.isEmpty, "\(r.errors) \(r.findings)")
        #expect(r.artifacts.map(\.id) == ["input-1", "art-1"])
        #expect(r.artifacts[1] == Artifact(id: "art-1", kind: .diff, language: "python", path: "src/add.py", content: Self.good, producedBy: "codegen"))
        // The prompt quotes the request and the code artifact.
        let user = FakeRunner.userText(try #require(smol.prompts.first))
        #expect(user == "Rename a and b to x and y.\n\nFile src/add.py:\n```python\n\(Self.code)\n```\n")
    }

    @Test func changedFileWithoutTheFinalNewlineKeepsIt() throws {
        let (r, _) = try Self.run(answer: try Self.answer("def add(x, y):\n    return x + y"))
        #expect(r.errors.isEmpty && r.findings.isEmpty, "\(r.errors) \(r.findings)")
        #expect(r.artifacts.last?.content == Self.good)
    }

    @Test func oneChangedLineKeepsTheOthersAsContext() throws {
        let (r, _) = try Self.run(answer: try Self.answer("def add(a, b):\n    return b + a\n"))
        #expect(r.errors.isEmpty && r.findings.isEmpty, "\(r.errors) \(r.findings)")
        #expect(r.artifacts.last?.content == "--- a/src/add.py\n+++ b/src/add.py\n@@ -1,2 +1,2 @@\n def add(a, b):\n-    return a + b\n+    return b + a\n")
    }

    @Test func unchangedFileFailsTheStep() throws {
        let (r, _) = try Self.run(answer: try Self.answer(Self.code))
        #expect(r.errors.first?.step == "codegen")
        #expect(r.errors.first?.kind == "invalid-output")
        #expect(r.errors.first?.message.contains("adapter 'smollm2-codegen', output[0], at /code: the changed file is identical to the original") == true)
        #expect(r.artifacts.map(\.id) == ["input-1"])
    }

    @Test func answerWithoutACodeBlockFailsTheStep() throws {
        let (r, _) = try Self.run(answer: "The parameters a and b can be renamed to x and y.")
        #expect(r.errors.first?.step == "codegen")
        #expect(r.errors.first?.kind == "invalid-output")
        #expect(r.errors.first?.message.contains("adapter 'smollm2-codegen': the model's answer has no code block (no line opens a ``` fence)") == true)
        #expect(r.artifacts.map(\.id) == ["input-1"])
    }

    @Test func codeBlockCutOffByTheTokenLimitFailsTheStep() throws {
        // Half a file must never become a diff that deletes the other half.
        let (r, _) = try Self.run(answer: "```python\ndef add(x, y):\n")
        #expect(r.errors.first?.kind == "invalid-output")
        #expect(r.errors.first?.message.contains("the code block opened on line 1 is never closed") == true)
        #expect(r.artifacts.map(\.id) == ["input-1"])
    }

    @Test func noCodeArtifactSkipsTheStep() throws {
        let smol = FakeRunner("smollm2")
        let project = try ChainExecutorTests.project()
        let executor = try ChainExecutor(project: project, chain: try #require(project.chain("code-change")), runners: FakeRunners([smol]))
        let r = try #require(try executor.process([Document(id: "d", text: "x", source: "-")]).first)
        #expect(smol.calls.isEmpty)
        #expect(r.errors.isEmpty)
    }
}
