import Canonical
import Foundation
import Orchestration
import Testing

/// Golden examples replayed through the executor's transforms, and the fragment comparison: a wrong `expect` or a
/// wrong transform is caught with the place that differs.
@Suite struct ExampleReplayTests {
    static func repoAdapter(_ id: String) throws -> AdapterDefinition {
        let project = try #require(Project.load(root: Fixtures.repoRoot).0)
        return try #require(project.adapter(id))
    }

    @Test func complianceExampleBecomesStatusesAndFindings() throws {
        let adapter = try Self.repoAdapter("minilm-compliance")
        let example = try #require(adapter.examples.first)
        let fragment = try ExampleReplay.canonicalFragment(adapter: adapter, native: example.native)
        // Hand-computed from the adapter: unclear → unknown; met → info, unclear → warning.
        #expect(fragment["obligations"]?[1]?["status"] == "unknown")
        #expect(fragment["obligations"]?[0]?["evidence"]?[0]?["start"] == 120)
        #expect(fragment["findings"]?.arrayValue?.map { $0["severity"] } == ["info", "warning"])
        #expect(fragment["findings"]?.arrayValue?.allSatisfy { $0["rule"] == "obligation-compliance" } == true)
    }

    @Test func spansReplayFromTokensWithoutTheDocument() throws {
        let adapter = try Self.repoAdapter("rampart-pii")
        let example = try #require(adapter.examples.first)
        let fragment = try ExampleReplay.canonicalFragment(adapter: adapter, native: example.native)
        let entities = try #require(fragment["entities"]?.arrayValue)
        #expect(entities.map { $0["type"] } == ["PERSON", "PHONE"])
        // The document is rebuilt from the lower-cased pieces: "call jane doe at 555-0100."
        #expect(entities.map { $0["text"] } == ["jane doe", "555-0100"])
        #expect(entities.map { $0["start"] } == [5, 17])
    }

    @Test func fragmentMatchNamesTheDifference() throws {
        let expected = try JSONValue.parse(#"{"obligations":[{"status":"met"},{"status":"unknown"}]}"#)
        let actual = try JSONValue.parse(#"{"obligations":[{"id":"obl-1","status":"met"},{"id":"obl-2","status":"unclear"}],"findings":[]}"#)
        let mismatches = FragmentMatch.mismatches(expected: expected, actual: actual)
        #expect(mismatches.map(\.path) == ["/obligations/1/status"])
        #expect(mismatches.first?.description == #"at /obligations/1/status: expected "unknown", got "unclear""#)
        // Extra members and ids are not compared; numbers compare by value; lengths must agree.
        #expect(FragmentMatch.mismatches(expected: ["n": 1], actual: ["n": 1.0, "x": true]).isEmpty)
        #expect(FragmentMatch.mismatches(expected: ["a": [1, 2]], actual: ["a": [1]]).map(\.path) == ["/a"])
        #expect(FragmentMatch.mismatches(expected: ["t": "Jane"], actual: ["t": "jane"], caseInsensitive: ["t"]).isEmpty)
        #expect(FragmentMatch.mismatches(expected: ["t": "Jane"], actual: ["t": "jane"]).count == 1)
    }

    @Test func aWrongExpectationFailsTheExample() throws {
        var adapter = try Self.repoAdapter("minilm-compliance")
        var example = try #require(adapter.examples.first)
        example.expect["findings"] = try JSONValue.parse(#"[{"severity":"info"},{"severity":"error"}]"#)
        adapter.examples = [example]
        let project = try #require(Project.load(root: Fixtures.repoRoot).0)
        let schemas: [SchemaEdge: LoadedSchema] = [.output: try #require(project.schemas[adapter.native.output])]
        let results = AdapterValidation(adapter: adapter, canonical: project.canonical, old: schemas, new: schemas).examples()
        #expect(results.map(\.status) == [.fail])
        #expect(results.first?.problems == [#"at /findings/1/severity: expected "error", got "warning""#])
    }

    @Test func anExampleTheNewSchemaRejectsIsStale() throws {
        let adapter = try Self.repoAdapter("minilm-compliance")
        // A v2 output that made `similarity` a string: the v1 example's number no longer matches.
        let schema = try JSONValue.parse(#"{"type":"object","properties":{"verdicts":{"type":"array","items":{"type":"object","properties":{"similarity":{"type":"string"}}}}}}"#)
        let compiled = try JSONSchema(json: schema, baseURL: nil, root: nil)
        let loaded = LoadedSchema.compiled(compiled, display: "v2.output.schema.json")
        let results = AdapterValidation(adapter: adapter, canonical: nil, old: [.output: loaded], new: [.output: loaded]).examples()
        #expect(results.map(\.status) == [.stale])
        #expect(results.first?.problems.first?.contains("/verdicts/0/similarity") == true)
    }
}
