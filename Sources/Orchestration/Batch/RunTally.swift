import Canonical
import Foundation

/// What `summary.json` and `report.html` need from the ledger's committed records, gathered while a run goes:
/// the records a run commits are added as it commits them, so the end of the run need not read every record
/// back from the ledger and decode it again.
///
/// It equals what `RunOutputs.fromLedger` computes only while the ledger's committed records are exactly those
/// it was given, in commit (`seq`) order: the ones already committed when the run started (read then), followed by
/// each batch as it is committed. A commit that replaces an earlier record breaks that (the old record was
/// counted), so `isValid` turns false and the outputs are recomputed from the ledger.
struct RunTally {
    /// Counts and per-step totals (chain, input and times are filled in by `RunOutputs`).
    var summary: RunSummary
    var report: RunReport
    private(set) var isValid = true

    init(fingerprint: ChainFingerprint) {
        summary = RunSummary(chain: fingerprint.chain, fingerprint: fingerprint, input: "",
                             startedAt: Date(timeIntervalSince1970: 0), finishedAt: Date(timeIntervalSince1970: 0))
        report = RunReport()
    }

    /// Starts from the records the ledger already holds (a resumed run's earlier documents).
    mutating func addCommitted(in ledger: Ledger) throws {
        try ledger.forEachRecordLine { line in add(try RunOutputs.decode(line)) }
    }

    /// Adds one committed record, in commit order.
    mutating func add(_ record: CanonicalRecord) {
        summary.add(record)
        report.add(record)
    }

    /// The ledger's records are no longer the ones added (a commit replaced an earlier record).
    mutating func invalidate() { isValid = false }
}
