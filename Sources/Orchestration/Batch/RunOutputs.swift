import Canonical
import Foundation

/// Writes `summary.json` and `report.html` covering every committed record of the ledger (this run's and
/// earlier runs'), in commit order.
public enum RunOutputs {
    /// - Parameter recompute: read every record back from the ledger even when the run gathered what the outputs
    ///   need as it went (`RunTally`); both give the same files.
    @discardableResult
    public static func write(outcome: BatchRunner.Outcome, runner: BatchRunner, input: String,
                             report reportOptions: RunReport = RunReport(), recompute: Bool = false) throws -> RunSummary {
        var summary: RunSummary
        var report: RunReport
        if !recompute, let tally = runner.finishedTally, tally.report.hasLimits(of: reportOptions) {
            summary = tally.summary
            report = tally.report
        } else {
            summary = RunSummary(chain: runner.fingerprint.chain, fingerprint: runner.fingerprint, input: input,
                                 startedAt: outcome.startedAt, finishedAt: outcome.finishedAt)
            report = reportOptions
            try runner.ledger.forEachRecordLine { line in
                let record = try decode(line)
                summary.add(record)
                report.add(record)
            }
        }
        summary.input = input
        summary.startedAt = outcome.startedAt
        summary.finishedAt = outcome.finishedAt
        summary.processed = outcome.progress.processed
        summary.skipped = outcome.progress.skipped
        summary.duplicates = outcome.progress.duplicates
        summary.rerunReasons = outcome.rerun.reasons
        summary.fatal = outcome.fatal
        let dir = runner.outDir
        try atomicWrite(Data((try summary.json().serialized(options: [.pretty]) + "\n").utf8), to: dir.appendingPathComponent(RunSummary.fileName))
        try atomicWrite(Data(report.html(summary: summary).utf8), to: dir.appendingPathComponent(RunReport.fileName))
        return summary
    }

    /// A committed record line. Every line was validated before it was committed; one that no longer decodes is a
    /// corrupt ledger.
    static func decode(_ line: String) throws -> CanonicalRecord {
        try CanonicalRecord(json: JSONValue.parse(line))
    }

    static func atomicWrite(_ data: Data, to url: URL) throws {
        do { try data.write(to: url, options: .atomic) } catch {
            throw BatchError.io(path: url.path, operation: "write", reason: "\(error)")
        }
    }
}
