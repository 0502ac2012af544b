import Foundation
import Testing

/// `franca run` through the built executable: exit codes, the printed record, usage errors.
@Suite struct RunCommandTests {
    static let cliProject = CLIRunner.fixtures.appendingPathComponent("chains/cli").path

    static func record(_ result: CLIResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func cleanRunPrintsTheRecordAndExitsZero() throws {
        let result = try CLIRunner.run(["run", "schema-only", "--root", Self.cliProject, "--text", "hello", "--id", "doc-1"])
        #expect(result.status == 0, "\(result)")
        let r = try Self.record(result)
        #expect(r["schema"] as? String == "franca/v1")
        let document = try #require(r["document"] as? [String: Any])
        #expect(document["id"] as? String == "doc-1" && document["text"] as? String == "hello" && document["source"] as? String == "--text")
        let provenance = try #require(r["provenance"] as? [[String: Any]])
        #expect(provenance.map { $0["check"] as? String } == ["schema-valid"])
        #expect(result.stdout.contains("\n  \"document\""))  // pretty printed
    }

    @Test func stepErrorsPrintTheRecordAndExitThree() throws {
        let result = try CLIRunner.run(["run", "Chains/when-error.yaml", "--root", Self.cliProject, "--text", "x"])
        #expect(result.status == 3, "\(result)")
        let errors = try #require(try Self.record(result)["errors"] as? [[String: Any]])
        #expect(errors.map { $0["kind"] as? String } == ["when"])
        #expect((errors.first?["message"] as? String)?.contains("cannot compare string") == true)
        #expect(result.stderr.contains("finished with 1 step error(s): record (when)"))
    }

    @Test func usageErrors() throws {
        let none = try CLIRunner.run(["run", "schema-only", "--root", Self.cliProject])
        #expect(none.status == 64 && none.stderr.contains("exactly one of --text, --file or --record"))
        let unknown = try CLIRunner.run(["run", "schema-onyl", "--root", Self.cliProject, "--text", "x"])
        #expect(unknown.status == 64 && unknown.stderr.contains("Did you mean 'schema-only'?"))
        let badSeed = try CLIRunner.run(["run", "schema-only", "--root", Self.cliProject, "--record", "/nonexistent.json"])
        #expect(badSeed.status == 64 && badSeed.stderr.contains("cannot read --record"))
    }

    @Test func seedRecordCarriesItsArtifacts() throws {
        let request = CLIRunner.repositoryRoot.appendingPathComponent("Examples/code-change/request.json").path
        let result = try CLIRunner.run(["run", "schema-only", "--root", Self.cliProject, "--record", request])
        #expect(result.status == 0, "\(result)")
        let artifacts = try #require(try Self.record(result)["artifacts"] as? [[String: Any]])
        #expect(artifacts.map { $0["path"] as? String } == ["config.py"])  // Examples/code-change/request.json
    }

    @Test(.enabled(if: CLIModels.available("rampart-pii")))
    func piiRedactionOnTheRealModel() throws {
        let result = try CLIRunner.run(["run", "pii-redaction", "--text", "Please contact Maria Gonzalez at maria.gonzalez@example.org"])
        #expect(result.status == 0, "\(result)")
        let r = try Self.record(result)
        let entities = try #require(r["entities"] as? [[String: Any]])
        #expect(entities.map { $0["type"] as? String } == ["PERSON", "EMAIL"])
        let artifacts = try #require(r["artifacts"] as? [[String: Any]])
        #expect(artifacts.map { $0["content"] as? String } == ["Please contact [PERSON] at [EMAIL]"])
    }
}
