import Testing
import Orchestration

/// Hand-computed expectations for the `bio-spans` aggregation (see `BIOSpanAggregator`'s steps).
struct BIOSpanAggregatorTests {
    static let labels = ["O", "B-GIVEN_NAME", "I-GIVEN_NAME", "B-SURNAME", "I-SURNAME", "B-EMAIL", "I-EMAIL",
                         "B-CITY", "I-CITY", "B-ZIP_CODE", "I-ZIP_CODE"]
    static let map = ["GIVEN_NAME": "PERSON", "SURNAME": "PERSON", "EMAIL": "EMAIL", "CITY": "ADDRESS", "ZIP_CODE": "ADDRESS"]

    /// A one-hot-ish probability row: `p` on `label`, the rest spread evenly.
    static func probs(_ label: String, _ p: Float = 0.9) -> [Float] {
        let k = labels.firstIndex(of: label) ?? 0
        let rest = (1 - p) / Float(labels.count - 1)
        return labels.indices.map { $0 == k ? p : rest }
    }

    static func token(_ start: Int, _ end: Int, _ word: Int?, _ label: String, _ p: Float = 0.9) -> TaggedToken {
        TaggedToken(start: start, end: end, wordIndex: word, probabilities: probs(label, p))
    }

    static func aggregator(_ strategy: BIOSpanAggregator.Strategy, threshold: Double = 0,
                           rules: [BIOSpanAggregator.MergeRule] = []) -> BIOSpanAggregator {
        BIOSpanAggregator(labels: labels, strategy: strategy, threshold: threshold, labelMap: map, mergeRules: rules)
    }

    // "Gonzalez" tokenized as gon ##zal ##ez, with a B- on the middle piece.
    static let text = "Ms Gonzalez"
    static let midWordB = [token(0, 2, 0, "O"), token(3, 6, 1, "B-SURNAME"), token(6, 9, 1, "B-SURNAME", 0.6),
                           token(9, 11, 1, "I-SURNAME", 0.8)]

    @Test func simpleSplitsAtMidWordBButGaplessMergeJoins() {
        // simple: B(gon) | B(zal) I(ez) → spans 3..<6 (0.9) and 6..<11 (mean 0.7); no gap → one span 3..<11,
        // score weighted by pieces: (0.9·1 + 0.7·2) / 3 = 0.7667.
        let e = Self.aggregator(.simple).entities(tokens: Self.midWordB, text: Self.text)
        #expect(e.count == 1)
        #expect(e.first?.text == "Gonzalez")
        #expect(e.first?.type == "PERSON")
        #expect(abs((e.first?.score ?? 0) - (0.9 + 0.6 + 0.8) / 3) < 1e-6)
    }

    @Test func firstUsesTheFirstPiece() {
        let tokens = [Self.token(0, 3, 0, "B-CITY", 0.7), Self.token(3, 6, 0, "O", 0.99)]
        let e = Self.aggregator(.first).entities(tokens: tokens, text: "Berlin")
        #expect(e == [AggregatedEntity(type: "ADDRESS", start: 0, end: 6, text: "Berlin", score: Double(Float(0.7)),
                                       parts: [LabelSpan(label: "CITY", start: 0, end: 6, score: Double(Float(0.7)), pieces: 1)])])
    }

    @Test func averageAveragesProbabilities() {
        // pieces: B-CITY 0.7 and O 0.99 → mean P(B-CITY) = (0.7 + 0.001) / 2 = 0.3505,
        // mean P(O) = (0.03 + 0.99) / 2 = 0.51 → the word is O: nothing.
        let tokens = [Self.token(0, 3, 0, "B-CITY", 0.7), Self.token(3, 6, 0, "O", 0.99)]
        #expect(Self.aggregator(.average).entities(tokens: tokens, text: "Berlin").isEmpty)
    }

    @Test func maxTakesTheMostConfidentPiece() {
        let tokens = [Self.token(0, 3, 0, "O", 0.6), Self.token(3, 6, 0, "B-CITY", 0.8)]
        let e = Self.aggregator(.max).entities(tokens: tokens, text: "Berlin")
        #expect(e.map(\.text) == ["Berlin"])
        #expect(e.map(\.type) == ["ADDRESS"])
    }

    @Test func thresholdDropsWeakSpans() {
        let tokens = [Self.token(0, 6, 0, "B-CITY", 0.4)]
        #expect(Self.aggregator(.first, threshold: 0.5).entities(tokens: tokens, text: "Berlin").isEmpty)
        #expect(Self.aggregator(.first, threshold: 0.3).entities(tokens: tokens, text: "Berlin").count == 1)
    }

    @Test func unknownWordTokenSpansTheWholeWord() {
        // [UNK] for an unknown word carries the whole word's offsets: one piece, one word.
        let text = "Zoë 🙂"
        let tokens = [Self.token(0, 3, 0, "B-GIVEN_NAME"), Self.token(4, 5, 1, "O")]
        let e = Self.aggregator(.first).entities(tokens: tokens, text: text)
        #expect(e.map(\.text) == ["Zoë"])
        #expect(e.first?.start == 0 && e.first?.end == 3)
    }

    @Test func cjkCharactersAreWordsAndOffsetsAreScalars() {
        // "住在東京 ok": BERT splits each CJK ideograph into its own word; 東京 labelled B-CITY I-CITY.
        let text = "住在東京 ok"
        let tokens = [Self.token(0, 1, 0, "O"), Self.token(1, 2, 1, "O"), Self.token(2, 3, 2, "B-CITY"),
                      Self.token(3, 4, 3, "I-CITY"), Self.token(5, 7, 4, "O")]
        let e = Self.aggregator(.first).entities(tokens: tokens, text: text)
        #expect(e.map(\.text) == ["東京"])
        #expect(e.first?.start == 2 && e.first?.end == 4)
    }

    @Test func iAfterADifferentTypeStartsANewSpan() {
        let text = "Ann Lee"
        let tokens = [Self.token(0, 3, 0, "B-GIVEN_NAME"), Self.token(4, 7, 1, "I-SURNAME")]
        let e = Self.aggregator(.first).entities(tokens: tokens, text: text)
        #expect(e.map(\.text) == ["Ann", "Lee"])
    }

    @Test func mergeRulesJoinAdjacentPartsInOrder() {
        let rules = [BIOSpanAggregator.MergeRule(parts: ["GIVEN_NAME", "SURNAME"], type: "PERSON"),
                     BIOSpanAggregator.MergeRule(parts: ["CITY", "ZIP_CODE"], type: "ADDRESS")]
        let text = "Ann Lee, Berlin, 10115 and Lee Ann"
        let tokens = [Self.token(0, 3, 0, "B-GIVEN_NAME"), Self.token(4, 7, 1, "B-SURNAME"),
                      Self.token(7, 8, 2, "O"), Self.token(9, 15, 3, "B-CITY"), Self.token(15, 16, 4, "O"),
                      Self.token(17, 22, 5, "B-ZIP_CODE"), Self.token(23, 26, 6, "O"),
                      Self.token(27, 30, 7, "B-SURNAME"), Self.token(31, 34, 8, "B-GIVEN_NAME")]
        let e = Self.aggregator(.first, rules: rules).entities(tokens: tokens, text: text)
        // surname before given name is out of the rule's order: two separate PERSON entities.
        #expect(e.map(\.text) == ["Ann Lee", "Berlin, 10115", "Lee", "Ann"])
        #expect(e.map(\.type) == ["PERSON", "ADDRESS", "PERSON", "PERSON"])
        #expect(e[0].parts.map(\.label) == ["GIVEN_NAME", "SURNAME"])
        #expect(e[1].parts.map(\.label) == ["CITY", "ZIP_CODE"])
    }

    @Test func everySpanTextMatchesTheDocument() {
        let text = "Mail maria.gonzalez@example.org now"
        // maria . gonzalez @ example . org — each its own word, each labelled B-EMAIL by a "simple" model.
        let bounds = [(5, 10), (10, 11), (11, 19), (19, 20), (20, 27), (27, 28), (28, 31)]
        let tokens = [Self.token(0, 4, 0, "O")] + bounds.enumerated().map { Self.token($1.0, $1.1, $0 + 1, "B-EMAIL") }
            + [Self.token(32, 35, 8, "O")]
        for strategy in BIOSpanAggregator.Strategy.allCases {
            let e = Self.aggregator(strategy).entities(tokens: tokens, text: text)
            #expect(e.map(\.text) == ["maria.gonzalez@example.org"], "strategy \(strategy)")
            let scalars = Array(text.unicodeScalars)
            for entity in e {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[entity.start ..< entity.end])
                #expect(String(view) == entity.text)
            }
        }
    }
}
