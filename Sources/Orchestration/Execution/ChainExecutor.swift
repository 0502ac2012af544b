import Canonical
import Foundation
import Inference

/// Why a chain could not run at all (document-level failures go into `errors[]` instead).
public enum ChainExecutionError: Error, Equatable, Sendable, CustomStringConvertible {
    case modelLoad(step: String, adapter: String, message: String)

    public var description: String {
        switch self {
        case let .modelLoad(step, adapter, message):
            return "step '\(step)': the model of adapter '\(adapter)' did not load: \(message)"
        }
    }
}

/// Runs a chain over canonical records: the `DocumentProcessor` behind `franca run`.
///
/// - Steps run in `ChainPlan.order` (after their `needs`; checks as soon as they can), one step at a time for all
///   records, so an encoder step makes one runner call for every document given to `process`.
/// - `when:` is evaluated per record (`WhenEvaluator`); false skips the step for that record. A step whose need
///   failed is not run (error kind `dependency-failed`).
/// - An adapter step that throws, runs past `limits.timeout` (error kind `timeout`) or returns output that does not
///   validate is retried once with its `fallback` adapter, with a `fallback` warning finding saying why. A check
///   step that produces findings triggers the fallback of every step it `needs` that has one: that step's items
///   are removed, the fallback adapter runs, and the check runs again. Steps that ran in between are not re-run
///   (checks run right after the step they check, so normally there are none).
/// - A step that finally fails adds one `errors[]` entry and leaves everything earlier steps wrote.
/// - Every attempt adds a provenance entry (adapter id and version, model id and sha256, parameters, startedAt,
///   durationMs, tokensIn/out; a batched call's time is shared evenly among its records).
public final class ChainExecutor: DocumentProcessor, @unchecked Sendable {  // immutable after init
    public enum ModelLoadFailure: Sendable {
        /// `process` throws: nothing of this chain can run (the batch runner's contract).
        case `throw`
        /// The step fails with error kind `model-load` in each record (and its fallback is tried).
        case recordError
    }

    public struct Options: Sendable {
        public var modelLoadFailure: ModelLoadFailure
        /// Builds the grammar constraint for `grammar: native-output` generators (nil: unconstrained).
        public var constraint: ConstraintProvider?
        /// The clock provenance `startedAt` reads.
        public var now: @Sendable () -> Date

        public init(modelLoadFailure: ModelLoadFailure = .throw, constraint: ConstraintProvider? = nil,
                    now: @escaping @Sendable () -> Date = { Date() }) {
            self.modelLoadFailure = modelLoadFailure
            self.constraint = constraint
            self.now = now
        }
    }

    public let project: Project
    public let chain: ChainDefinition
    /// Steps in the order they run.
    public let order: [ChainStep]
    public let runners: any RunnerProvider
    public let options: Options
    let canonical: JSONSchema

    public init(project: Project, chain: ChainDefinition, runners: any RunnerProvider, options: Options = Options()) throws {
        order = try ChainPlan.order(chain.steps)
        for step in chain.steps {
            if case .adapter(let id) = step.action, project.adapter(id) == nil {
                throw ChainPlanError.unknownAdapter(step: step.id, adapter: id)
            }
            if let f = step.fallback, project.adapter(f) == nil { throw ChainPlanError.unknownAdapter(step: step.id, adapter: f) }
        }
        self.project = project
        self.chain = chain
        self.runners = runners
        self.options = options
        canonical = try project.canonical?.schema ?? JSONSchema.canonical()
    }

    public func process(_ documents: [Document]) throws -> [CanonicalRecord] {
        try run(documents.map { CanonicalRecord(document: $0) })
    }

    /// Runs the chain over records that may already hold items (a code-change request carries its code artifact).
    public func run(_ records: [CanonicalRecord]) throws -> [CanonicalRecord] {
        var state = RunState(records: records)
        for step in order { try execute(step, &state) }
        return state.records
    }

    enum StepStatus { case done, skipped, failed }

    struct RunState {
        var records: [CanonicalRecord]
        var status: [[String: StepStatus]]
        var fallbackUsed: [Set<String>]

        init(records: [CanonicalRecord]) {
            self.records = records
            status = Array(repeating: [:], count: records.count)
            fallbackUsed = Array(repeating: [], count: records.count)
        }
    }

    // MARK: Steps

    func execute(_ step: ChainStep, _ state: inout RunState) throws {
        var eligible: [Int] = []
        for i in state.records.indices {
            if let failed = step.needs.first(where: { state.status[i][$0] == .failed }) {
                state.records[i].errors.append(StepError(step: step.id, kind: "dependency-failed",
                                                         message: "not run: it needs step '\(failed)', which failed"))
                state.status[i][step.id] = .failed
                continue
            }
            if let when = step.when {
                let json = (try? state.records[i].toJSONValue()) ?? .null
                switch Result(catching: { () throws(WhenEvaluationError) -> Bool in try WhenEvaluator.evaluate(when, record: json) }) {
                case .success(true): break
                case .success(false):
                    state.status[i][step.id] = .skipped
                    continue
                case .failure(let e):
                    state.records[i].errors.append(StepError(step: step.id, kind: "when",
                                                             message: "when '\(step.whenSource ?? when.description)': \(e)"))
                    state.status[i][step.id] = .failed
                    continue
                }
            }
            eligible.append(i)
        }
        guard !eligible.isEmpty else { return }
        switch step.action {
        case .adapter(let id):
            try runAdapter(step, adapterID: id, indices: eligible, &state, fallbackReason: nil)
        case .check(let kind):
            try runCheck(step, kind, indices: eligible, &state)
        case .transform(let kind):
            let records = state.records
            let transformed = eligible.parallelMap { i -> CanonicalRecord in
                let started = options.now(), t0 = DispatchTime.now()
                var record: CanonicalRecord
                switch kind {
                case .redact: record = Redactor.apply(to: records[i], step: step.id)
                }
                record.provenance.append(Provenance(step: step.id, check: kind.rawValue,
                                                    parameters: ["transform": .string(kind.rawValue)],
                                                    startedAt: Self.timestamp(started), durationMs: Self.elapsed(t0)))
                return record
            }
            for (i, record) in zip(eligible, transformed) {
                state.records[i] = record
                state.status[i][step.id] = .done
            }
        }
    }

    /// Runs an adapter (the step's own, or its fallback when `fallbackReason` is set) for some records.
    func runAdapter(_ step: ChainStep, adapterID: String, indices: [Int], _ state: inout RunState,
                    fallbackReason: String?) throws {
        guard !indices.isEmpty, let adapter = project.adapter(adapterID) else { return }
        var failures: [(index: Int, error: Error)] = []
        let runner: any ModelRunner
        do {
            runner = try runners.runner(for: adapter.model)
        } catch {
            if options.modelLoadFailure == .throw {
                throw ChainExecutionError.modelLoad(step: step.id, adapter: adapter.id, message: "\(error)")
            }
            failures = indices.map { ($0, ModelLoadError(message: "model '\(adapter.model.id)' did not load: \(error)")) }
            return try handleFailures(step, adapter: adapter, failures: failures, &state, wasFallback: fallbackReason != nil)
        }
        let engine: AdapterEngine
        do {
            engine = try AdapterEngine(adapter: adapter, project: project, constraint: options.constraint)
        } catch {
            return try handleFailures(step, adapter: adapter, failures: indices.map { ($0, error) }, &state,
                                      wasFallback: fallbackReason != nil)
        }
        let limits = step.limits
        let timeout = limits.timeout?.seconds
        let serial: (() throws -> [Result<AdapterRunResult, Error>]) throws -> [Result<AdapterRunResult, Error>] = { body in
            if let cache = self.runners as? RunnerCache { return try cache.withRunner(adapter.model.id, body) }
            return try body()
        }
        var outcomes: [(index: Int, result: Result<AdapterRunResult, Error>, started: Date, ms: Double, batch: Int)] = []
        if adapter.model.task == .generation, !runner.stepsGenerationsTogether {
            // One generation per record, each under the step's timeout.
            for i in indices {
                let record = state.records[i], started = options.now(), t0 = DispatchTime.now()
                let result: Result<AdapterRunResult, Error>
                do {
                    let list = try StepDeadline.run(seconds: timeout) {
                        try serial { engine.run([record], step: step.id, runner: runner, limits: limits) }
                    }
                    result = list.first ?? .failure(AdapterError.runnerContract(adapter: adapter.id, message: "no result"))
                } catch {
                    result = .failure(error)
                }
                outcomes.append((i, result, started, Self.elapsed(t0), 1))
            }
        } else {
            // One call for the batch; the timeout scales with the number of records in it. (A batched generation
            // also stops itself at the step's timeout: its `timeLimit`, which gives a `timeout` error.)
            let batch = indices.map { state.records[$0] }, started = options.now(), t0 = DispatchTime.now()
            var list: [Result<AdapterRunResult, Error>]
            do {
                list = try StepDeadline.run(seconds: timeout.map { $0 * Double(batch.count) }) {
                    try serial { engine.run(batch, step: step.id, runner: runner, limits: limits) }
                }
            } catch {
                list = Array(repeating: .failure(error), count: batch.count)
            }
            if list.count != batch.count {
                list = Array(repeating: .failure(AdapterError.runnerContract(adapter: adapter.id, message: "wrong result count")),
                             count: batch.count)
            }
            let each = Self.round(Self.elapsed(t0) / Double(batch.count))
            for (k, i) in indices.enumerated() { outcomes.append((i, list[k], started, each, batch.count)) }
        }
        for o in outcomes {
            var parameters: JSONObject = [:]
            var tokensIn = 0, tokensOut = 0
            if case .success(let r) = o.result {
                for (k, v) in r.parameters { parameters[k] = v }
                tokensIn = r.tokensIn
                tokensOut = r.tokensOut
            }
            if let t = timeout { parameters["timeoutSeconds"] = .number(t) }
            if o.batch > 1 { parameters["batch"] = .integer(Int64(o.batch)) }
            if let reason = fallbackReason {
                parameters["fallbackFor"] = .string(primaryAdapter(step) ?? "")
                parameters["fallbackReason"] = .string(reason)
            }
            if case .failure(let e) = o.result {
                parameters["failed"] = .string(Self.kind(of: e))
            }
            let provenance = Provenance(step: step.id, adapter: .init(id: adapter.id, version: adapter.version.description),
                                        model: adapter.model.file("weights").map { .init(id: adapter.model.id, sha256: $0.sha256) },
                                        parameters: parameters, startedAt: Self.timestamp(o.started), durationMs: o.ms,
                                        tokensIn: tokensIn, tokensOut: tokensOut)
            switch o.result {
            case .success(let r):
                state.records[o.index] = r.record
                state.records[o.index].provenance.append(provenance)
                state.status[o.index][step.id] = .done
            case .failure(let e):
                state.records[o.index].provenance.append(provenance)
                failures.append((o.index, e))
            }
        }
        try handleFailures(step, adapter: adapter, failures: failures, &state, wasFallback: fallbackReason != nil)
    }

    /// Tries the step's fallback for failed records, or records the failures in `errors[]`.
    func handleFailures(_ step: ChainStep, adapter: AdapterDefinition, failures: [(index: Int, error: Error)],
                        _ state: inout RunState, wasFallback: Bool) throws {
        guard !failures.isEmpty else { return }
        var retry: [Int] = []
        for (i, error) in failures {
            if !wasFallback, let fallback = step.fallback, !state.fallbackUsed[i].contains(step.id) {
                state.fallbackUsed[i].insert(step.id)
                addFinding(&state.records[i], rule: "fallback", severity: .warning, step: step.id,
                           message: "step '\(step.id)': adapter '\(adapter.id)' failed (\(Self.kind(of: error)): \(error)); "
                               + "ran fallback adapter '\(fallback)'")
                retry.append(i)
            } else {
                state.records[i].errors.append(StepError(step: step.id, kind: Self.kind(of: error), message: "\(error)"))
                state.status[i][step.id] = .failed
            }
        }
        if let fallback = step.fallback, !retry.isEmpty {
            try runAdapter(step, adapterID: fallback, indices: retry, &state, fallbackReason: "the step failed")
        }
    }

    func runCheck(_ step: ChainStep, _ kind: CheckKind, indices: [Int], _ state: inout RunState) throws {
        let records = state.records
        let results = indices.parallelMap { i in checkResult(step, kind, records[i]) }
        var failed: [Int] = []
        for (i, result) in zip(indices, results) where record(result, of: step, at: i, &state) { failed.append(i) }
        // A failed check re-runs each checked step (a `needs` with a fallback, not yet used) with its fallback.
        for need in step.needs {
            guard let checked = chain.step(need), case .adapter = checked.action, let fallback = checked.fallback else { continue }
            let targets = failed.filter { state.status[$0][need] == .done && !state.fallbackUsed[$0].contains(need) }
            guard !targets.isEmpty else { continue }
            for i in targets {
                state.fallbackUsed[i].insert(need)
                removeItems(producedBy: need, from: &state.records[i])
                addFinding(&state.records[i], rule: "fallback", severity: .warning, step: step.id,
                           message: "check '\(step.id)' failed; step '\(need)' re-ran with fallback adapter '\(fallback)'")
            }
            try runAdapter(checked, adapterID: fallback, indices: targets, &state, fallbackReason: "check '\(step.id)' failed")
            for i in targets where state.status[i][need] == .done { _ = check(step, kind, i, &state) }
        }
    }

    /// Runs one check on one record; true when it found problems.
    func check(_ step: ChainStep, _ kind: CheckKind, _ i: Int, _ state: inout RunState) -> Bool {
        record(checkResult(step, kind, state.records[i]), of: step, at: i, &state)
    }

    /// What one check found on one record, and its provenance entry (no shared state: runs on any thread).
    func checkResult(_ step: ChainStep, _ kind: CheckKind, _ record: CanonicalRecord) -> (findings: [Finding], provenance: Provenance) {
        let started = options.now(), t0 = DispatchTime.now()
        let findings = RecordChecks.run(kind, on: record, step: step.id, canonical: canonical)
        return (findings, Provenance(step: step.id, check: kind.rawValue, parameters: ["findings": .integer(Int64(findings.count))],
                                     startedAt: Self.timestamp(started), durationMs: Self.elapsed(t0)))
    }

    /// Adds a check's result to record `i`; true when it found problems.
    func record(_ result: (findings: [Finding], provenance: Provenance), of step: ChainStep, at i: Int,
                _ state: inout RunState) -> Bool {
        state.records[i].findings += result.findings
        state.records[i].provenance.append(result.provenance)
        state.status[i][step.id] = .done
        return !result.findings.isEmpty
    }

    func primaryAdapter(_ step: ChainStep) -> String? {
        if case .adapter(let id) = step.action { return id } else { return nil }
    }

    func removeItems(producedBy step: String, from record: inout CanonicalRecord) {
        record.entities.removeAll { $0.producedBy == step }
        record.obligations.removeAll { $0.producedBy == step }
        record.artifacts.removeAll { $0.producedBy == step }
        record.findings.removeAll { $0.producedBy == step }
    }

    func addFinding(_ record: inout CanonicalRecord, rule: String, severity: Finding.Severity, step: String, message: String) {
        let ids = record.findings.map { JSONValue.object(["id": .string($0.id)]) }
        record.findings.append(Finding(id: CanonicalDefaults.nextID(for: "findings", in: ids), rule: rule, severity: severity,
                                       message: message, evidence: [], producedBy: step))
    }

    // MARK: Helpers

    struct ModelLoadError: Error, CustomStringConvertible { var message: String; var description: String { message } }

    /// The `errors[].kind` for an error.
    static func kind(of error: Error) -> String {
        switch error {
        case is StepTimeout: return "timeout"
        case let e as AdapterError: return e.kind
        case is TransformError: return "invalid-output"
        case is ModelLoadError: return "model-load"
        default: return "model"
        }
    }

    static func timestamp(_ date: Date) -> String { ISOTimestamp.string(date) }

    static func elapsed(_ t0: DispatchTime) -> Double {
        round(Double(DispatchTime.now().uptimeNanoseconds &- t0.uptimeNanoseconds) / 1e6)
    }

    static func round(_ ms: Double) -> Double { (ms * 1000).rounded() / 1000 }
}
