import Canonical
import Foundation

/// How well predicted obligations agree with gold ones.
///
/// A predicted obligation aligns with the gold ones whose text contains its text or is contained in it (after
/// case and whitespace folding); when no gold text matches, with those whose span its evidence overlaps. Text
/// comes first because a compliance step's evidence is the sentence that shows an obligation met, never the
/// clause itself. Alignment is one-to-one and as large as possible. An aligned pair is *correct* when every field the gold line states (status, modality,
/// party, deadline) agrees; text fields compare case- and whitespace-insensitively.
public struct ObligationScores: Hashable, Sendable {
    public var gold = 0
    public var predicted = 0
    /// Gold obligations some prediction aligned with.
    public var aligned = 0
    /// Aligned gold obligations whose stated fields all agree.
    public var correct = 0
    /// Per field (`status`, `modality`, `party`, `deadline`): (agreeing, compared) over aligned pairs that state it.
    public var fields: [String: Rate] = [:]
    public var documents = 0

    public init() {}

    /// correct / gold: a gold obligation that was not found counts as wrong. 0 with no gold obligations.
    public var accuracy: Double { gold == 0 ? 0 : Double(correct) / Double(gold) }
    /// aligned / gold.
    public var recall: Double { gold == 0 ? 0 : Double(aligned) / Double(gold) }
    /// aligned / predicted.
    public var precision: Double { predicted == 0 ? 0 : Double(aligned) / Double(predicted) }

    public static func + (a: ObligationScores, b: ObligationScores) -> ObligationScores {
        var r = a
        r.gold += b.gold; r.predicted += b.predicted; r.aligned += b.aligned; r.correct += b.correct
        r.documents += b.documents
        for (k, v) in b.fields { r.fields[k, default: Rate()] += v }
        return r
    }
}

public enum ObligationMetrics {
    /// Case-folded, whitespace-collapsed text for comparisons.
    public static func fold(_ s: String) -> String {
        s.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func textAligns(_ p: Obligation, _ g: GoldObligation) -> Bool {
        let a = fold(p.text), b = fold(g.text)
        return !a.isEmpty && !b.isEmpty && (a.contains(b) || b.contains(a))
    }

    static func evidenceAligns(_ p: Obligation, _ g: GoldObligation) -> Bool {
        guard let span = g.span else { return false }
        return p.evidence.contains { $0.start < span.upperBound && span.lowerBound < $0.end }
    }

    /// One document's scores.
    public static func score(predicted: [Obligation], gold: [GoldObligation]) -> ObligationScores {
        let candidates = predicted.map { p in
            let byText = gold.indices.filter { textAligns(p, gold[$0]) }
            return byText.isEmpty ? gold.indices.filter { evidenceAligns(p, gold[$0]) } : byText
        }
        var owner = [Int?](repeating: nil, count: gold.count)
        func augment(_ p: Int, _ seen: inout [Bool]) -> Bool {
            for g in candidates[p] where !seen[g] {
                seen[g] = true
                if owner[g] == nil || augment(owner[g] ?? 0, &seen) { owner[g] = p; return true }
            }
            return false
        }
        for p in predicted.indices where !candidates[p].isEmpty {
            var seen = [Bool](repeating: false, count: gold.count)
            _ = augment(p, &seen)
        }
        var s = ObligationScores()
        s.documents = 1
        s.gold = gold.count
        s.predicted = predicted.count
        for (gi, pi) in owner.enumerated() {
            guard let pi else { continue }
            let g = gold[gi], p = predicted[pi]
            s.aligned += 1
            var allAgree = true
            func compare(_ field: String, _ agrees: Bool) {
                s.fields[field, default: Rate()].total += 1
                if agrees { s.fields[field, default: Rate()].passed += 1 } else { allAgree = false }
            }
            if let status = g.status { compare("status", status == p.status) }
            if let modality = g.modality { compare("modality", modality == p.modality) }
            if let party = g.party { compare("party", fold(party) == fold(p.party)) }
            if g.checksDeadline { compare("deadline", g.deadline.map(fold) == p.deadline.map(fold)) }
            if allAgree { s.correct += 1 }
        }
        return s
    }

    public static func score(documents: [(predicted: [Obligation], gold: [GoldObligation])]) -> ObligationScores {
        documents.reduce(ObligationScores()) { $0 + score(predicted: $1.predicted, gold: $1.gold) }
    }
}
