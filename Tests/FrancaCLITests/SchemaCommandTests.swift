import Canonical
import Foundation
import Testing

/// `franca schema` through the built executable.
@Suite struct SchemaCommandTests {
    @Test func printsTheCanonicalSchemaFile() throws {
        let r = try CLIRunner.run(["schema"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.isEmpty)
        let file = try String(contentsOf: CLIRunner.repositoryRoot.appendingPathComponent("Schemas/canonical.schema.json"), encoding: .utf8)
        #expect(r.stdout == file)
    }

    @Test func compactIsOneLineWithTheSameContent() throws {
        let r = try CLIRunner.run(["schema", "--compact"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdoutLines.count == 1)
        let printed = try JSONValue.parse(r.stdout)
        #expect(printed["$id"] == "https://franca.dev/schemas/franca/v1/canonical.schema.json")
        #expect(printed == (try JSONValue.parse(CanonicalSchemaText.json)))
    }

    @Test func runsOutsideTheRepository() throws {
        let r = try CLIRunner.run(["schema"], in: FileManager.default.temporaryDirectory)
        #expect(r.status == 0)
        #expect(r.stdout.contains("\"const\": \"franca/v1\""))
    }

    @Test func unknownOptionIsAUsageError() throws {
        let r = try CLIRunner.run(["schema", "--pretty-please"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("Unknown option '--pretty-please'"))
    }
}
