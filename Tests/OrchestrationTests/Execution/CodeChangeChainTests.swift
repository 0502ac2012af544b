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

    /// SmolLM2 answers the whole changed file; the adapter's `unified-diff` transform (`file: /content`) diffs it
    /// against the code artifact at the answered path.
    static func answer(path: String = "src/add.py", _ content: String) throws -> String {
        JSONValue.object(["path": .string(path), "content": .string(content)]).serialized()
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
        #expect(user == "Change request: Rename a and b to x and y.\n\nFile src/add.py (python):\n```\n\(Self.code)\n```\n")
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
        #expect(r.errors.first?.message.contains("adapter 'smollm2-codegen', output[0], at /content: the changed file is identical to the original") == true)
        #expect(r.artifacts.map(\.id) == ["input-1"])
    }

    @Test func pathOfNoCodeArtifactFailsTheStep() throws {
        // Without the grammar (the fake runner has none) the model could name another file; the transform refuses it.
        let (r, _) = try Self.run(answer: try Self.answer(path: "src/sub.py", "def sub(a, b):\n    return a - b\n"))
        #expect(r.errors.first?.kind == "invalid-output")
        #expect(r.errors.first?.message.contains("at /path: expected the path of a code artifact of the record, found \"src/sub.py\"") == true)
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
