import Canonical
import Foundation
import Orchestration
import Testing

/// The drill from issue 8: v2 of the compliance model renames `duty` to `requirement`, makes `due` a date object
/// and adds the verdict `partial`. Validating the current adapter against v2 names each break and the chain that
/// uses it; the updated adapter (fixture `validate/drill`, version 2.0.0) passes against the same change.
@Suite struct ValidationDrillTests {
    static let drill = Fixtures.testsDirectory.appendingPathComponent("Fixtures/validate/drill")
    static let v2Input = "Schemas/models/minilm-compliance.input.schema.json"
    static let v2Output = "Schemas/models/minilm-compliance.output.schema.json"

    static func v2(_ path: String) throws -> LoadedSchema {
        try LoadedSchema.file(drill.appendingPathComponent(path), display: "drill/\(path)")
    }

    static func repo() throws -> Project {
        let (project, diagnostics) = Project.load(root: Fixtures.repoRoot)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        return try #require(project)
    }

    @Test func currentAdapterAgainstV2NamesEachBreakAndTheChain() throws {
        let project = try Self.repo()
        let adapter = try #require(project.adapter("minilm-compliance"))
        let old: [SchemaEdge: LoadedSchema] = [.input: try #require(project.schemas[adapter.native.input]),
                                               .output: try #require(project.schemas[adapter.native.output])]
        let new: [SchemaEdge: LoadedSchema] = [.input: try Self.v2(Self.v2Input), .output: try Self.v2(Self.v2Output)]
        let report = AdapterValidation(adapter: adapter, canonical: project.canonical, old: old, new: new)
            .run(chains: project.sortedChains)

        #expect(report.isBreaking)
        let breaks = report.changes.filter(\.breaks)
        // Exactly the three changes of the drill, each a break, each on its edge.
        #expect(report.changes.count == 3)
        #expect(breaks.map { "\($0.edge.rawValue) \($0.change.kind.rawValue) \($0.change.path)" } == [
            "output enum-extended /verdicts/*/verdict",
            "input property-renamed /obligations/*/duty",
            "input type-changed /obligations/*/due",
        ])
        let rename = try #require(breaks.first { $0.change.kind == .propertyRenamed })
        #expect(rename.change.renamedTo?.description == "/obligations/*/requirement")
        let enumBreak = try #require(breaks.first { $0.change.kind == .enumExtended })
        #expect(enumBreak.change.new == ["partial"])
        #expect(enumBreak.reason.contains("'partial'"))
        #expect(enumBreak.reason.contains("obligations[].status") && enumBreak.reason.contains("findings[].severity"))

        // Static checks against v2 say the same from the adapter's side.
        let staticBreaks = report.findings.filter(\.isBreaking).map { "\($0.area.rawValue) \($0.path)" }
        #expect(staticBreaks.sorted() == [
            "input /obligations/*/due", "input /obligations/*/duty", "input /obligations/*/requirement",
            "output /verdicts/*/verdict", "output /verdicts/*/verdict",
        ])
        // The v1 example still replays (v2 only adds a value), and the chain that runs the adapter is named.
        #expect(report.examples.map(\.status) == [.pass])
        #expect(report.chains.map(\.chain) == ["contract-compliance"])
        #expect(report.chains.first?.uses.map(\.step) == ["compliance"])
        #expect(report.chains.first?.breaking == true)
    }

    @Test func fixedAdapterPassesAgainstTheSameChange() throws {
        let repo = try Self.repo()
        let (loaded, diagnostics) = Project.load(root: Self.drill)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let drill = try #require(loaded)
        let fixed = try #require(drill.adapter("minilm-compliance"))
        #expect(fixed.version.description == "2.0.0")
        let before = try #require(repo.adapter("minilm-compliance"))
        let old: [SchemaEdge: LoadedSchema] = [.input: try #require(repo.schemas[before.native.input]),
                                               .output: try #require(repo.schemas[before.native.output])]
        let new: [SchemaEdge: LoadedSchema] = [.input: try #require(drill.schemas[fixed.native.input]),
                                               .output: try #require(drill.schemas[fixed.native.output])]
        let report = AdapterValidation(adapter: fixed, canonical: drill.canonical, old: old, new: new,
                                       baseline: "repo", baselineVersion: before.version).run(chains: drill.sortedChains)
        #expect(!report.isBreaking, "\(report.findings) \(report.changes.filter(\.breaks).map(\.reason))")
        // The same three changes are found, none breaks this adapter.
        #expect(report.changes.map(\.change.kind) == [.enumExtended, .propertyRenamed, .typeChanged])
        #expect(report.findings.filter(\.isBreaking).isEmpty)
        #expect(report.examples.map(\.name) == ["one-met-one-unmet", "one-partial"])
        #expect(report.examples.allSatisfy { $0.status == .pass })
        #expect(report.chains.map(\.chain) == ["compliance-check"])
        #expect(report.chains.allSatisfy { !$0.breaking })
    }

    @Test func sameVersionAfterAChangeIsAWarning() throws {
        let repo = try Self.repo()
        let adapter = try #require(repo.adapter("minilm-compliance"))
        let old: [SchemaEdge: LoadedSchema] = [.output: try #require(repo.schemas[adapter.native.output])]
        let new: [SchemaEdge: LoadedSchema] = [.output: try Self.v2(Self.v2Output)]
        let report = AdapterValidation(adapter: adapter, canonical: repo.canonical, old: old, new: new,
                                       baselineVersion: adapter.version).run(chains: [])
        #expect(report.findings.contains { $0.area == .version && $0.severity == .warning })
    }

    @Test func everyRepositoryAdapterValidatesAgainstItsOwnSchemas() throws {
        let project = try Self.repo()
        for adapter in project.sortedAdapters {
            let declared: [SchemaEdge: LoadedSchema] = [.input: project.schemas[adapter.native.input],
                                                        .output: project.schemas[adapter.native.output]].compactMapValues { $0 }
            let report = AdapterValidation(adapter: adapter, canonical: project.canonical, old: declared, new: declared)
                .run(chains: project.sortedChains)
            #expect(!report.isBreaking, "\(adapter.id): \(report.findings) \(report.examples)")
            #expect(report.changes.isEmpty)
            #expect(report.examples.count == adapter.examples.count)
        }
    }
}
