import Canonical
import Orchestration
import Testing

/// The embedding matcher of `minilm-compliance`, on a fake embedder with hand-made vectors.
@Suite struct EmbeddingMatcherTests {
    @Test func sentencesSplitAtPunctuationAndLineBreaks() {
        let text = "1. The Supplier shall deliver.  Really?\nYes! v1.2 ships\n\n2. Done"
        let s = EmbeddingMatcher.sentences(in: text)
        #expect(s.map(\.text) == ["The Supplier shall deliver.", "Really?", "Yes!", "v1.2 ships", "Done"])
        for x in s {
            let scalars = Array(text.unicodeScalars)
            #expect(String(String.UnicodeScalarView(scalars[x.start..<x.end])) == x.text)
        }
    }

    @Test func verdictsFromThresholdsAndClauseExclusion() throws {
        let runner = FakeRunner("minilm")
        // A ≈ "Evidence a." (cos 0.8 → met); B ≈ "Evidence b." (0.5 → unclear); C points away from everything, so its
        // best is "Clause A." at 0 (unmet) — which only A's own clause check excludes.
        runner.embedTexts = { texts in
            texts.map { t -> [Float] in
                switch t {
                case "duty A": return [1, 0, 0]
                case "duty B": return [0, 1, 0]
                case "duty C": return [0, 0, -1]
                case "Clause A.": return [1, 0, 0]  // the clause itself: identical, but excluded
                case "Evidence a.": return [0.8, 0, 0.6]
                case "Evidence b.": return [0, 0.5, 0.8660254]
                default: return [0, 0, 0]
                }
            }
        }
        let matcher = EmbeddingMatcher(adapter: "m", options: .init(metAt: 0.6, unclearAt: 0.4))
        let input: JSONValue = ["obligations": [["duty": "duty A", "clause": "Clause A."], ["duty": "duty B", "clause": "Clause B."],
                                                ["duty": "duty C", "clause": "Clause C."]],
                                "text": "Clause A. Evidence a. Evidence b."]
        let out = try matcher.run([input, input], runner: runner)
        #expect(runner.calls == ["embed(12)"])
        #expect(out.count == 2)
        #expect(out[0].output == ["verdicts": [
            ["clause": "Clause A.", "verdict": "met", "evidence": ["start": 10, "end": 21], "similarity": 0.8],
            ["clause": "Clause B.", "verdict": "unclear", "evidence": ["start": 22, "end": 33], "similarity": 0.5],
            ["clause": "Clause C.", "verdict": "unmet", "evidence": ["start": 0, "end": 9], "similarity": 0],
        ]])
    }

    @Test func noCandidateIsUnmet() throws {
        let runner = FakeRunner("minilm")
        let matcher = EmbeddingMatcher(adapter: "m", options: .init())
        let out = try matcher.run([["obligations": [["duty": "pay", "clause": "Pay."]], "text": "Pay."]], runner: runner)
        #expect(out[0].output == ["verdicts": [["clause": "Pay.", "verdict": "unmet", "evidence": ["start": 0, "end": 0], "similarity": 0]]])
    }
}
