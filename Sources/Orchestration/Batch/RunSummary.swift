import Canonical
import Foundation

/// `DIR/summary.json`: what a batch run produced, for people and for `franca diff`.
///
/// Counts cover the whole output folder (every document in `records.jsonl`, from this run and earlier ones);
/// `processed`, `skipped` and `duplicates` are about this run. Step timings and token totals are summed over
/// every record's `provenance`, one row per step and adapter (a fallback adapter gets its own row).
public struct RunSummary: Sendable {
    public static let fileName = "summary.json"
    public static let format = "franca-run-summary/v1"

    public struct StepStats: Sendable, Equatable {
        public var step: String
        public var adapter: String?
        public var adapterVersion: String?
        public var model: String?
        public var modelSHA256: String?
        public var check: String?
        public var runs = 0
        public var totalMs = 0.0
        public var tokensIn = 0
        public var tokensOut = 0
        public var meanMs: Double { runs > 0 ? totalMs / Double(runs) : 0 }
    }

    public var chain: String
    public var fingerprint: ChainFingerprint
    public var input: String
    public var startedAt: Date
    public var finishedAt: Date
    public var done = 0
    public var failed = 0
    public var processed = 0
    public var skipped = 0
    public var duplicates = 0
    public var rerunReasons: [(reason: String, count: Int)] = []
    /// `errors[].kind` of each failed document's first error → number of documents.
    public var failuresByKind: [String: Int] = [:]
    /// Documents whose records carry each kind anywhere in `errors[]` (a document may count under several).
    public var errorsByKind: [String: Int] = [:]
    public var steps: [StepStats] = []
    public var entities = 0
    public var obligations = 0
    public var findings = 0
    public var artifacts = 0
    public var fatal: String?

    public init(chain: String, fingerprint: ChainFingerprint, input: String, startedAt: Date, finishedAt: Date) {
        self.chain = chain; self.fingerprint = fingerprint; self.input = input
        self.startedAt = startedAt; self.finishedAt = finishedAt
    }

    public var total: Int { done + failed }

    /// 0 every document done, 3 finished with failed documents, 1 stopped early (fatal).
    public var exitCode: Int32 { fatal != nil ? 1 : (failed > 0 ? 3 : 0) }

    /// Adds one record of `records.jsonl`.
    public mutating func add(_ record: CanonicalRecord) {
        if let first = record.errors.first {
            failed += 1
            failuresByKind[first.kind, default: 0] += 1
            for kind in Set(record.errors.map(\.kind)) { errorsByKind[kind, default: 0] += 1 }
        } else {
            done += 1
        }
        entities += record.entities.count
        obligations += record.obligations.count
        findings += record.findings.count
        artifacts += record.artifacts.count
        for p in record.provenance {
            let index = steps.firstIndex { $0.step == p.step && $0.adapter == p.adapter?.id && $0.check == p.check } ?? {
                steps.append(StepStats(step: p.step, adapter: p.adapter?.id, adapterVersion: p.adapter?.version, model: p.model?.id,
                                       modelSHA256: p.model?.sha256, check: p.check))
                return steps.count - 1
            }()
            steps[index].runs += 1
            steps[index].totalMs += p.durationMs
            steps[index].tokensIn += p.tokensIn
            steps[index].tokensOut += p.tokensOut
        }
    }

    /// Steps in chain order (then any the chain does not name), fallbacks after their step's own adapter.
    public var orderedSteps: [StepStats] {
        let order = Dictionary(fingerprint.steps.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        return steps.enumerated().sorted { a, b in
            let x = order[a.element.step] ?? Int.max, y = order[b.element.step] ?? Int.max
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }

    public func json() throws -> JSONValue {
        func int(_ v: Int) -> JSONValue { .integer(Int64(v)) }
        func ms(_ v: Double) -> JSONValue { .number((v * 1000).rounded() / 1000) }
        var counts: JSONObject = ["total": int(total), "done": int(done), "failed": int(failed), "processed": int(processed),
                                  "skipped": int(skipped)]
        counts["duplicates"] = int(duplicates)
        counts["rerun"] = int(rerunReasons.reduce(0) { $0 + $1.count })
        var out: JSONObject = ["format": .string(Self.format), "chain": .string(chain), "input": .string(input)]
        out["startedAt"] = .string(Ledger.timestamp(startedAt))
        out["finishedAt"] = .string(Ledger.timestamp(finishedAt))
        out["elapsedSeconds"] = ms(finishedAt.timeIntervalSince(startedAt))
        out["exitCode"] = int(Int(exitCode))
        if let fatal { out["fatal"] = .string(fatal) }
        out["counts"] = .object(counts)
        out["outputs"] = .object(["entities": int(entities), "obligations": int(obligations), "findings": int(findings),
                                  "artifacts": int(artifacts)])
        out["rerunReasons"] = .array(rerunReasons.map { .object(["reason": .string($0.reason), "count": int($0.count)]) })
        out["failuresByKind"] = .object(JSONObject(failuresByKind.keys.sorted().map { ($0, int(failuresByKind[$0] ?? 0)) }))
        out["errorsByKind"] = .object(JSONObject(errorsByKind.keys.sorted().map { ($0, int(errorsByKind[$0] ?? 0)) }))
        out["steps"] = .array(orderedSteps.map { s in
            var o: JSONObject = ["step": .string(s.step)]
            if let a = s.adapter { o["adapter"] = .string(a) }
            if let v = s.adapterVersion { o["adapterVersion"] = .string(v) }
            if let m = s.model { o["model"] = .string(m) }
            if let h = s.modelSHA256 { o["modelSHA256"] = .string(h) }
            if let c = s.check { o["check"] = .string(c) }
            o["runs"] = int(s.runs)
            o["totalMs"] = ms(s.totalMs)
            o["meanMs"] = ms(s.meanMs)
            o["tokensIn"] = int(s.tokensIn)
            o["tokensOut"] = int(s.tokensOut)
            return .object(o)
        })
        out["fingerprint"] = try fingerprint.jsonValue()
        return .object(out)
    }
}
