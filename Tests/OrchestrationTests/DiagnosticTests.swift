import Testing
import Orchestration
import Yams

@Suite struct DiagnosticTests {
    @Test func rendersCompilerStyleWithExpectationAndSuggestion() {
        let d = Diagnostic(SourceLocation(file: "Adapters/x.yaml", line: 12, column: 5),
                           "unknown key 'stratgy' in output[0] (bio-spans)", suggestion: "strategy")
        #expect(d.description == "Adapters/x.yaml:12:5: error: unknown key 'stratgy' in output[0] (bio-spans); did you mean 'strategy'?")
        let e = Diagnostic(SourceLocation(file: "Chains/c.yaml", line: 3, column: 9), "input.format has unknown value 'csv'",
                           expected: "one of: text-dir, jsonl, text")
        #expect(e.description == "Chains/c.yaml:3:9: error: input.format has unknown value 'csv'; expected one of: text-dir, jsonl, text")
    }

    @Test func rendersFileOnlyWhenPositionUnknown() {
        let d = Diagnostic(SourceLocation(file: "Adapters/x.yml"), "file is ignored")
        #expect(d.description == "Adapters/x.yml: error: file is ignored")
    }

    @Test func sortsByFileLineColumn() {
        let a = Diagnostic(SourceLocation(file: "B.yaml", line: 1, column: 1), "a")
        let b = Diagnostic(SourceLocation(file: "A.yaml", line: 9, column: 2), "b")
        let c = Diagnostic(SourceLocation(file: "A.yaml", line: 9, column: 1), "c")
        #expect([a, b, c].sortedByLocation().map(\.message) == ["c", "b", "a"])
    }

    @Test func suggestionsUseEditDistanceWithTranspositions() {
        #expect(Suggestions.editDistance("kitten", "sitting") == 3)
        #expect(Suggestions.editDistance("stratgy", "strategy") == 1)
        #expect(Suggestions.editDistance("firts", "first") == 1)  // one transposition
        #expect(Suggestions.closest(to: "stratgy", in: ["into", "labels", "strategy", "threshold"]) == "strategy")
        #expect(Suggestions.closest(to: "rampart-pi", in: ["rampart-pii", "smollm2-codegen"]) == "rampart-pii")
        #expect(Suggestions.closest(to: "xyz", in: ["strategy", "labels"]) == nil)
    }
}

@Suite struct YAMLSourceTests {
    @Test func duplicateKeysAreReportedWithTheirPosition() {
        let log = DiagnosticLog()
        let node = YAMLSource.compose(text: "adapter: a\nversion: 1.0.0\nadapter: b\n", file: "Adapters/a.yaml", log: log)
        #expect(node == nil)
        #expect(log.diagnostics.map(\.description) == ["Adapters/a.yaml:1:1: error: duplicate key 'adapter' in a mapping"])
    }

    @Test func flowStyleBracketsGetAHint() {
        let log = DiagnosticLog()
        _ = YAMLSource.compose(text: "map:\n  - { from: /a, to: obligations[].status }\n", file: "x.yaml", log: log)
        #expect(log.diagnostics.count == 1)
        #expect(log.diagnostics.first?.line == 2)
        #expect(log.diagnostics.first?.expected?.contains("quotes around values") == true)
    }

    @Test func emptyFileIsAProblem() {
        let log = DiagnosticLog()
        _ = YAMLSource.compose(text: "# nothing\n", file: "Chains/c.yaml", log: log)
        #expect(log.diagnostics.map(\.description) == ["Chains/c.yaml:1:1: error: file is empty; expected a mapping"])
    }
}
