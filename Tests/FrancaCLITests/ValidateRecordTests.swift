import Canonical
import Foundation
import Testing

/// `franca validate-record` through the built executable: verdict lines, exit codes, JSON output.
@Suite struct ValidateRecordTests {
    static let records = CLIRunner.fixtures.appendingPathComponent("canonical/records")
    static let refs = CLIRunner.fixtures.appendingPathComponent("canonical/refs")

    @Test func validFileExitsZeroWithOneVerdictPerRecord() throws {
        let r = try CLIRunner.run(["validate-record", Self.records.appendingPathComponent("valid.jsonl").path])
        #expect(r.status == 0, "\(r)")
        // Line 2 is empty and gets no verdict; numbering follows the file.
        #expect(r.stdoutLines == ["line 1: ok", "line 3: ok", "2 records: 2 valid, 0 invalid"])
        #expect(r.stderr.isEmpty)
    }

    @Test func invalidFileListsEveryViolationAndExitsOne() throws {
        let r = try CLIRunner.run(["validate-record", Self.records.appendingPathComponent("invalid.jsonl").path])
        #expect(r.status == 1, "\(r)")
        let lines = r.stdoutLines
        #expect(lines.first == "line 1: invalid: /entities/0/end: must be >= 0, found -1 (schema: canonical.schema.json#/$defs/offset/minimum)")
        // The same nine places an independent validator finds (scripts/fixtures/canonical_check_keywords.py).
        let line2 = lines.filter { $0.hasPrefix("line 2: invalid: ") }
        #expect(line2.count == 9)
        #expect(line2.contains("line 2: invalid: /schema: must be \"franca/v1\", found \"franca/v2\" (schema: canonical.schema.json#/properties/schema/const)"))
        #expect(line2.contains("line 2: invalid: /entities/0/extra: property \"extra\" is not allowed (additionalProperties is false) (schema: canonical.schema.json#/$defs/entity/additionalProperties)"))
        #expect(line2.contains("line 2: invalid: /obligations/0: missing required property \"deadline\" (schema: canonical.schema.json#/$defs/obligation/required)"))
        #expect(lines.filter { $0.hasPrefix("line 3: invalid: (root): missing required property") }.count == 6)
        #expect(lines.contains("line 4: invalid JSON: column 47: expected a string key, found '}'"))
        #expect(lines.last == "4 records: 0 valid, 4 invalid")
    }

    @Test func jsonFormatForMachines() throws {
        let r = try CLIRunner.run(["validate-record", Self.records.appendingPathComponent("invalid.jsonl").path, "--format", "json"])
        #expect(r.status == 1)
        let report = try JSONValue.parse(r.stdout)
        #expect(report["records"] == 4)
        #expect(report["valid"] == 0)
        #expect(report["invalid"] == 4)
        #expect(report["results"]?[0]?["violations"]?[0] == [
            "instancePath": "/entities/0/end", "schemaPath": "canonical.schema.json#/$defs/offset/minimum",
            "keyword": "minimum", "message": "must be >= 0, found -1",
        ])
        #expect(report["results"]?[3]?["parseError"]?["column"] == 47)
    }

    @Test func readsStandardInputAndCRLF() throws {
        let valid = try String(contentsOf: Self.records.appendingPathComponent("valid.jsonl"), encoding: .utf8)
            .split(separator: "\n").first.map(String.init) ?? ""
        let r = try CLIRunner.run(["validate-record", "-"], stdin: valid + "\r\n\r\n" + "{}\r\n")
        #expect(r.status == 1, "\(r)")
        #expect(r.stdoutLines.first == "line 1: ok")
        #expect(r.stdoutLines.filter { $0.hasPrefix("line 3: invalid: (root): missing required property") }.count == 8)
    }

    @Test func otherSchemaWithReferences() throws {
        let schema = Self.refs.appendingPathComponent("main.schema.json").path
        let r = try CLIRunner.run(["validate-record", "-", "--schema", schema],
                                  stdin: #"{"span": {"start": 1, "end": 2}}"# + "\n" + #"{"tags": ["toolong"]}"# + "\n")
        #expect(r.status == 1, "\(r)")
        #expect(r.stdoutLines == [
            "line 1: ok",
            "line 2: invalid: /tags/0: must be at most 5 characters long, found 7 (schema: leaf.schema.json#/maxLength)",
            "2 records: 1 valid, 1 invalid",
        ])
    }

    @Test func brokenSchemaIsAUsageErrorListingEveryProblem() throws {
        let schema = Self.refs.appendingPathComponent("bad-keywords.schema.json").path
        let r = try CLIRunner.run(["validate-record", Self.records.appendingPathComponent("valid.jsonl").path, "--schema", schema])
        #expect(r.status == 64, "\(r)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderrLines.count == 9)
        #expect(r.stderrLines.first?.hasSuffix("bad-keywords.schema.json:4:32: #/properties/name/maxLenght: unsupported keyword \"maxLenght\"; this validator refuses keywords it does not implement instead of ignoring them") == true)
        #expect(r.stderrLines.last == "error: the schema has 8 problems; no record was checked")
    }

    @Test func schemaReferenceOutsideItsRootIsRefused() throws {
        let schema = Self.refs.appendingPathComponent("escape.schema.json").path
        let r = try CLIRunner.run(["validate-record", "-", "--schema", schema], stdin: "{}\n")
        #expect(r.status == 64)
        #expect(r.stderr.contains("outside the schema root"))
        let allowed = try CLIRunner.run(["validate-record", "-", "--schema", schema, "--schema-root", CLIRunner.fixtures.path], stdin: "{\"x\": 1}\n")
        #expect(allowed.status == 1, "\(allowed)")
        #expect(allowed.stdoutLines.first == "line 1: invalid: /x: must be string, found integer (schema: secret.schema.json#/type)")
    }

    @Test func missingFileSaysWhich() throws {
        let r = try CLIRunner.run(["validate-record", "no/such/file.jsonl"])
        #expect(r.status == 64)
        #expect(r.stderr == "error: file not found: no/such/file.jsonl\n")
        let s = try CLIRunner.run(["validate-record", "-", "--schema", "missing.schema.json"], stdin: "{}\n")
        #expect(s.status == 64)
        #expect(s.stderr == "error: schema file not found: missing.schema.json\n")
    }

    @Test func missingArgumentAndBadFormatAreUsageErrors() throws {
        let r = try CLIRunner.run(["validate-record"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("Missing expected argument '<file.jsonl>'"))
        let f = try CLIRunner.run(["validate-record", "x.jsonl", "--format", "xml"])
        #expect(f.status == 64)
        #expect(f.stderr.contains("--format"))
    }

    @Test func emptyFileHasNoRecords() throws {
        let r = try CLIRunner.run(["validate-record", "-"], stdin: "\n\n")
        #expect(r.status == 0)
        #expect(r.stdoutLines == ["0 records: 0 valid, 0 invalid"])
    }
}
