import Foundation
import Testing

/// `franca check` through the built executable: exit codes, the error lines on stderr, the summary on stdout.
@Suite struct CheckCommandTests {
    static let repoRoot = CLIRunner.repositoryRoot
    static let fixtures = CLIRunner.fixtures

    static func run(_ arguments: [String], in directory: URL? = nil) throws -> CLIResult {
        try CLIRunner.run(arguments, in: directory)
    }

    @Test func repositoryIsClean() throws {
        let r = try Self.run(["check", "--root", Self.repoRoot.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        #expect(r.stdout == "checked 3 chains, 5 adapters, 9 schemas: 0 problems\n")
    }

    @Test func brokenProjectPrintsEveryProblemAndExitsOne() throws {
        let r = try Self.run(["check", "--root", Self.fixtures.appendingPathComponent("broken/many-problems").path])
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines == [
            "Adapters/tagger.yaml:2:10: error: version '1.0' is not a semantic version; expected MAJOR.MINOR.PATCH, e.g. 1.0.0",
            "Adapters/tagger.yaml:7:11: error: model.format has unknown value 'onxx'; expected one of: onnx, safetensors, gguf; did you mean 'onnx'?",
            "Adapters/tagger.yaml:13:15: error: model.files.weights.sha256 'nope' is not a SHA-256 digest; expected 64 lowercase hexadecimal digits",
            "Adapters/tagger.yaml:23:15: error: output[0].strategy has unknown value 'firts'; expected one of: simple, first, average, max; did you mean 'first'?",
            "Adapters/tagger.yaml:24:29: error: output[0].labels: the model never emits label 'NAMES'; expected a label of the native output schema (NAME); did you mean 'NAME'?",
        ])
        #expect(r.stdout == "checked 1 chain, 1 adapter, 2 schemas: 5 problems\n")
    }

    @Test func yamlSyntaxErrorHasItsPosition() throws {
        let r = try Self.run(["check", "--root", Self.fixtures.appendingPathComponent("broken/yaml-syntax").path])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("Adapters/tagger.yaml:25:9: error: YAML syntax error:"))
        #expect(r.stdout.hasSuffix(": 1 problem\n"))
    }

    @Test func findsTheProjectFromASubfolder() throws {
        let r = try Self.run(["check"], in: Self.fixtures.appendingPathComponent("projects/minimal/Adapters"))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "checked 1 chain, 1 adapter, 2 schemas: 0 problems\n")
    }

    @Test func missingRootIsAUsageError() throws {
        let r = try Self.run(["check", "--root", Self.fixtures.appendingPathComponent("no-such-project").path])
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("error: --root '") && r.stderr.hasSuffix("' is not a directory\n"))
    }

    @Test func noProjectAboveIsAUsageError() throws {
        let r = try Self.run(["check"], in: URL(fileURLWithPath: "/"))
        #expect(r.status == 64)
        #expect(r.stderr == "error: no project found: no Chains/ or Adapters/ folder in / or above; pass --root DIR\n")
    }
}
