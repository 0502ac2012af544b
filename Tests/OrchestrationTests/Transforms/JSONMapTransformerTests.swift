import Canonical
import Orchestration
import Testing

/// The `json` transform: fan-out, broadcast constants, in-place merge vs append, renames, coercions, errors.
@Suite struct JSONMapTransformerTests {
    static func path(_ s: String) -> CanonicalPath { (try? CanonicalPath.parse(s).get()) ?? CanonicalPath(segments: []) }
    static func pointer(_ s: String) -> NativePointer { NativePointer(s)! }  // literals of this file

    static func map(_ from: String, _ to: String, coerce: FieldMapping.Coercion? = nil,
                    values: [(from: String, to: String)] = []) -> FieldMapping {
        FieldMapping(from: .native(pointer(from)), to: .canonical(path(to)), coerce: coerce, values: values)
    }

    static let text = "Deliver goods. Pay soon."
    static func record(obligations: [JSONValue] = [], findings: [JSONValue] = []) -> JSONValue {
        ["document": ["text": .string(text)], "obligations": .array(obligations), "findings": .array(findings)]
    }

    static let native: JSONValue = ["verdicts": [
        ["clause": "Deliver goods.", "verdict": "met", "evidence": ["start": 0, "end": 14], "similarity": "0.91"],
        ["clause": "Pay soon.", "verdict": "unclear", "evidence": ["start": 15, "end": 24], "similarity": 0.45],
    ]]

    func apply(_ maps: [FieldMapping], to record: JSONValue, inPlace: Set<String> = []) throws -> JSONValue {
        var r = record
        try JSONMapTransformer.apply(JSONMapTransform(map: maps), index: 2, native: Self.native, to: &r,
                                     context: CanonicalWriteContext(adapter: "checker", step: "check", inPlace: inPlace))
        return r
    }

    @Test func fanOutMergesIntoExistingElementsByIndex() throws {
        let existing: [JSONValue] = [["id": "obl-1", "text": "Deliver goods.", "status": "unknown", "evidence": [], "producedBy": "list"],
                                     ["id": "obl-7", "text": "Pay soon.", "status": "unknown", "evidence": [], "producedBy": "list"]]
        let r = try apply([
            Self.map("/verdicts/*/verdict", "obligations[].status", values: [("unclear", "unknown")]),
            Self.map("/verdicts/*/evidence/start", "obligations[].evidence[].start"),
            Self.map("/verdicts/*/evidence/end", "obligations[].evidence[].end"),
        ], to: Self.record(obligations: existing), inPlace: ["obligations"])
        #expect(r["obligations"] == [
            ["id": "obl-1", "text": "Deliver goods.", "status": "met", "evidence": [["start": 0, "end": 14, "text": "Deliver goods."]], "producedBy": "list"],
            ["id": "obl-7", "text": "Pay soon.", "status": "unknown", "evidence": [["start": 15, "end": 24, "text": "Pay soon."]], "producedBy": "list"],
        ])
    }

    @Test func arraysTheInputDidNotReadAreAppendedWithIdsAndDefaults() throws {
        let earlier: JSONValue = ["id": "fnd-3", "rule": "x", "severity": "info", "message": "m", "evidence": [], "producedBy": "a"]
        let r = try apply([
            FieldMapping(from: .constant("obligation-compliance"), to: .canonical(Self.path("findings[].rule"))),
            Self.map("/verdicts/*/verdict", "findings[].severity", values: [("met", "info"), ("unclear", "warning"), ("unmet", "error")]),
            Self.map("/verdicts/*/clause", "findings[].message"),
        ], to: Self.record(findings: [earlier]))
        #expect(r["findings"] == [
            earlier,
            ["id": "fnd-4", "rule": "obligation-compliance", "severity": "info", "message": "Deliver goods.", "evidence": [], "producedBy": "check"],
            ["id": "fnd-5", "rule": "obligation-compliance", "severity": "warning", "message": "Pay soon.", "evidence": [], "producedBy": "check"],
        ])
    }

    @Test func newObligationsGetDefaults() throws {
        let r = try apply([Self.map("/verdicts/*/clause", "obligations[].text")], to: Self.record())
        #expect(r["obligations"]?[1] == ["id": "obl-2", "text": "Pay soon.", "deadline": nil, "status": "unknown", "evidence": [], "producedBy": "check"])
    }

    @Test func constantAloneWritesOneElement() throws {
        let r = try apply([FieldMapping(from: .constant("note"), to: .canonical(Self.path("findings[].rule")))], to: Self.record())
        #expect(r["findings"]?.arrayValue?.count == 1)
        #expect(r["findings"]?[0]?["rule"] == "note")
    }

    @Test func coercionsAreDeclared() throws {
        let r = try apply([Self.map("/verdicts/*/similarity", "document.metadata.scores[]", coerce: .number)], to: Self.record())
        #expect(r["document"]?["metadata"]?["scores"] == [0.91, 0.45])
        let s = try apply([Self.map("/verdicts/*/evidence/start", "document.metadata.starts[]", coerce: .string)], to: Self.record())
        #expect(s["document"]?["metadata"]?["starts"] == ["0", "15"])
        // Without coerce, values pass as they are.
        let raw = try apply([Self.map("/verdicts/*/similarity", "document.metadata.scores[]")], to: Self.record())
        #expect(raw["document"]?["metadata"]?["scores"] == ["0.91", 0.45])
    }

    @Test func failedCoercionNamesAdapterTransformAndNativePath() throws {
        #expect(throws: TransformError(adapter: "checker", transform: 2, path: "/verdicts/0/clause",
                                       kind: .coercion(expected: "a number", found: "string \"Deliver goods.\""))) {
            try apply([Self.map("/verdicts/*/clause", "document.metadata.n[]", coerce: .number)], to: Self.record())
        }
        #expect(throws: TransformError(adapter: "checker", transform: 2, path: "/verdicts/0/similarity",
                                       kind: .coercion(expected: "an integer", found: "string \"0.91\""))) {
            try apply([Self.map("/verdicts/*/similarity", "document.metadata.n[]", coerce: .integer)], to: Self.record())
        }
        let e = TransformError(adapter: "checker", transform: 2, path: "/verdicts/1/x", kind: .missingSource)
        #expect(e.description == "adapter 'checker', output[2], at /verdicts/1/x: no value in the native output")
    }

    @Test func conversionTable() throws {
        typealias C = ValueConversion
        #expect(try C.convert("42", renames: [], coerce: .integer).get() == 42)
        #expect(try C.convert(3.0, renames: [], coerce: .integer).get() == 3)
        #expect(throws: ValueConversion.Failure.self) { try C.convert(3.5, renames: [], coerce: .integer).get() }
        #expect(try C.convert(true, renames: [], coerce: .string).get() == "true")
        #expect(try C.convert("false", renames: [], coerce: .boolean).get() == false)
        #expect(throws: ValueConversion.Failure.self) { try C.convert("yes", renames: [], coerce: .boolean).get() }
        #expect(try C.convert(1, renames: [("1", "one")], coerce: nil).get() == "one")
        #expect(try C.convert("unclear", renames: [("unclear", "unknown")], coerce: .string).get() == "unknown")
    }
}
