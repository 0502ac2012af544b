import Canonical
import Foundation
import Testing

@Suite struct SchemaViolationTests {
    let schema: JSONSchema

    init() throws {
        schema = try JSONSchema(json: try JSONValue.parse("""
        {
          "$defs": {
            "span": {
              "type": "object",
              "properties": {"start": {"type": "integer", "minimum": 0}, "end": {"type": "integer"}},
              "required": ["start", "end"],
              "additionalProperties": false
            }
          },
          "type": "object",
          "properties": {
            "spans": {"type": "array", "items": {"$ref": "#/$defs/span"}},
            "kind": {"enum": ["a", "b"]},
            "n": {"oneOf": [{"type": "integer"}, {"minimum": 2}]}
          },
          "required": ["spans"]
        }
        """), baseURL: URL(fileURLWithPath: "/tmp/x/test.schema.json"), root: nil)
    }

    @Test func reportsEveryViolationWithPaths() throws {
        let v = schema.validate(try JSONValue.parse(#"{"spans": [{"start": -1, "end": 2}, {"start": 0, "extra": true}], "kind": "c"}"#))
        let got = Set(v.map { "\($0.instancePath) \($0.schemaPath) \($0.keyword)" })
        #expect(got == [
            "/spans/0/start test.schema.json#/$defs/span/properties/start/minimum minimum",
            "/spans/1 test.schema.json#/$defs/span/required required",
            "/spans/1/extra test.schema.json#/$defs/span/additionalProperties additionalProperties",
            "/kind test.schema.json#/properties/kind/enum enum",
        ])
        #expect(v.count == 4)
        let required = try #require(v.first { $0.keyword == "required" })
        #expect(required.message == "missing required property \"end\"")
        #expect(v.first { $0.keyword == "minimum" }?.message == "must be >= 0, found -1")
        #expect(v.first { $0.keyword == "enum" }?.message == "must be one of \"a\", \"b\", found \"c\"")
        #expect(v.first { $0.keyword == "additionalProperties" }?.message == "property \"extra\" is not allowed (additionalProperties is false)")
    }

    @Test func rootViolationHasEmptyInstancePath() {
        let v = schema.validate([:])
        #expect(v.count == 1)
        #expect(v.first?.instancePath == "")
        #expect(v.first?.schemaPath == "test.schema.json#/required")
        #expect(v.first?.description == "(root): missing required property \"spans\" (schema: test.schema.json#/required)")
    }

    @Test func oneOfSaysHowManyMatched() {
        let v = schema.validate(["spans": [], "n": 3])
        #expect(v.map(\.message) == ["must match exactly one schema in oneOf, matched 2 (alternatives 0, 1)"])
        let none = schema.validate(["spans": [], "n": 1.5])
        #expect(none.first?.message == "must match exactly one schema in oneOf, matched none (0: must be integer, found number; 1: must be >= 2, found 1.5)")
    }

    @Test func typeMessageNamesBothTypes() {
        #expect(schema.validate(["spans": "x"]).first?.message == "must be array, found string")
    }

    @Test func refCycleThatNeverDescendsIsReportedNotLooped() throws {
        let looping = try JSONSchema(json: ["$defs": ["a": ["$ref": "#/$defs/b"], "b": ["$ref": "#/$defs/a"]], "$ref": "#/$defs/a"],
                                     baseURL: nil, root: nil)
        let v = looping.validate(1)
        #expect(v.count == 1)
        #expect(v.first?.message.contains("recursion") == true)
    }
}
