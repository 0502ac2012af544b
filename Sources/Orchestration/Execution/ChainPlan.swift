/// Why a chain cannot be run in any order.
public enum ChainPlanError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownNeed(step: String, need: String)
    case cycle([String])
    case duplicateStep(String)
    case unknownAdapter(step: String, adapter: String)

    public var description: String {
        switch self {
        case let .unknownNeed(step, need): return "step '\(step)' needs unknown step '\(need)'"
        case let .cycle(ids): return "steps depend on each other in a cycle: \(ids.joined(separator: " → "))"
        case let .duplicateStep(id): return "duplicate step id '\(id)'"
        case let .unknownAdapter(step, adapter): return "step '\(step)' names unknown adapter '\(adapter)'"
        }
    }
}

/// The order steps run in: every step after the steps it `needs` (topological). Among steps that are ready, checks
/// and transforms go first — so a check runs right after the step it checks, before anything else can build on
/// output that is about to be replaced by a fallback — then file order.
public enum ChainPlan {
    public static func order(_ steps: [ChainStep]) throws(ChainPlanError) -> [ChainStep] {
        var byID: [String: Int] = [:]
        for (i, s) in steps.enumerated() {
            if byID[s.id] != nil { throw .duplicateStep(s.id) }
            byID[s.id] = i
        }
        for s in steps {
            for n in s.needs where byID[n] == nil { throw .unknownNeed(step: s.id, need: n) }
        }
        var done: Set<String> = []
        var order: [ChainStep] = []
        var remaining = steps
        while !remaining.isEmpty {
            let ready = remaining.indices.filter { remaining[$0].needs.allSatisfy(done.contains) }
            guard let first = ready.first else { throw .cycle(cycle(in: remaining)) }
            let pick = ready.first { if case .adapter = remaining[$0].action { return false } else { return true } } ?? first
            let step = remaining.remove(at: pick)
            done.insert(step.id)
            order.append(step)
        }
        return order
    }

    /// One cycle among steps none of which can run: follow unmet needs until a step repeats.
    static func cycle(in steps: [ChainStep]) -> [String] {
        let pending = Dictionary(steps.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        guard var current = steps.first?.id else { return [] }
        var path: [String] = []
        while !path.contains(current) {
            path.append(current)
            guard let next = pending[current]?.needs.first(where: { pending[$0] != nil }) else { return path }
            current = next
        }
        let start = path.firstIndex(of: current) ?? 0
        return Array(path[start...]) + [current]
    }
}
