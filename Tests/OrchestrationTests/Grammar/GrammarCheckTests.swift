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

    /// `answer: code-block` is free text: asking for the JSON grammar too is refused where it is written (and the
    /// schema's unenforceable keywords are not reported, since no grammar is compiled).
    @Test func codeBlockAnswerRefusesTheNativeOutputGrammar() {
        let root = GrammarFixtures.directory.appendingPathComponent("code-block-grammar-project")
        let (project, diagnostics) = Project.load(root: root)
        #expect(project?.adapter("writer") == nil)
        #expect(diagnostics.map { "\($0.file):\($0.line ?? 0):\($0.column ?? 0) \($0.message)" }
                == ["Adapters/writer.yaml:22:12 input.grammar: native-output decodes JSON, but input.answer is code-block (free text with a fenced block)"])
    }
}

/// `input.quote` is checked at load like every other adapter field: each problem at its YAML place.
@Suite struct QuoteCheckTests {
    @Test func eachUnenforceableQuoteIsReportedWhereItIsWritten() {
        let root = GrammarFixtures.directory.appendingPathComponent("quote-problems-project")
        let (project, diagnostics) = Project.load(root: root)
        #expect(project?.adapter("writer") == nil && project?.adapter("plain") == nil)
        let got = diagnostics.map { "\($0.file):\($0.line ?? 0):\($0.column ?? 0) \($0.message)" }
        let expected = [
            "Adapters/plain.yaml:23:5 input.quote is enforced by the output grammar, but input.grammar is none",
            "Adapters/writer.yaml:22:13 input.quote[0].at '/obligations/*/count' cannot be quoted in Schemas/models/writer.output.schema.json: the schema at '/obligations/*/count' is not a plain string schema",
            "Adapters/writer.yaml:23:42 input.quote[1].from 'entities[].start' is not a string field of the canonical schema",
            "Adapters/writer.yaml:23:68 input.quote[1].unit has unknown value 'sentences'",
            "Adapters/writer.yaml:24:13 input.quote[2].at '/obligations/*/clauze' is not in Schemas/models/writer.output.schema.json",
        ]
        #expect(got.count == expected.count, "\(got)")
        for (g, e) in zip(got.sorted(), expected) { #expect(g.hasPrefix(e), "\(g)") }
    }
}
