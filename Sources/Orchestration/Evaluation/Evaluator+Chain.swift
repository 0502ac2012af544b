import Canonical

extension Evaluator.Options {
    /// What a chain's steps are scored for: adapter steps that produce `entities` or `obligations` — their output
    /// transforms write the field and their input does not read it (a step that reads obligations and writes their
    /// status updates another step's items: those keep their producer) — the step's fallback adapter counting too
    /// (it writes under the same step id), and the chain's check steps.
    public init(chain: ChainDefinition, project: Project) {
        var entitySteps: [String] = [], obligationSteps: [String] = []
        var checkSteps = Set<String>()
        for step in chain.steps {
            switch step.action {
            case .check:
                checkSteps.insert(step.id)
            case .transform:
                continue
            case .adapter(let name):
                let adapters = ([name] + (step.fallback.map { [$0] } ?? [])).compactMap { project.adapter($0) }
                let read = Set(adapters.flatMap(\.input.canonicalFields))
                let fields = Set(adapters.flatMap { $0.output.flatMap(\.canonicalFields) }).subtracting(read)
                if fields.contains("entities") { entitySteps.append(step.id) }
                if fields.contains("obligations") { obligationSteps.append(step.id) }
            }
        }
        self.init(entitySteps: entitySteps, obligationSteps: obligationSteps, checkSteps: checkSteps)
    }
}

private func top(_ path: CanonicalPath) -> String? {
    if case .field(let name)? = path.segments.first { return name }
    return nil
}

extension InputSpec {
    /// The top-level canonical fields this input reads.
    var canonicalFields: [String] {
        switch self {
        case .text(let t): return top(t.text).map { [$0] } ?? []
        case .fields(let maps): return maps.compactMap { if case .canonical(let p) = $0.from { return top(p) } else { return nil } }
        case .prompt(let p): return (p.template.placeholders + (p.system?.placeholders ?? [])).compactMap(top)
        }
    }
}

extension OutputTransform {
    /// The top-level canonical fields this transform writes into.
    var canonicalFields: [String] {
        switch self {
        case .bioSpans(let t): return top(t.into).map { [$0] } ?? []
        case .unifiedDiff(let t): return top(t.into).map { [$0] } ?? []
        case .embedding(let t): return top(t.into).map { [$0] } ?? []
        case .json(let t):
            return t.map.compactMap { if case .canonical(let p) = $0.to { return top(p) } else { return nil } }
        }
    }
}
