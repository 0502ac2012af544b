import Foundation
import Testing
import Canonical
import Orchestration

/// The schema → grammar compiler: every supported keyword compiles; every keyword it cannot enforce is refused
/// with the keyword and the JSON Pointer to it, all problems at once.
@Suite struct GrammarCompilerTests {
    static let supported: [(String, JSONValue)] = [
        ("annotations", ["$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "x", "$comment": "c", "title": "t",
                         "description": "d", "default": "a", "examples": ["a"], "deprecated": false, "readOnly": false,
                         "writeOnly": false, "type": "string"]),
        ("object", ["type": "object", "properties": ["a": ["type": "string"]], "required": ["a"], "additionalProperties": false]),
        ("additionalProperties-schema", ["type": "object", "properties": ["a": ["type": "null"]], "additionalProperties": ["type": "string"]]),
        ("array", ["type": "array", "items": ["type": "boolean"], "minItems": 1, "maxItems": 2]),
        ("string", ["type": "string", "minLength": 1, "maxLength": 9, "pattern": "^[a-z]+(-[a-z]+)*$"]),
        ("integer", ["type": "integer", "minimum": 1, "maximum": 9, "exclusiveMinimum": 0, "exclusiveMaximum": 10]),
        ("number", ["type": "number", "minimum": -1.5, "maximum": 1e6]),
        ("boolean-null", ["type": ["boolean", "null"]]),
        ("enum", ["type": "string", "enum": ["a", "b"]]),
        ("const", ["const": ["x": [1, 2]]]),
        ("anyOf", ["anyOf": [["type": "string"], ["type": "string", "maxLength": 1]]]),
        ("oneOf", ["oneOf": [["type": "string"], ["type": "integer"], ["type": "null"]]]),
        ("ref-defs", ["$ref": "#/$defs/a", "$defs": ["a": ["type": "integer"]]]),
    ]

    @Test(arguments: supported.map(\.0))
    func supportedKeywordsCompile(_ name: String) throws {
        let schema = try #require(Self.supported.first { $0.0 == name }?.1)
        _ = try JSONSchemaGrammar(schema: schema)
    }

    static let unsupported: [String] = [
        "format", "multipleOf", "uniqueItems", "prefixItems", "contains", "minProperties", "maxProperties",
        "patternProperties", "propertyNames", "dependentRequired", "dependentSchemas", "allOf", "not", "if",
        "unevaluatedProperties", "x-custom",
    ]

    @Test(arguments: unsupported)
    func unsupportedKeywordIsNamedWithItsPath(_ keyword: String) throws {
        var inner = JSONObject()
        inner["type"] = "string"
        inner[keyword] = ["type": "string"]
        let schema: JSONValue = ["type": "object", "properties": ["deadline": .object(inner)]]
        do {
            _ = try JSONSchemaGrammar(schema: schema)
            Issue.record("\(keyword) should be refused")
        } catch {
            #expect(error.keyword == keyword)
            #expect(error.pointer == "/properties/deadline/\(keyword)")
            #expect(error.kind == .unsupportedKeyword)
            #expect(error.description.contains("\"\(keyword)\" at #/properties/deadline/\(keyword)"))
        }
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let schema: JSONValue = ["type": "object", "properties": [
            "a": ["type": "string", "format": "date"],
            "b": ["type": "array", "items": ["type": "integer"], "uniqueItems": true],
            "c": ["type": "string", "pattern": "(?=x)y"],
        ]]
        do {
            _ = try JSONSchemaGrammar(schema: schema)
            Issue.record("should fail")
        } catch {
            #expect(error.allProblems.map { "\($0.keyword) \($0.pointer)" } ==
                    ["format /properties/a/format", "uniqueItems /properties/b/uniqueItems", "pattern /properties/c/pattern"])
            #expect(error.allProblems[2].message.contains("lookaround"))
        }
    }

    static let refused: [(String, JSONValue, String, String)] = [
        ("lookbehind", ["type": "string", "pattern": "(?<=a)b"], "pattern", "/pattern"),
        ("backreference", ["type": "string", "pattern": "(a)\\1"], "pattern", "/pattern"),
        ("word boundary", ["type": "string", "pattern": "\\bword"], "pattern", "/pattern"),
        ("inner anchor", ["type": "string", "pattern": "a^b"], "pattern", "/pattern"),
        ("property escape", ["type": "string", "pattern": "\\p{L}+"], "pattern", "/pattern"),
        ("min above max", ["type": "string", "minLength": 3, "maxLength": 2], "minLength", "/minLength"),
        ("unsatisfiable pattern", ["type": "string", "pattern": "^abc$", "maxLength": 2], "pattern", "/pattern"),
        ("items above max", ["type": "array", "items": ["type": "null"], "minItems": 3, "maxItems": 1], "minItems", "/minItems"),
        ("empty bounds", ["type": "integer", "minimum": 5, "maximum": 4], "maximum", "/maximum"),
        ("enum vs type", ["type": "integer", "enum": ["a"]], "enum", "/enum"),
        ("enum with maxLength", ["enum": ["a"], "maxLength": 1], "maxLength", "/maxLength"),
        ("overlapping oneOf", ["oneOf": [["type": "number"], ["type": "integer"]]], "oneOf", "/oneOf/1"),
        ("ref siblings", ["$ref": "#/$defs/a", "maxLength": 1, "$defs": ["a": ["type": "string"]]], "maxLength", "/maxLength"),
        ("external ref", ["$ref": "other.json#/a"], "$ref", "/$ref"),
        ("dangling ref", ["$ref": "#/$defs/missing"], "$ref", "/$ref"),
        ("no type", ["properties": ["a": ["type": "string"]]], "schema", ""),
        ("true schema", ["type": "object", "properties": ["a": true], "required": ["a"]], "schema", "/properties/a"),
        ("required undeclared", ["type": "object", "required": ["z"]], "required", "/required/0"),
        ("array without items", ["type": "array"], "schema", ""),
        ("endless recursion", ["$ref": "#/$defs/a", "$defs": ["a": ["type": "object", "required": ["n"], "properties": ["n": ["$ref": "#/$defs/a"]]]]], "$ref", ""),
    ]

    @Test(arguments: refused.map(\.0))
    func unenforceableUsesAreRefused(_ name: String) throws {
        let (_, schema, keyword, pointer) = try #require(Self.refused.first { $0.0 == name })
        do {
            _ = try JSONSchemaGrammar(schema: schema)
            Issue.record("\(name) should be refused")
        } catch {
            #expect(error.keyword == keyword, "\(error)")
            #expect(error.pointer == pointer, "\(error)")
        }
    }

    @Test func depthLimitBelowTheSmallestValueIsRefused() throws {
        let schema: JSONValue = ["type": "array", "minItems": 1, "items": ["type": "array", "minItems": 1, "items": ["type": "null"]]]
        _ = try JSONSchemaGrammar(schema: schema, maxDepth: 3)
        #expect(throws: GrammarCompileError.self) { try JSONSchemaGrammar(schema: schema, maxDepth: 2) }
    }

    /// The repository's generative adapters' native output schemas all compile.
    @Test func repositoryOutputSchemasCompile() throws {
        let schemas = try GrammarFixtures.generativeOutputSchemas()
        #expect(schemas.map(\.adapter) == ["gemma3-obligations", "smollm2-obligations"])
        for (_, schema) in schemas { _ = try JSONSchemaGrammar(schema: schema) }
    }
}
