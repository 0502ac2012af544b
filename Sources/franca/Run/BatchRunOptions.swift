import ArgumentParser
import Canonical
import Foundation
import Inference
import Orchestration

/// The options only batch runs (`franca run CHAIN --input PATH --out DIR`) take, and the batch run itself.
struct BatchRunOptions: ParsableArguments {
    @Option(name: .long, help: "Batches in flight at once (default 1).")
    var concurrency: Int = 1

    @Option(name: .customLong("batch-size"), help: "Documents handed to the chain per call, so model calls batch (default 16).")
    var batchSize: Int = 16

    @Flag(name: .customLong("retry-failed"), help: "Run documents that failed in an earlier run of this --out folder again.")
    var retryFailed = false

    @Option(name: .customLong("max-document-bytes"), help: ArgumentHelp("Larger documents fail with kind too-large (default 1048576).", valueName: "n"))
    var maxDocumentBytes: Int = 1 << 20

    @Flag(name: .long, help: "No progress on stderr (errors are still printed).")
    var quiet = false

    static let discussion = """
    Batch runs: `franca run CHAIN --input PATH --out DIR`. PATH is a directory of .txt/.md files (id = relative \
    path without extension), a JSONL file, or '-' for JSONL on stdin; for JSONL, --id FIELD and --text FIELD name \
    the fields (default: the chain's input: settings, else id and text). DIR gets records.jsonl (one canonical \
    record per document, each exactly once), ledger.sqlite (state per document), summary.json and report.html. \
    Running the same command again resumes: finished documents are skipped, a changed document, adapter, model or \
    chain re-runs what it affects. Bad documents (invalid UTF-8 — rejected, not repaired —, empty, binary, over \
    --max-document-bytes, unreadable JSONL lines) fail alone with an errors[] entry of step 'input'. Progress: a \
    bar on a terminal, else one JSON event per line on stderr every 2 seconds.
    Batch exit codes: 0 every document done; 3 finished, some documents failed; 1 the run stopped (a model did \
    not load, the output folder is unusable); 64 usage error.
    """

    /// Runs the batch; ends the command with the batch exit code.
    func run(chain chainArgument: String, input: String?, out: String?, idField: String?, textField: String?,
             singleDocumentOptions: Bool, project projectOptions: ProjectOptions, threads: Int?) throws {
        guard let input, let out else { throw ProjectOptions.usage("a batch run needs both --input PATH and --out DIR") }
        if singleDocumentOptions { throw ProjectOptions.usage("--file and --record are for one document; a batch reads --input") }
        guard concurrency >= 1, batchSize >= 1, maxDocumentBytes >= 1 else {
            throw ProjectOptions.usage("--concurrency, --batch-size and --max-document-bytes must be at least 1")
        }
        let project = try projectOptions.loadProject()
        let chain = try ProjectOptions.chain(chainArgument, in: project)
        let source: any BatchInputSource
        do {
            source = try BatchInput.open(path: input, idField: idField ?? chain.input.idField, textField: textField ?? chain.input.textField,
                                         maxDocumentBytes: maxDocumentBytes)
        } catch {
            throw ProjectOptions.usage("\(error)")
        }
        do {
            let catalog = try ModelCatalog(project: project)
            let runtime = threads.map { RuntimeOptions(threads: $0) } ?? .default
            let runners = RunnerCache(catalog: catalog, store: ModelStore(), options: runtime, fetch: true)
            let executor = try ChainExecutor(project: project, chain: chain, runners: runners, options: .init(modelLoadFailure: .throw, constraint: NativeOutputGrammar.provider))
            let fingerprint = try ChainFingerprint(chain: chain, project: project)
            let runner = try BatchRunner(processor: executor, fingerprint: fingerprint, outDir: URL(fileURLWithPath: out),
                                         options: .init(batchSize: batchSize, concurrency: concurrency, retryFailed: retryFailed,
                                                        maxDocumentBytes: maxDocumentBytes))
            let plan = try runner.plan()
            if !quiet { for line in plan.lines { Stderr.line(line) } }
            let display = BatchProgressDisplay(quiet: quiet)
            runner.onCommit = { display.update($0) }
            display.start { runner.snapshot() }
            let outcome = try runner.run(input: source)
            display.finish(outcome.progress)
            let summary = try RunOutputs.write(outcome: outcome, runner: runner, input: input)
            if let fatal = outcome.fatal { Stderr.line("error: the run stopped: \(fatal)") }
            if !quiet {
                let dir = runner.outDir.path
                Stderr.line("\(summary.total) documents in \(dir)/records.jsonl: \(summary.done) done, \(summary.failed) failed"
                    + " (\(summary.processed) run now, \(summary.skipped) already done\(summary.duplicates > 0 ? ", \(summary.duplicates) duplicate ids ignored" : ""))")
                if !summary.failuresByKind.isEmpty {
                    Stderr.line("failures: " + summary.failuresByKind.keys.sorted().map { "\($0) \(summary.failuresByKind[$0] ?? 0)" }.joined(separator: ", "))
                }
                Stderr.line("summary: \(dir)/summary.json · report: \(dir)/report.html")
            }
            if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
        } catch let e as ExitCode {
            throw e
        } catch {
            Stderr.line("error: \(error)")
            throw ExitCode(1)
        }
    }
}
