import Canonical
import Foundation
import Testing

@Suite struct CanonicalSchemaTests {
    static let schemaFile = Fixtures.repositoryRoot.appendingPathComponent("Schemas/canonical.schema.json")

    static func lines(_ name: String) throws -> [String] {
        try String(contentsOf: Fixtures.url("records/\(name)"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func embeddedTextMatchesTheSchemaFile() throws {
        let file = try String(contentsOf: Self.schemaFile, encoding: .utf8)
        let expected = file.hasSuffix("\n") ? String(file.dropLast()) : file
        #expect(CanonicalSchemaText.json == expected, "run scripts/embed-canonical-schema.sh after editing Schemas/canonical.schema.json")
    }

    @Test func schemaFileLoadsAndCarriesTheVersion() throws {
        let schema = try JSONSchema.load(contentsOf: Self.schemaFile, root: Self.schemaFile.deletingLastPathComponent())
        #expect(schema.root["$id"]?.stringValue == JSONSchema.canonicalID)
        #expect(JSONSchema.canonicalID.contains(CanonicalVersion.current))
        #expect(schema.root["properties"]?["schema"]?["const"] == .string(CanonicalVersion.current))
        // The Swift enum and the schema enum list the same labels.
        let labels = try #require(schema.root.value(atPointer: "/$defs/entityType/enum")?.arrayValue)
        #expect(labels.compactMap(\.stringValue) == EntityType.allCases.map(\.rawValue))
    }

    @Test func validFixtureRecordsValidateAndDecode() throws {
        let schema = try JSONSchema.canonical()
        for line in try Self.lines("valid.jsonl") where !line.isEmpty {
            let json = try JSONValue.parse(line)
            #expect(schema.validate(json) == [])
            let record = try CanonicalRecord(json: json)
            // Decoding then encoding gives back the same JSON (numbers compare by value: `1` reads back as `1.0`),
            // with keys in the same order.
            let again = try record.toJSONValue()
            #expect(again == json)
            #expect(again.objectValue?.keys == json.objectValue?.keys)
            #expect(again["document"]?.objectValue?.keys == json["document"]?.objectValue?.keys)
            #expect(again["entities"]?[0]?.objectValue?.keys == json["entities"]?[0]?.objectValue?.keys)
        }
    }

    /// Instance paths per invalid line, as python-jsonschema reports them (scripts/fixtures/canonical_check_keywords.py).
    @Test func invalidFixtureRecordsFailWhereAnIndependentValidatorSays() throws {
        let schema = try JSONSchema.canonical()
        let lines = try Self.lines("invalid.jsonl")
        func paths(_ i: Int) throws -> [String] { schema.validate(try JSONValue.parse(lines[i])).map(\.instancePath).sorted() }
        #expect(try paths(0) == ["/entities/0/end"])
        #expect(try paths(1) == ["/entities/0/extra", "/entities/0/score", "/entities/0/type", "/obligations/0",
                                 "/obligations/0/modality", "/provenance/0", "/provenance/0/startedAt", "/provenance/0/tokensIn", "/schema"])
        #expect(try paths(2) == ["", "", "", "", "", ""])
        #expect(throws: JSONParseError.self) { try JSONValue.parse(lines[3]) }
        let end = try #require(schema.validate(try JSONValue.parse(lines[0])).first)
        #expect(end.schemaPath == "canonical.schema.json#/$defs/offset/minimum")
        #expect(end.message == "must be >= 0, found -1")
    }

    static func sampleRecord() -> CanonicalRecord {
        let text = "Pay Jürgen 💶 5 by Friday."
        return CanonicalRecord(
            document: Document(id: "d1", text: text, source: "mem://d1", language: "en", metadata: ["z": 1, "a": [true, nil]]),
            entities: [
                Entity(id: "e1", type: .person, text: "Jürgen", start: 4, end: 10, score: 0.875, producedBy: "pii"),
                Entity(id: "e2", type: .address, text: "x", start: 0, end: 1, score: 1.0,
                       attributes: EntityAttributes(parts: [EntityPart(type: "street", start: 0, end: 1, text: "x")], values: ["note": "n"]),
                       producedBy: "pii"),
            ],
            obligations: [Obligation(id: "o1", text: text, modality: .mustNot, party: "payer", action: "pay", deadline: nil,
                                     status: .unknown, evidence: [Span(start: 0, end: 25, text: text)], producedBy: "obl")],
            artifacts: [Artifact(id: "a1", kind: .redactedText, content: "Pay [PERSON] …", producedBy: "redact"),
                        Artifact(id: "a2", kind: .code, language: "swift", path: "x.swift", content: "let x = 1", producedBy: "gen")],
            findings: [Finding(id: "f1", rule: "spans-match-text", severity: .warning, message: "m", evidence: [], producedBy: "evidence")],
            provenance: [Provenance(step: "pii", adapter: .init(id: "rampart-pii", version: "1.0.0"),
                                    model: .init(id: "rampart", sha256: String(repeating: "ab", count: 32)),
                                    parameters: ["threshold": 0.5, "window": 128], startedAt: "2025-06-01T08:00:00.5Z",
                                    durationMs: 3, tokensIn: 12, tokensOut: 0),
                         Provenance(step: "evidence", check: "spans-match-text", startedAt: "2025-06-01T08:00:01Z", durationMs: 0.25)],
            errors: [StepError(step: "obl", kind: "timeout", message: "took more than 30s")])
    }

    @Test func recordRoundTripsThroughJSONAndTheSchema() throws {
        let record = Self.sampleRecord()
        let json = try record.toJSONValue()
        #expect(try JSONSchema.canonical().validate(json) == [])
        #expect(json.objectValue?.keys == ["schema", "document", "entities", "obligations", "artifacts", "findings", "provenance", "errors"])
        #expect(json["obligations"]?[0]?["deadline"] == .null)  // present as null, not omitted
        #expect(json["document"]?["metadata"]?.objectValue?.keys == ["z", "a"])
        #expect(json["entities"]?[1]?["attributes"] == ["parts": [["type": "street", "start": 0, "end": 1, "text": "x"]], "note": "n"])
        #expect(json["provenance"]?[0]?["durationMs"] == .number(3))
        // Through text and back.
        let reparsed = try JSONValue.parse(try record.jsonLine())
        #expect(try CanonicalRecord(json: reparsed) == record)
    }

    @Test func decodingErrorsSayWhere() throws {
        var json = try Self.sampleRecord().toJSONValue()
        guard case .object(var o) = json, case .array(var entities) = o["entities"], case .object(var e) = entities[0] else {
            Issue.record("unexpected shape"); return
        }
        e["type"] = "NAME"
        entities[0] = .object(e)
        o["entities"] = .array(entities)
        json = .object(o)
        #expect(throws: CanonicalDecodingError.self) { try CanonicalRecord(json: json) }
        do { _ = try CanonicalRecord(json: json) } catch {
            #expect(error.pointer == "/entities/0/type")
        }
        do { _ = try CanonicalRecord(json: ["schema": "franca/v1", "document": ["id": 1]]) } catch {
            #expect(error.pointer == "/document/id")
            #expect(error.message == "expected a string, found integer")
        }
    }
}
