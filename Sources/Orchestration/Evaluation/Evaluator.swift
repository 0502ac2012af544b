import Canonical

/// What `franca eval` reports for one chain over a gold set.
public struct EvaluationReport: Hashable, Sendable {
    /// Entity and obligation scores for one slice of the records: a chain step, a model, or all of them.
    public struct Slice: Hashable, Sendable {
        /// Step id, model id, or `*` for the whole record.
        public var name: String
        /// Adapters and models seen running this slice (more than one when a fallback ran for some documents).
        public var adapters: [String]
        public var models: [String]
        public var strict: EntityScores
        public var overlap: EntityScores
        public var obligations: ObligationScores

        public init(name: String, adapters: [String] = [], models: [String] = [],
                    strict: EntityScores = EntityScores(matching: .strict),
                    overlap: EntityScores = EntityScores(matching: .overlap), obligations: ObligationScores = ObligationScores()) {
            self.name = name; self.adapters = adapters; self.models = models
            self.strict = strict; self.overlap = overlap; self.obligations = obligations
        }
    }

    public var documents: Int
    /// Gold documents with no record (scored as if nothing was found).
    public var missingRecords: [String]
    /// Every entity and obligation of the record, whichever step made it.
    public var overall: Slice
    /// One slice per step that produced entities or obligations (or was named in the options), in step order.
    public var steps: [Slice]
    /// One slice per model id, over the documents on which that model ran a scored step.
    public var models: [Slice]
    public var schemaValid: Rate
    /// Per check step.
    public var checks: [String: Rate]
    /// All check runs together.
    public var checkPassRate: Rate { checks.values.reduce(Rate(), +) }
}

/// Scores canonical records against a gold set, per step and per model.
public enum Evaluator {
    public struct Options: Sendable {
        /// Steps scored for entities even when they produced none (so a silent step shows recall 0).
        public var entitySteps: [String]
        /// Steps scored for obligations even when they produced none.
        public var obligationSteps: [String]
        /// Check steps of the chain (see `RecordMetrics.checkPassRates`).
        public var checkSteps: Set<String>

        public init(entitySteps: [String] = [], obligationSteps: [String] = [], checkSteps: Set<String> = []) {
            self.entitySteps = entitySteps; self.obligationSteps = obligationSteps; self.checkSteps = checkSteps
        }
    }

    /// Records are matched to gold documents by `document.id`; records without a gold document are ignored.
    /// `schema` nil skips schema validation (the rate is then 0 of 0).
    public static func evaluate(gold: [GoldDocument], records: [CanonicalRecord], schema: JSONSchema?,
                                options: Options = Options()) -> EvaluationReport {
        var byID: [String: CanonicalRecord] = [:]
        for r in records where byID[r.document.id] == nil { byID[r.document.id] = r }
        let matched = gold.compactMap { byID[$0.id] }

        // Steps in first-seen order: options first, then provenance, then producers.
        var stepOrder: [String] = []
        func note(_ s: String) { if !stepOrder.contains(s) { stepOrder.append(s) } }
        options.entitySteps.forEach(note)
        options.obligationSteps.forEach(note)
        for r in matched { r.provenance.forEach { if $0.check == nil { note($0.step) } } }
        for r in matched { r.entities.forEach { note($0.producedBy) }; r.obligations.forEach { note($0.producedBy) } }
        let entitySteps = Set(options.entitySteps).union(matched.flatMap { $0.entities.map(\.producedBy) })
        let obligationSteps = Set(options.obligationSteps).union(matched.flatMap { $0.obligations.map(\.producedBy) })
        let scored = stepOrder.filter { entitySteps.contains($0) || obligationSteps.contains($0) }

        var overall = EvaluationReport.Slice(name: "*")
        var steps = Dictionary(uniqueKeysWithValues: scored.map { ($0, EvaluationReport.Slice(name: $0)) })
        var models: [String: EvaluationReport.Slice] = [:]
        var modelOrder: [String] = []

        for g in gold {
            let record = byID[g.id]
            let entities = record?.entities ?? []
            let obligations = record?.obligations ?? []
            func add(_ slice: inout EvaluationReport.Slice, entities: [Entity]?, obligations: [Obligation]?) {
                if let goldEntities = g.entities, let entities {
                    let p = entities.map(EntityMention.init)
                    slice.strict = slice.strict + EntityMetrics.score(predicted: p, gold: goldEntities, matching: .strict)
                    slice.overlap = slice.overlap + EntityMetrics.score(predicted: p, gold: goldEntities, matching: .overlap)
                }
                if let goldObligations = g.obligations, let obligations {
                    slice.obligations = slice.obligations + ObligationMetrics.score(predicted: obligations, gold: goldObligations)
                }
            }
            add(&overall, entities: entities, obligations: obligations)
            for step in scored {
                // A step whose fallback ran has two runs; the last one's output is what the record holds.
                let runs = record?.provenance.filter { $0.step == step } ?? []
                let run = runs.last
                var slice = steps[step] ?? EvaluationReport.Slice(name: step)
                for r in runs {
                    if let a = r.adapter?.id, !slice.adapters.contains(a) { slice.adapters.append(a) }
                    if let m = r.model?.id, !slice.models.contains(m) { slice.models.append(m) }
                }
                let e = entitySteps.contains(step) ? entities.filter { $0.producedBy == step } : nil
                let o = obligationSteps.contains(step) ? obligations.filter { $0.producedBy == step } : nil
                add(&slice, entities: e, obligations: o)
                steps[step] = slice
                // Per model: only documents where that model produced what the record holds for the step.
                if let m = run?.model?.id {
                    if models[m] == nil { models[m] = EvaluationReport.Slice(name: m); modelOrder.append(m) }
                    var ms = models[m] ?? EvaluationReport.Slice(name: m)
                    if let a = run?.adapter?.id, !ms.adapters.contains(a) { ms.adapters.append(a) }
                    if !ms.models.contains(m) { ms.models.append(m) }
                    add(&ms, entities: e, obligations: o)
                    models[m] = ms
                }
            }
        }
        let schemaValid = schema.map { RecordMetrics.schemaValidRate(matched, schema: $0) } ?? Rate()
        return EvaluationReport(documents: gold.count, missingRecords: gold.filter { byID[$0.id] == nil }.map(\.id),
                                overall: overall, steps: scored.compactMap { steps[$0] },
                                models: modelOrder.compactMap { models[$0] }, schemaValid: schemaValid,
                                checks: RecordMetrics.checkPassRates(matched, checkSteps: options.checkSteps))
    }
}
