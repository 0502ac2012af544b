import Canonical
import Testing
import Orchestration

/// Obligation alignment and accuracy against hand-worked cases.
@Suite struct ObligationMetricsTests {
    // "The Supplier must deliver the goods by 1 May. The Buyer must pay within 30 days. The Buyer may audit."
    //  0                                          44                                     83
    static let gold = [
        GoldObligation(text: "The Supplier must deliver the goods by 1 May.", span: 0 ..< 45, modality: .must,
                       party: "Supplier", deadline: "1 May", checksDeadline: true, status: .met),
        GoldObligation(text: "The Buyer must pay within 30 days.", modality: .must, status: .unmet),
        GoldObligation(text: "The Buyer may audit.", span: 81 ..< 101, modality: .may),
    ]

    static func o(_ text: String, _ modality: Obligation.Modality, _ party: String, _ deadline: String?,
                  _ status: Obligation.Status, evidence: [Span] = []) -> Obligation {
        Obligation(id: text, text: text, modality: modality, party: party, action: "", deadline: deadline,
                   status: status, evidence: evidence, producedBy: "obligations")
    }

    @Test func alignsBySpanOrTextAndComparesStatedFields() {
        let predicted = [
            // Evidence overlaps gold 0; every stated field agrees (party and deadline fold case and spaces).
            Self.o("Supplier delivers goods", .must, "the supplier", "1  may", .met, evidence: [Span(start: 10, end: 30, text: "")]),
            // No evidence: aligns with gold 1 by text containment; status wrong.
            Self.o("the buyer MUST pay within 30 days", .must, "Buyer", nil, .met),
            // Matches nothing (evidence outside every gold span, text not contained).
            Self.o("Nobody may smoke", .mustNot, "x", nil, .unknown, evidence: [Span(start: 200, end: 210, text: "")]),
        ]
        let s = ObligationMetrics.score(predicted: predicted, gold: Self.gold)
        #expect(s.gold == 3 && s.predicted == 3 && s.aligned == 2)
        // Gold 0: party "Supplier" vs "the supplier" differs → not correct. Gold 1: status differs.
        #expect(s.correct == 0)
        #expect(s.fields["status"] == Rate(passed: 1, total: 2))
        #expect(s.fields["modality"] == Rate(passed: 2, total: 2))
        #expect(s.fields["party"] == Rate(passed: 0, total: 1))
        #expect(s.fields["deadline"] == Rate(passed: 1, total: 1))
        #expect(s.accuracy == 0)
        #expect(abs(s.recall - 2.0 / 3) < 1e-12)
    }

    @Test func correctWhenEveryStatedFieldAgrees() {
        let predicted = [
            Self.o("x", .must, " SUPPLIER ", "1 May", .met, evidence: [Span(start: 0, end: 5, text: "")]),
            Self.o("x", .may, "Buyer", nil, .unknown, evidence: [Span(start: 90, end: 95, text: "")]),
        ]
        let s = ObligationMetrics.score(predicted: predicted, gold: Self.gold)
        #expect(s.aligned == 2 && s.correct == 2)
        #expect(abs(s.accuracy - 2.0 / 3) < 1e-12)  // the unfound gold obligation counts as wrong
        #expect(s.precision == 1)
    }

    @Test func clauseTextAlignsWhateverTheEvidence() {
        // The clause of gold 2 quoted exactly, with a compliance step's evidence elsewhere (never the clause):
        // here inside gold 0's span, which the text match overrides.
        let p = Self.o("The Buyer may audit.", .may, "Buyer", nil, .unknown, evidence: [Span(start: 0, end: 12, text: "")])
        let s = ObligationMetrics.score(predicted: [p], gold: Self.gold)
        #expect(s.aligned == 1 && s.correct == 1)
    }

    @Test func nullDeadlineMustBeNull() {
        let gold = [GoldObligation(text: "pay", deadline: nil, checksDeadline: true)]
        let withDeadline = ObligationMetrics.score(predicted: [Self.o("pay", .must, "", "soon", .unknown)], gold: gold)
        let without = ObligationMetrics.score(predicted: [Self.o("pay", .must, "", nil, .unknown)], gold: gold)
        #expect(withDeadline.correct == 0 && without.correct == 1)
    }
}
