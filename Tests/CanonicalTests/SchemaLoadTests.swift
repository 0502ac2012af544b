import Canonical
import Foundation
import Testing

@Suite struct SchemaLoadTests {
    let refs = Fixtures.url("refs")

    @Test func referencesToOtherFilesResolveRelativeToTheReferringFile() throws {
        let schema = try JSONSchema.load(contentsOf: refs.appendingPathComponent("main.schema.json"), root: refs)
        #expect(schema.documents.count == 3)  // main, sub/common, leaf (reached from common via ../)
        #expect(schema.isValid(["span": ["start": 0, "end": 3], "tags": ["ab"], "whole": [:], "byId": ["x"]]))
        let v = schema.validate(["span": ["start": -1], "tags": ["toolong"], "whole": 3, "byId": [1]])
        let got = Set(v.map { "\($0.instancePath) \($0.schemaPath)" })
        #expect(got == [
            "/span/start common.schema.json#/$defs/offset/minimum",
            "/span common.schema.json#/$defs/span/required",
            "/tags/0 leaf.schema.json#/maxLength",
            "/whole common.schema.json#/type",
            "/byId/0 leaf.schema.json#/type",
        ])
    }

    @Test func resolveExposesReferenceTargets() throws {
        let schema = try JSONSchema.load(contentsOf: refs.appendingPathComponent("main.schema.json"), root: refs)
        let span = try #require(schema.resolve(reference: "sub/common.schema.json#/$defs/span", from: nil))
        #expect(span.pointer == "/$defs/span")
        #expect(span.documentURL?.lastPathComponent == "common.schema.json")
        #expect(span.value["required"] == ["start", "end"])
        let offset = try #require(schema.resolve(reference: "#/$defs/offset", from: span.documentURL))
        #expect(offset.value["minimum"] == 0)
        let leaf = try #require(schema.resolve(reference: "../leaf.schema.json", from: span.documentURL))
        #expect(leaf.value["maxLength"] == 5)
        #expect(schema.resolve(reference: "#/$defs/nothing", from: nil) == nil)
        #expect(schema.root["$id"] == "https://example.test/schemas/main.schema.json")
    }

    @Test func referenceOutsideTheRootIsRefused() {
        do {
            _ = try JSONSchema.load(contentsOf: refs.appendingPathComponent("escape.schema.json"), root: refs)
            Issue.record("expected a load error")
        } catch {
            #expect(error.kind == .referenceOutsideRoot("../outside/secret.schema.json"))
            #expect(error.schemaPath == "/properties/x/$ref")
            #expect(error.file?.lastPathComponent == "escape.schema.json")
            #expect(error.line == 1 && error.column == 23)
        }
        // With the parent as root the same file loads.
        #expect((try? JSONSchema.load(contentsOf: refs.appendingPathComponent("escape.schema.json"), root: Fixtures.directory)) != nil)
    }

    @Test func everyBadKeywordIsReportedWithItsPathAndPosition() {
        do {
            _ = try JSONSchema.load(contentsOf: refs.appendingPathComponent("bad-keywords.schema.json"), root: refs)
            Issue.record("expected a load error")
        } catch {
            let problems = error.allProblems
            let summary = problems.map { "\($0.schemaPath) \($0.line ?? 0):\($0.column ?? 0) \($0.kind)" }
            #expect(summary == [
                "/properties/name/maxLenght 4:32 unsupportedKeyword(\"maxLenght\")",
                "/properties/age/type 5:13 invalidKeywordValue(\"type\")",
                "/definitions 7:3 unsupportedKeyword(\"definitions\")",
                "/items 8:3 invalidKeywordValue(\"items\")",
                "/required 9:3 invalidKeywordValue(\"required\")",
                "/pattern 10:3 invalidKeywordValue(\"pattern\")",
                "/minLength 11:3 invalidKeywordValue(\"minLength\")",
                "/then/fooBar 12:12 unsupportedKeyword(\"fooBar\")",
            ])
            #expect(problems[0].message.hasPrefix("unsupported keyword \"maxLenght\""))
            #expect(problems[2].message.contains("2020-12 uses \"$defs\""))
            #expect(problems[3].message.contains("use \"prefixItems\" for tuples"))
            #expect(error.description.contains("bad-keywords.schema.json:4:32: #/properties/name/maxLenght: unsupported keyword"))
        }
    }

    @Test func unresolvableReferencesAreAllReported() {
        do {
            _ = try JSONSchema.load(contentsOf: refs.appendingPathComponent("missing-target.schema.json"), root: refs)
            Issue.record("expected a load error")
        } catch {
            let problems = error.allProblems
            #expect(problems.map(\.schemaPath) == ["/properties/a/$ref", "/properties/b/$ref", "/properties/c/$ref", "/properties/d/$ref"])
            #expect(problems[0].message.contains("points to nothing"))
            #expect(problems[1].message.contains("cannot read referenced schema file"))
            #expect(problems[2].kind == .unsupportedFeature("$anchor"))
            #expect(problems[3].message.contains("remote schemas are never fetched"))
        }
    }

    @Test func invalidJSONInASchemaFileHasLineAndColumn() {
        do {
            _ = try JSONSchema.load(contentsOf: refs.appendingPathComponent("broken.schema.json"), root: refs)
            Issue.record("expected a load error")
        } catch {
            #expect(error.kind == .parse)
            #expect(error.line == 3 && error.column == 12)
        }
    }

    @Test func missingFileIsAnIOError() {
        #expect(throws: SchemaLoadError.self) { try JSONSchema.load(contentsOf: refs.appendingPathComponent("nope.json"), root: refs) }
        do { _ = try JSONSchema.load(contentsOf: refs.appendingPathComponent("nope.json"), root: refs) } catch {
            #expect(error.kind == .io)
        }
    }

    @Test func nestedIdAndOtherDialectsAreRefused() {
        do {
            _ = try JSONSchema.load(contentsOf: refs.appendingPathComponent("nested-id.schema.json"), root: refs)
            Issue.record("expected a load error")
        } catch {
            #expect(error.allProblems.map(\.kind) == [.unsupportedFeature("$id"), .unsupportedFeature("$schema")])
        }
    }

    @Test func inMemorySchemaWithoutBaseRefusesFileReferences() {
        #expect(throws: SchemaLoadError.self) { try JSONSchema(json: ["$ref": "other.json"], baseURL: nil, root: nil) }
        #expect(throws: SchemaLoadError.self) { try JSONSchema(json: ["type": "object", "unknownThing": 1], baseURL: nil, root: nil) }
        #expect(throws: SchemaLoadError.self) { try JSONSchema(json: 3, baseURL: nil, root: nil) }
    }

    @Test func selfRecursiveSchemasLoad() throws {
        // A tree: recursion through $ref must terminate at load and validate nested instances.
        let tree: JSONValue = ["$defs": ["node": ["type": "object", "properties": ["children": ["type": "array", "items": ["$ref": "#/$defs/node"]]],
                                                    "additionalProperties": false]],
                               "$ref": "#/$defs/node"]
        let schema = try JSONSchema(json: tree, baseURL: nil, root: nil)
        #expect(schema.isValid(["children": [["children": []], ["children": [[:]]]]]))
        let v = schema.validate(["children": [["children": [["x": 1]]]]])
        #expect(v.map(\.instancePath) == ["/children/0/children/0/x"])
        #expect(v.first?.schemaPath == "#/$defs/node/additionalProperties")
    }
}
