import Foundation

/// Which already-finished documents must run again, and why, before a run starts.
///
/// A document runs again when the chain file changed, when a step that ran on it now has another fingerprint
/// (adapter file, adapter version or model sha256 — a step skipped by `when:` does not count), or, with
/// `--retry-failed`, when it failed. Documents rejected before the chain ran only re-run with `--retry-failed`
/// or when their bytes change (that is noticed while reading the input).
public struct RerunPlan: Sendable {
    /// Documents to run again.
    public var ids: [String]
    /// Reason → number of documents, e.g. "adapter rampart-pii 1.0.0 → 1.1.0 (step pii)": 12.
    public var reasons: [(reason: String, count: Int)]

    public init(entries: [String: Ledger.Entry], fingerprint: ChainFingerprint, previous: ChainFingerprint?, retryFailed: Bool) {
        var ids: [String] = []
        var counts: [String: Int] = [:]
        var order: [String] = []
        func add(_ id: String, _ reason: String) {
            ids.append(id)
            if counts[reason] == nil { order.append(reason) }
            counts[reason, default: 0] += 1
        }
        for id in entries.keys.sorted() {
            guard let e = entries[id] else { continue }
            switch e.state {
            case .pending:
                add(id, "left unfinished by an interrupted run")
                continue
            case .failed where retryFailed:
                add(id, "failed before (--retry-failed)")
                continue
            case .done, .failed:
                break
            }
            guard !e.chainFileHash.isEmpty else { continue }  // rejected before the chain ran
            if e.chainFileHash != fingerprint.chainFileSHA256 {
                add(id, "chain file \(fingerprint.chain).yaml changed")
                continue
            }
            for step in e.stepHashes.keys.sorted() where fingerprint.step(step)?.hash != e.stepHashes[step] {
                let what = previous.flatMap { fingerprint.changeDescription(step: step, from: $0) } ?? "step \(step) changed"
                add(id, "\(what) (step \(step))")
                break
            }
        }
        self.ids = ids
        reasons = order.map { ($0, counts[$0] ?? 0) }
    }

    /// One line per reason: "adapter rampart-pii 1.0.0 → 1.1.0 (step pii): 12 documents to re-run".
    public var lines: [String] {
        reasons.map { "\($0.reason): \($0.count) document\($0.count == 1 ? "" : "s") to re-run" }
    }
}
