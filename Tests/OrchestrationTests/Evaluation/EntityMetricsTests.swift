import Testing
import Orchestration

/// Entity metrics against counts worked out by hand.
@Suite struct EntityMetricsTests {
    static func m(_ type: String, _ start: Int, _ end: Int) -> EntityMention {
        EntityMention(type: type, start: start, end: end, text: "")
    }

    // Gold: a name, an e-mail, a phone. Predicted: the name in two fragments, the e-mail exactly, the phone one
    // character short, and an address that is not there.
    static let gold = [m("PERSON", 0, 8), m("EMAIL", 12, 30), m("PHONE", 40, 48)]
    static let predicted = [m("PERSON", 0, 4), m("PERSON", 5, 8), m("EMAIL", 12, 30), m("PHONE", 40, 47), m("ADDRESS", 50, 55)]

    @Test func strictCountsOnlyExactSpans() {
        let s = EntityMetrics.score(predicted: Self.predicted, gold: Self.gold, matching: .strict)
        #expect(s.micro == MatchCounts(truePositives: 1, falsePositives: 4, falseNegatives: 2))
        #expect(s.micro.precision == 0.2)
        #expect(abs(s.micro.recall - 1.0 / 3) < 1e-12)
        #expect(s.micro.f1 == 0.25)  // 2·1 / (2·1 + 4 + 2)
        #expect(s.perType["PERSON"] == MatchCounts(truePositives: 0, falsePositives: 2, falseNegatives: 1))
        #expect(s.perType["EMAIL"] == MatchCounts(truePositives: 1))
        #expect(s.perType["PHONE"] == MatchCounts(truePositives: 0, falsePositives: 1, falseNegatives: 1))
        #expect(s.perType["ADDRESS"] == MatchCounts(falsePositives: 1))
        #expect(s.documents == 1)
    }

    @Test func overlapIsOneToOne() {
        let s = EntityMetrics.score(predicted: Self.predicted, gold: Self.gold, matching: .overlap)
        // One fragment of the name matches; the other is a false positive.
        #expect(s.micro == MatchCounts(truePositives: 3, falsePositives: 2, falseNegatives: 0))
        #expect(s.micro.precision == 0.6)
        #expect(s.micro.recall == 1)
        #expect(s.micro.f1 == 0.75)  // 6 / 8
        #expect(s.perType["PERSON"] == MatchCounts(truePositives: 1, falsePositives: 1))
        // Per-type F1: PERSON 2/3, EMAIL 1, PHONE 1, ADDRESS 0.
        #expect(abs(s.macroF1 - (2.0 / 3 + 1 + 1 + 0) / 4) < 1e-12)
    }

    @Test func typeMustAgreeInBothModes() {
        for matching in SpanMatching.allCases {
            let s = EntityMetrics.score(predicted: [Self.m("PHONE", 0, 8)], gold: [Self.m("PERSON", 0, 8)], matching: matching)
            #expect(s.micro == MatchCounts(truePositives: 0, falsePositives: 1, falseNegatives: 1), "\(matching)")
        }
    }

    @Test func largestMatchingNotGreedy() {
        // X overlaps both gold names, Y only the first. Greedy in order would pair X with A and leave Y unmatched;
        // the largest matching pairs Y–A and X–B.
        let gold = [Self.m("PERSON", 0, 10), Self.m("PERSON", 8, 20)]
        let predicted = [Self.m("PERSON", 5, 9), Self.m("PERSON", 0, 6)]
        let a = EntityMetrics.align(predicted: predicted, gold: gold, matching: .overlap)
        #expect(a.matches == [.init(predicted: 1, gold: 0), .init(predicted: 0, gold: 1)])
        #expect(a.spurious.isEmpty && a.missed.isEmpty)
    }

    @Test func duplicatePredictionIsAFalsePositive() {
        let s = EntityMetrics.score(predicted: [Self.m("EMAIL", 3, 9), Self.m("EMAIL", 3, 9)], gold: [Self.m("EMAIL", 3, 9)],
                                    matching: .strict)
        #expect(s.micro == MatchCounts(truePositives: 1, falsePositives: 1, falseNegatives: 0))
    }

    @Test func emptySpansOverlapNothing() {
        let s = EntityMetrics.score(predicted: [Self.m("URL", 4, 4)], gold: [Self.m("URL", 2, 6)], matching: .overlap)
        #expect(s.micro == MatchCounts(truePositives: 0, falsePositives: 1, falseNegatives: 1))
    }

    @Test func documentsSumMicro() {
        // Doc 1: tp 1 fp 0 fn 0. Doc 2 (no PII): one false positive. Doc 3: one miss.
        let s = EntityMetrics.score(documents: [
            ([Self.m("EMAIL", 0, 5)], [Self.m("EMAIL", 0, 5)]),
            ([Self.m("PHONE", 3, 9)], []),
            ([], [Self.m("PERSON", 1, 4)]),
        ], matching: .strict)
        #expect(s.documents == 3)
        #expect(s.micro == MatchCounts(truePositives: 1, falsePositives: 1, falseNegatives: 1))
        #expect(s.micro.f1 == 0.5)
        #expect(s.perType.keys.sorted() == ["EMAIL", "PERSON", "PHONE"])
    }

    @Test func nothingPredictedNothingToFind() {
        let c = MatchCounts()
        #expect(c.precision == 0 && c.recall == 0 && c.f1 == 0)
    }
}
