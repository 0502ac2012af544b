import ArgumentParser
import Canonical
import Foundation
import Inference
import Orchestration

/// `franca bench batch`: a whole batch run (ledger, records, summary, report) over generated documents, and the
/// share of its wall time spent outside model forward passes.
struct BenchBatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "End-to-end documents/s of a chain over generated documents, and the time outside forward passes.",
        discussion: """
        Writes DOCUMENTS synthetic PII-bearing documents (names, e-mails, phones, addresses, filler sentences) as \
        JSONL, loads the chain's models once, then times `franca run CHAIN --input … --out …` as the command \
        does it — reading, screening, the chain, the ledger, records.jsonl, summary.json and report.html — at each \
        --concurrency, each into a fresh output folder. Forward-pass time is summed inside the model runners \
        (encoder batches, decoder evaluations); everything else (tokenizing, span aggregation, checks, JSON, \
        SQLite, the report) is "outside". Figures, never pass/fail.
        """
    )

    @Argument(help: "Chain name.") var chain = "pii-redaction"
    @Option(help: "Documents in the generated corpus.") var documents = 1000
    @Option(help: "Concurrency levels to time, comma-separated.") var concurrency = "1,2"
    @Option(name: .customLong("batch-size"), help: "Documents per chain call.") var batchSize = 16
    @Option(help: "Threads for the forward pass (default: every core).") var threads: Int?
    @Option(help: "Keep the corpus and run folders here instead of a temporary folder.") var keep: String?
    @Option(help: "Also write the results to this JSON file.") var jsonOut: String?
    @OptionGroup var project: ProjectOptions

    func run() throws {
        let levels = concurrency.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !levels.isEmpty, levels.allSatisfy({ $0 >= 1 }), documents >= 1, batchSize >= 1 else {
            throw ProjectOptions.usage("--concurrency takes positive integers (e.g. 1,2); --documents and --batch-size at least 1")
        }
        let project = try self.project.loadProject()
        let definition = try ProjectOptions.chain(chain, in: project)
        let dir = keep.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("franca-bench-batch-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: dir) } }

        let texts = SyntheticCorpus.documents(count: documents)
        let corpus = dir.appendingPathComponent("corpus.jsonl")
        try texts.enumerated().map { i, t in
            JSONValue.object(["id": .string(String(format: "doc-%05d", i)), "text": .string(t)]).serialized()
        }.joined(separator: "\n").appending("\n").write(to: corpus, atomically: true, encoding: .utf8)
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }

        let catalog = try ModelCatalog(project: project)
        let runtime = threads.map { RuntimeOptions(threads: $0) } ?? .default
        let runners = RunnerCache(catalog: catalog, store: ModelStore(), options: runtime, fetch: true)
        let executor = try ChainExecutor(project: project, chain: definition, runners: runners,
                                         options: .init(modelLoadFailure: .throw, constraint: NativeOutputGrammar.provider))
        let fingerprint = try ChainFingerprint(chain: definition, project: project)
        // Warm-up: loads every model the chain needs, outside the timed runs.
        _ = try executor.run(texts.prefix(batchSize).enumerated().map {
            CanonicalRecord(document: Document(id: "warm-\($0.offset)", text: $0.element, source: "warm-up"))
        })
        Stderr.line("\(definition.name): \(documents) documents (\(bytes / documents) bytes mean), batch size \(batchSize), \(runtime.threads) threads")

        var rows: [JSONValue] = []
        for level in levels {
            let out = dir.appendingPathComponent("run-c\(level)")
            let source = try BatchInput.open(path: corpus.path, idField: "id", textField: "text", maxDocumentBytes: 1 << 20)
            let runner = try BatchRunner(processor: executor, fingerprint: fingerprint, outDir: out,
                                         options: .init(batchSize: batchSize, concurrency: level))
            let before = ForwardPassClock.reading()
            let start = DispatchTime.now().uptimeNanoseconds
            let outcome = try runner.run(input: source)
            let summary = try RunOutputs.write(outcome: outcome, runner: runner, input: corpus.path)
            let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let after = ForwardPassClock.reading()
            let forward = after.seconds - before.seconds
            let outside = max(0, wall - forward) / wall
            Stderr.line(String(format: "concurrency %d: %.1f documents/s (%.2f s wall, %d done, %d failed); forward passes %.2f s in %llu calls; outside forward passes %.1f%% (target < 3%%)",
                               level, Double(documents) / wall, wall, summary.done, summary.failed, forward, after.calls - before.calls, outside * 100))
            rows.append(.object(["concurrency": .integer(Int64(level)), "documents": .integer(Int64(documents)),
                                 "done": .integer(Int64(summary.done)), "failed": .integer(Int64(summary.failed)),
                                 "seconds": .number(wall), "documentsPerSecond": .number(Double(documents) / wall),
                                 "forwardSeconds": .number(forward), "outsideShare": .number(outside)]))
        }
        let result = JSONValue.object(["benchmark": "batch", "chain": .string(definition.name), "threads": .integer(Int64(runtime.threads)),
                                       "batchSize": .integer(Int64(batchSize)), "runs": .array(rows)])
        print(result.serialized(options: [.pretty]))
        if let jsonOut { try (result.serialized(options: [.pretty]) + "\n").write(toFile: jsonOut, atomically: true, encoding: .utf8) }
    }
}
