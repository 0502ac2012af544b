import Canonical

/// An entity reduced to what evaluation compares: canonical type and exact span (Unicode-scalar offsets).
public struct EntityMention: Hashable, Sendable, Codable {
    public var type: String
    public var start: Int
    public var end: Int
    public var text: String

    public init(type: String, start: Int, end: Int, text: String) {
        self.type = type; self.start = start; self.end = end; self.text = text
    }

    public init(_ entity: Entity) {
        self.init(type: entity.type.rawValue, start: entity.start, end: entity.end, text: entity.text)
    }

    /// Shares at least one character with `other` (empty spans overlap nothing).
    public func overlaps(_ other: EntityMention) -> Bool {
        start < end && other.start < other.end && start < other.end && other.start < end
    }
}

/// How a predicted entity must agree with a gold one to count as found.
public enum SpanMatching: String, Sendable, CaseIterable, Codable {
    /// Same type, same start and same end.
    case strict
    /// Same type and at least one character in common. Matching is one-to-one: of three fragments of one gold
    /// name, one is a true positive and two are false positives (else splitting a name would raise precision).
    case overlap
}

/// True positives, false positives and false negatives, with the rates derived from them.
public struct MatchCounts: Hashable, Sendable {
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0

    public init(truePositives: Int = 0, falsePositives: Int = 0, falseNegatives: Int = 0) {
        self.truePositives = truePositives; self.falsePositives = falsePositives; self.falseNegatives = falseNegatives
    }

    public var predicted: Int { truePositives + falsePositives }
    public var gold: Int { truePositives + falseNegatives }
    /// tp / (tp + fp); 0 when nothing was predicted.
    public var precision: Double { predicted == 0 ? 0 : Double(truePositives) / Double(predicted) }
    /// tp / (tp + fn); 0 when there is nothing to find.
    public var recall: Double { gold == 0 ? 0 : Double(truePositives) / Double(gold) }
    /// Harmonic mean of precision and recall, 2tp / (2tp + fp + fn); 0 when both are 0.
    public var f1: Double {
        let d = 2 * truePositives + falsePositives + falseNegatives
        return d == 0 ? 0 : Double(2 * truePositives) / Double(d)
    }

    public static func + (a: MatchCounts, b: MatchCounts) -> MatchCounts {
        MatchCounts(truePositives: a.truePositives + b.truePositives, falsePositives: a.falsePositives + b.falsePositives,
                    falseNegatives: a.falseNegatives + b.falseNegatives)
    }

    public static func += (a: inout MatchCounts, b: MatchCounts) { a = a + b }
}

/// Entity scores over a set of documents under one matching rule: micro-averaged and per canonical type.
public struct EntityScores: Hashable, Sendable {
    public var matching: SpanMatching
    /// Sums over every document and type (micro average).
    public var micro: MatchCounts
    /// Per canonical type (a type appears when it is in the gold set or was predicted).
    public var perType: [String: MatchCounts]
    public var documents: Int

    public init(matching: SpanMatching, micro: MatchCounts = MatchCounts(), perType: [String: MatchCounts] = [:],
                documents: Int = 0) {
        self.matching = matching; self.micro = micro; self.perType = perType; self.documents = documents
    }

    /// Per-type F1 averaged with equal weight per type (macro average); 0 with no types.
    public var macroF1: Double {
        perType.isEmpty ? 0 : perType.values.reduce(0) { $0 + $1.f1 } / Double(perType.count)
    }

    public static func + (a: EntityScores, b: EntityScores) -> EntityScores {
        var r = a
        r.micro += b.micro
        for (t, c) in b.perType { r.perType[t, default: MatchCounts()] += c }
        r.documents += b.documents
        return r
    }
}

/// One document's predictions laid against its gold entities.
public struct EntityAlignment: Hashable, Sendable {
    /// Index pairs (into the predicted and gold arrays) that count as matches.
    public var matches: [Pair]
    /// Predicted entities with no gold match (false positives), by index.
    public var spurious: [Int]
    /// Gold entities no prediction matched (false negatives), by index.
    public var missed: [Int]

    public struct Pair: Hashable, Sendable {
        public var predicted: Int
        public var gold: Int
        public init(predicted: Int, gold: Int) { self.predicted = predicted; self.gold = gold }
    }
}

/// Entity precision, recall and F1, strict and overlap.
public enum EntityMetrics {
    /// A largest one-to-one matching between predicted and gold entities of the same type (augmenting paths, so
    /// the count does not depend on the order of the arrays).
    public static func align(predicted: [EntityMention], gold: [EntityMention], matching: SpanMatching) -> EntityAlignment {
        func agrees(_ p: EntityMention, _ g: EntityMention) -> Bool {
            guard p.type == g.type else { return false }
            switch matching {
            case .strict: return p.start == g.start && p.end == g.end
            case .overlap: return p.overlaps(g)
            }
        }
        let candidates = predicted.map { p in gold.indices.filter { agrees(p, gold[$0]) } }
        var goldOwner = [Int?](repeating: nil, count: gold.count)
        func augment(_ p: Int, _ seen: inout [Bool]) -> Bool {
            for g in candidates[p] where !seen[g] {
                seen[g] = true
                if let owner = goldOwner[g] {
                    if augment(owner, &seen) { goldOwner[g] = p; return true }
                } else {
                    goldOwner[g] = p
                    return true
                }
            }
            return false
        }
        for p in predicted.indices where !candidates[p].isEmpty {
            var seen = [Bool](repeating: false, count: gold.count)
            _ = augment(p, &seen)
        }
        var matches: [EntityAlignment.Pair] = []
        var matchedPredicted = Set<Int>()
        for (g, owner) in goldOwner.enumerated() {
            if let p = owner { matches.append(.init(predicted: p, gold: g)); matchedPredicted.insert(p) }
        }
        matches.sort { $0.gold < $1.gold }
        return EntityAlignment(matches: matches,
                               spurious: predicted.indices.filter { !matchedPredicted.contains($0) },
                               missed: goldOwner.indices.filter { goldOwner[$0] == nil })
    }

    /// One document's counts.
    public static func score(predicted: [EntityMention], gold: [EntityMention], matching: SpanMatching) -> EntityScores {
        let a = align(predicted: predicted, gold: gold, matching: matching)
        var scores = EntityScores(matching: matching, documents: 1)
        for m in a.matches { scores.perType[gold[m.gold].type, default: MatchCounts()].truePositives += 1 }
        for p in a.spurious { scores.perType[predicted[p].type, default: MatchCounts()].falsePositives += 1 }
        for g in a.missed { scores.perType[gold[g].type, default: MatchCounts()].falseNegatives += 1 }
        scores.micro = MatchCounts(truePositives: a.matches.count, falsePositives: a.spurious.count,
                                   falseNegatives: a.missed.count)
        return scores
    }

    /// Counts summed over documents (micro average), each document given as (predicted, gold).
    public static func score(documents: [(predicted: [EntityMention], gold: [EntityMention])],
                             matching: SpanMatching) -> EntityScores {
        documents.reduce(EntityScores(matching: matching)) { $0 + score(predicted: $1.predicted, gold: $1.gold, matching: matching) }
    }
}
