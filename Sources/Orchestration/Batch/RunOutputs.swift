import Canonical
import Foundation

/// Writes `summary.json` and `report.html` from the ledger's committed records, in one pass.
public enum RunOutputs {
    @discardableResult
    public static func write(outcome: BatchRunner.Outcome, runner: BatchRunner, input: String,
                             report reportOptions: RunReport = RunReport()) throws -> RunSummary {
        var summary = RunSummary(chain: runner.fingerprint.chain, fingerprint: runner.fingerprint, input: input,
                                 startedAt: outcome.startedAt, finishedAt: outcome.finishedAt)
        summary.processed = outcome.progress.processed
        summary.skipped = outcome.progress.skipped
        summary.duplicates = outcome.progress.duplicates
        summary.rerunReasons = outcome.rerun.reasons
        summary.fatal = outcome.fatal
        var report = reportOptions
        try runner.ledger.forEachRecordLine { line in
            // Every line was validated before it was committed; one that no longer decodes is a corrupt ledger.
            let record = try CanonicalRecord(json: JSONValue.parse(line))
            summary.add(record)
            report.add(record)
        }
        let dir = runner.outDir
        try atomicWrite(Data((try summary.json().serialized(options: [.pretty]) + "\n").utf8), to: dir.appendingPathComponent(RunSummary.fileName))
        try atomicWrite(Data(report.html(summary: summary).utf8), to: dir.appendingPathComponent(RunReport.fileName))
        return summary
    }

    static func atomicWrite(_ data: Data, to url: URL) throws {
        do { try data.write(to: url, options: .atomic) } catch {
            throw BatchError.io(path: url.path, operation: "write", reason: "\(error)")
        }
    }
}
