import Canonical
import Foundation
import Testing

/// `CanonicalRecord.toJSONValue()` is written by hand for speed; the records' `Codable` conformances through
/// `JSONValueEncoder` are the truth it must match, text for text (key order included).
@Suite struct CanonicalRecordJSONTests {
    static func encoderText(_ record: CanonicalRecord) throws -> String {
        try JSONValueEncoder().encode(record).serialized()
    }

    /// The JSON of every fixture record: valid.jsonl's and the 5 pinned chain records (their run-dependent
    /// `startedAt` and `durationMs`, left out of the pins, put back).
    static func fixtureJSON() throws -> [JSONValue] {
        var out: [JSONValue] = []
        for line in try CanonicalSchemaTests.lines("valid.jsonl") where !line.isEmpty { out.append(try JSONValue.parse(line)) }
        let chainRecords = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/chains/records")
        for name in try FileManager.default.contentsOfDirectory(atPath: chainRecords.path).sorted() where name.hasSuffix(".json") {
            var json = try JSONValue.parse(Data(contentsOf: chainRecords.appendingPathComponent(name)))
            if case .object(var o) = json, let list = o["provenance"]?.arrayValue {
                o["provenance"] = .array(list.map { p in
                    guard case .object(var e) = p else { return p }
                    if e["startedAt"] == nil { e["startedAt"] = "2025-01-31T12:00:00.000Z" }
                    if e["durationMs"] == nil { e["durationMs"] = 12.5 }
                    return .object(e)
                })
                json = .object(o)
            }
            out.append(json)
        }
        return out
    }

    @Test func fixtureRecordsEncodeAsTheirCodableForm() throws {
        let records = try Self.fixtureJSON().map { try CanonicalRecord(json: $0) }
        #expect(records.count >= 7)  // 2 in valid.jsonl, 5 pinned chain records
        for record in records {
            #expect(try record.toJSONValue().serialized() == Self.encoderText(record), "\(record.document.id)")
        }
    }

    @Test(arguments: [false, true])
    func everyOptionalSetOrUnsetEncodesAsItsCodableForm(set: Bool) throws {
        let record = Self.everyOptional(set: set)
        #expect(try record.toJSONValue().serialized() == Self.encoderText(record))
    }

    /// A record with one of everything, every optional member set or unset.
    static func everyOptional(set: Bool) -> CanonicalRecord {
        let span = Span(start: 0, end: 4, text: "Call")
        let record = CanonicalRecord(
            document: Document(id: "d", text: "Call \"Jane\"\n", source: "s", language: set ? "en" : nil,
                               metadata: set ? ["z": 1, "a": [true, nil]] : [:]),
            entities: [Entity(id: "ent-1", type: .person, text: "Jane", start: 6, end: 10, score: 0.5,
                              attributes: set ? EntityAttributes(parts: [EntityPart(type: "GIVEN_NAME", start: 6, end: 10, text: "Jane")],
                                                                 values: ["note": "x", "parts": "ignored"]) : nil,
                              producedBy: "pii"),
                       Entity(id: "ent-2", type: .email, text: "a", start: 0, end: 1, score: 1,
                              attributes: set ? EntityAttributes(values: ["k": 2.5]) : nil, producedBy: "pii")],
            obligations: [Obligation(id: "obl-1", text: "Call", modality: .mustNot, party: "p", action: "a",
                                     deadline: set ? "Friday" : nil, status: .met, evidence: set ? [span] : [], producedBy: "o")],
            artifacts: [Artifact(id: "art-1", kind: .redactedText, language: set ? "en" : nil, path: set ? "a/b" : nil,
                                 content: "[PERSON]", producedBy: "redact")],
            findings: [Finding(id: "fnd-1", rule: "r", severity: .warning, message: "m", evidence: [span], producedBy: "c")],
            provenance: [Provenance(step: "pii", adapter: set ? .init(id: "rampart-pii", version: "1.0.0") : nil,
                                    check: set ? nil : "spans-match-text", model: set ? .init(id: "m", sha256: "00") : nil,
                                    parameters: set ? ["batch": 16, "window": ["maxTokens": 510]] : [:],
                                    startedAt: "2025-01-31T12:00:00.000Z", durationMs: 1.0, tokensIn: 3, tokensOut: 0)],
            errors: [StepError(step: "x", kind: "timeout", message: "late")])
        return record
    }
}
