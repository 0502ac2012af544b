import Foundation
import Testing
import Orchestration

/// `franca check` (Project.load's diagnostics) refuses a generative adapter whose native output schema uses a
/// keyword the grammar cannot enforce, naming keyword and place; with `grammar: none` the same schema is fine.
@Suite struct GrammarCheckTests {
    @Test func unsupportedKeywordFailsCheckWithItsName() throws {
        let root = GrammarFixtures.directory.appendingPathComponent("unsupported-keyword-project")
        let (project, diagnostics) = Project.load(root: root)
        #expect(project?.adapter("writer") == nil)
        let lines = diagnostics.map(\.description)
        try #require(diagnostics.count == 2, "\(lines)")
        let schema = "Schemas/models/writer.output.schema.json"
        #expect(diagnostics.allSatisfy { $0.file == schema })
        #expect(diagnostics.map { "\($0.line ?? 0):\($0.column ?? 0)" } == ["8:7", "14:43"])
        #expect(lines[0].contains("keyword \"uniqueItems\" at #/properties/obligations/uniqueItems"), "\(lines[0])")
        #expect(lines[1].contains("keyword \"format\" at #/properties/obligations/items/properties/deadline/format"), "\(lines[1])")
    }

    @Test func withoutGrammarTheSameSchemaIsAccepted() {
        let root = GrammarFixtures.directory.appendingPathComponent("grammar-none-project")
        let (project, diagnostics) = Project.load(root: root)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        #expect(project?.adapter("writer") != nil)
    }
}
