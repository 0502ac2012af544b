import Foundation
import Testing
import Orchestration

/// Long documents through the real Rampart model: windows must give back, at the right document offsets, what
/// the model finds when it reads each sentence on its own.
@Suite struct BertRunnerWindowTests {
    static let sentences = [
        "Please contact Maria Gonzalez at maria.gonzalez@example.org about the invoice.",
        "The weather was lovely and we walked along the river for hours without a care.",
        "Call John Smith on (415) 555-0132 before Friday if the delivery is late again.",
    ]

    static func spans(_ runner: any ModelRunner, _ text: String, window: TokenWindowSpec) throws -> [AggregatedEntity] {
        let result = try #require(try runner.classifyTokens([text], window: window).first)
        return BIOSpanAggregator.identity(labels: result.labels).entities(result, text: text)
    }

    @Test(.enabled(if: RepoModels.available("rampart-pii")))
    func longDocumentSpansMatchPerSentenceSpans() throws {
        let runner = try RepoModels.shared("rampart-pii")
        // 40 repetitions of 3 sentences ≈ 2,000 word pieces: several 510-token windows.
        var text = ""
        var expected: [(start: Int, entity: AggregatedEntity)] = []
        var perSentence: [[AggregatedEntity]] = []
        for s in Self.sentences { perSentence.append(try Self.spans(runner, s, window: TokenWindowSpec())) }
        #expect(perSentence[0].map(\.text) == ["Maria", "Gonzalez", "maria.gonzalez@example.org"])
        for _ in 0 ..< 40 {
            for (k, s) in Self.sentences.enumerated() {
                let offset = text.unicodeScalars.count
                for e in perSentence[k] { expected.append((offset, e)) }
                text += s + " "
            }
        }
        let window = TokenWindowSpec(maxTokens: 510, overlap: 128)
        let result = try #require(try runner.classifyTokens([text], window: window).first)
        #expect(result.windowCount >= 4)
        #expect(result.tokens.count == (try runner.tokenize(text)).count)
        let found = BIOSpanAggregator.identity(labels: result.labels).entities(result, text: text)
        // Every name and phone number of every repetition is found at its own offset with its type. The model's
        // reading of an e-mail address shifts with the sentences around it (sometimes it leaves "@example.org"
        // out), so for e-mails only the start offset and type are pinned.
        for (offset, e) in expected {
            let start = offset + e.start
            if e.type == "EMAIL" {
                #expect(found.contains { $0.start == start && $0.type == "EMAIL" }, "no EMAIL at \(start)")
            } else {
                #expect(found.contains { $0.start == start && $0.end == offset + e.end && $0.type == e.type },
                        "no \(e.type) '\(e.text)' at \(start)")
            }
        }
        // Nothing is found in the sentence without personal data.
        let plain = Array(Self.sentences[1].unicodeScalars).count
        var cursor = 0
        for _ in 0 ..< 40 {
            let first = Array(Self.sentences[0].unicodeScalars).count + 1
            let range = (cursor + first) ..< (cursor + first + plain)
            #expect(!found.contains { range.contains($0.start) }, "entity inside the plain sentence at \(range)")
            cursor += Self.sentences.reduce(0) { $0 + Array($1.unicodeScalars).count + 1 }
        }
        let scalars = Array(text.unicodeScalars)
        for e in found {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[e.start ..< e.end])
            #expect(String(view) == e.text)
        }
    }

    @Test(.enabled(if: RepoModels.available("rampart-pii")))
    func smallWindowsAgreeWithOneWindow() throws {
        // The same document read in one window and in 24-token windows overlapping by 8: same spans.
        let runner = try RepoModels.shared("rampart-pii")
        let text = Self.sentences.joined(separator: " ")
        let one = try Self.spans(runner, text, window: TokenWindowSpec(maxTokens: 510, overlap: 0))
        let many = try Self.spans(runner, text, window: TokenWindowSpec(maxTokens: 24, overlap: 8))
        #expect(many.map(\.text) == one.map(\.text))
        #expect(many.map(\.start) == one.map(\.start))
    }
}
