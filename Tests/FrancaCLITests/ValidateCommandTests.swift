import Foundation
import Testing

/// `franca validate` through the built executable: the drill's exit codes and text, the JSON report for CI,
/// usage and IO errors (exit 2), `--against-git` on a scratch repository, and `--live`.
@Suite struct ValidateCommandTests {
    static let drill = CLIRunner.fixtures.appendingPathComponent("validate/drill")
    static let v2Input = drill.appendingPathComponent("Schemas/models/minilm-compliance.input.schema.json").path
    static let v2Output = drill.appendingPathComponent("Schemas/models/minilm-compliance.output.schema.json").path

    static func json(_ result: CLIResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result)")
    }

    @Test func drillBreaksAndNamesTheChain() throws {
        let result = try CLIRunner.run(["validate", "minilm-compliance", "--native-input", Self.v2Input, "--native-output", Self.v2Output])
        #expect(result.status == 1, "\(result)")
        let out = result.stdout
        #expect(out.contains("minilm-compliance 1.0.0: BREAKING"))
        #expect(out.contains("BREAK output enum-extended /verdicts/*/verdict: enum gains 'partial'"))
        #expect(out.contains("BREAK input property-renamed /obligations/*/duty -> /obligations/*/requirement"))
        #expect(out.contains("BREAK input type-changed /obligations/*/due: type changed from string to object"))
        #expect(out.contains("contract-compliance (step compliance): BREAKING"))
        #expect(out.contains("verdict: BREAKING (1 of 1 adapter)"))
    }

    @Test func fixedAdapterPasses() throws {
        let result = try CLIRunner.run(["validate", "--root", Self.drill.path, "--against", CLIRunner.repositoryRoot.path])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("minilm-compliance 2.0.0: compatible"))
        #expect(result.stdout.contains("ok    input property-renamed /obligations/*/duty -> /obligations/*/requirement"))
        #expect(result.stdout.contains("pass one-partial"))
        #expect(result.stdout.contains("compliance-check: compatible"))
    }

    @Test func jsonReportForCI() throws {
        let result = try CLIRunner.run(["validate", "minilm-compliance", "--native-input", Self.v2Input,
                                        "--native-output", Self.v2Output, "--format", "json"])
        #expect(result.status == 1, "\(result)")
        let report = try Self.json(result)
        #expect(report["format"] as? String == "franca-validate/v1")
        #expect(report["verdict"] as? String == "breaking")
        let adapters = try #require(report["adapters"] as? [[String: Any]])
        let adapter = try #require(adapters.first)
        #expect(adapter["adapter"] as? String == "minilm-compliance")
        #expect(adapter["version"] as? String == "1.0.0")
        #expect(adapter["verdict"] as? String == "breaking")
        let changes = try #require(adapter["changes"] as? [[String: Any]])
        #expect(changes.map { $0["kind"] as? String } == ["enum-extended", "property-renamed", "type-changed"])
        #expect(changes.map { $0["edge"] as? String } == ["output", "input", "input"])
        #expect(changes.map { $0["verdict"] as? String } == ["breaking", "breaking", "breaking"])
        #expect(changes.map { $0["compatibility"] as? String } == ["backward", "breaking", "breaking"])
        #expect(changes[1]["renamedTo"] as? String == "/obligations/*/requirement")
        #expect(adapter["live"] is NSNull)
        let examples = try #require(adapter["examples"] as? [[String: Any]])
        #expect(examples.map { $0["status"] as? String } == ["pass"])
        let chains = try #require(report["chains"] as? [[String: Any]])
        #expect(chains.map { $0["chain"] as? String } == ["contract-compliance"])
        #expect(chains.first?["breakingAdapters"] as? [String] == ["minilm-compliance"])
    }

    @Test func wholeRepositoryIsCompatible() throws {
        let result = try CLIRunner.run(["validate", "--format", "json"])
        #expect(result.status == 0, "\(result)")
        let report = try Self.json(result)
        let adapters = try #require(report["adapters"] as? [[String: Any]])
        #expect(adapters.map { $0["adapter"] as? String } == ["gemma3-obligations", "minilm-compliance", "rampart-pii",
                                                              "smollm2-codegen", "smollm2-obligations"])
    }

    @Test func usageAndIOErrorsExitTwo() throws {
        let unknown = try CLIRunner.run(["validate", "minilm-complaince"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown adapter 'minilm-complaince'. Did you mean 'minilm-compliance'?"))

        let ambiguous = try CLIRunner.run(["validate", "--native-output", Self.v2Output])
        #expect(ambiguous.status == 2)
        #expect(ambiguous.stderr.contains("--native-output needs exactly one ADAPTER argument"))

        let missing = try CLIRunner.run(["validate", "minilm-compliance", "--native-output", "nope.schema.json"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("schema 'nope.schema.json' cannot be used: no such file"))

        let noRoot = try CLIRunner.run(["validate", "--root", "/nonexistent-franca-root"])
        #expect(noRoot.status == 2)
    }

    // MARK: --against-git

    /// A scratch git repository holding the v1 compliance adapter and schemas, committed.
    static func scratchRepository() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("franca-validate-git-\(UUID().uuidString)")
        let fm = FileManager.default
        for folder in ["Adapters", "Chains", "Schemas/models"] {
            try fm.createDirectory(at: dir.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        let repo = CLIRunner.repositoryRoot
        for file in ["Adapters/minilm-compliance.yaml", "Schemas/models/minilm-compliance.input.schema.json",
                     "Schemas/models/minilm-compliance.output.schema.json"] {
            try fm.copyItem(at: repo.appendingPathComponent(file), to: dir.appendingPathComponent(file))
        }
        try fm.copyItem(at: drill.appendingPathComponent("Chains/compliance-check.yaml"),
                        to: dir.appendingPathComponent("Chains/compliance-check.yaml"))
        try git(["init", "-q"], in: dir)
        try git(["add", "."], in: dir)
        try git(["-c", "user.name=franca", "-c", "user.email=franca@example.org", "commit", "-q", "-m", "v1"], in: dir)
        return dir
    }

    static func git(_ arguments: [String], in dir: URL) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-C", dir.path] + arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "git \(arguments)")
    }

    static func replace(_ file: String, in dir: URL, from source: URL) throws {
        let target = dir.appendingPathComponent(file)
        try FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: target)
    }

    @Test func againstGitRevision() throws {
        let dir = try Self.scratchRepository()
        defer { try? FileManager.default.removeItem(at: dir) }
        // The model moves to v2 in the working tree; the adapter is not updated yet.
        for file in ["Schemas/models/minilm-compliance.input.schema.json", "Schemas/models/minilm-compliance.output.schema.json"] {
            try Self.replace(file, in: dir, from: Self.drill)
        }
        let broken = try CLIRunner.run(["validate", "--root", dir.path, "--against-git", "HEAD", "--format", "json"])
        // The v1 adapter no longer loads against v2 schemas: `franca check` problems, so validation cannot run.
        #expect(broken.status == 2, "\(broken)")
        #expect(broken.stderr.contains("minilm-compliance"))

        // The adapter update: validation against the committed v1 passes and shows the three changes.
        try Self.replace("Adapters/minilm-compliance.yaml", in: dir, from: Self.drill)
        let fixed = try CLIRunner.run(["validate", "--root", dir.path, "--against-git", "HEAD", "--format", "json"])
        #expect(fixed.status == 0, "\(fixed)")
        let adapter = try #require((try Self.json(fixed)["adapters"] as? [[String: Any]])?.first)
        #expect((adapter["baseline"] as? [String: Any])?["source"] as? String == "git HEAD")
        #expect((adapter["baseline"] as? [String: Any])?["version"] as? String == "1.0.0")
        #expect((adapter["changes"] as? [[String: Any]])?.count == 3)

        let unknown = try CLIRunner.run(["validate", "--root", dir.path, "--against-git", "no-such-rev"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown revision 'no-such-rev'"))
    }

    @Test func againstGitOutsideARepository() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("franca-validate-nogit-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.drill, to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try CLIRunner.run(["validate", "--root", dir.path, "--against-git", "HEAD"], in: dir,
                                       environment: ["GIT_CEILING_DIRECTORIES": dir.deletingLastPathComponent().path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("is not inside a git repository"))
    }

    // MARK: --live

    @Test(.enabled(if: CLIModels.available("rampart-pii")))
    func liveRampartConforms() throws {
        let result = try CLIRunner.run(["validate", "--live", "rampart-pii", "--format", "json"])
        #expect(result.status == 0, "\(result)")
        let adapter = try #require((try Self.json(result)["adapters"] as? [[String: Any]])?.first)
        let live = try #require(adapter["live"] as? [String: Any])
        #expect(live["status"] as? String == "passed")
        let samples = try #require(live["samples"] as? [[String: Any]])
        #expect(samples.count >= 2)
        #expect(samples.allSatisfy { $0["conforms"] as? Bool == true && ($0["nativeItems"] as? Int ?? 0) > 0 })
    }

    @Test func liveOnAGenerativeAdapterIsSkippedNotACrash() throws {
        let result = try CLIRunner.run(["validate", "--live", "smollm2-obligations"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("live: skipped: live probe needs the decoder"))
    }
}
