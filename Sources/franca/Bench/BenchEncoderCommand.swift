import ArgumentParser
import Canonical
import Foundation
import Inference
import Orchestration

/// Encoder benchmarks: Rampart NER (vs onnxruntime) and MiniLM embeddings (vs sentence-transformers).
enum BenchEncoderCommand {
    struct Common: ParsableArguments {
        @OptionGroup var model: ModelOptions
        @Option(help: "Documents in the synthetic corpus.") var documents = 200
        @Option(help: "Sequences per forward pass.") var batch = 16
        @Option(help: "Timed repetitions (the best is reported).") var repeats = 3
        @Option(help: "Python with the reference runtime (default: $FRANCA_REF_PYTHON; skipped when absent).")
        var python: String?
        @Option(help: "Also write the results to this JSON file.") var jsonOut: String?
    }

    struct NER: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ner", abstract: "Token classification documents/s and tokens/s (Rampart vs onnxruntime).")
        @Argument(help: "Adapter or model id.") var modelName = "rampart-pii"
        @OptionGroup var common: Common

        func run() throws {
            try BenchEncoderCommand.run(task: "ner", modelName: modelName, common: common) { runner, texts, batch in
                (runner as? BertRunner)?.batchSize = batch
                let results = try runner.classifyTokens(texts, window: TokenWindowSpec())
                return results.reduce(0) { $0 + $1.tokens.count + 2 * $1.windowCount }
            }
        }
    }

    struct Embed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "embed", abstract: "Sentence embeddings/s (MiniLM vs sentence-transformers).")
        @Argument(help: "Adapter or model id.") var modelName = "all-minilm-l6-v2"
        @OptionGroup var common: Common

        func run() throws {
            try BenchEncoderCommand.run(task: "embed", modelName: modelName, common: common) { runner, texts, batch in
                (runner as? BertRunner)?.batchSize = batch
                _ = try runner.embed(texts, maxTokens: 256)
                return try texts.reduce(0) { $0 + min(256, try runner.tokenize($1).count) + 2 }
            }
        }
    }

    /// Times `work` (which returns the tokens it processed) at 1 and 2 threads, then the reference, and reports.
    static func run(task: String, modelName: String, common: Common,
                    work: (any ModelRunner, [String], Int) throws -> Int) throws {
        let (_, catalog, definition, _) = try common.model.resolve(modelName)
        let texts = SyntheticCorpus.documents(count: common.documents)
        var rows: [JSONValue] = []
        var franca: [Int: Double] = [:]
        for threads in [1, 2] {
            var options = common.model
            options.threads = threads
            let runner = try options.load(definition, catalog: catalog)
            _ = try work(runner, Array(texts.prefix(common.batch)), common.batch)  // warm-up
            var best = Double.infinity
            var tokens = 0
            for _ in 0 ..< max(1, common.repeats) {
                let start = Date()
                tokens = try work(runner, texts, common.batch)
                best = min(best, Date().timeIntervalSince(start))
            }
            franca[threads] = Double(texts.count) / best
            rows.append(row(runtime: "franca", threads: threads, documents: texts.count, tokens: tokens, seconds: best))
            Stderr.line(String(format: "franca %@ threads=%d: %.1f docs/s, %.0f tokens/s", task, threads,
                               Double(texts.count) / best, Double(tokens) / best))
        }
        let files = try catalog.locateOrFetch(definition, store: ModelStore())
        if let python = common.python ?? ProcessInfo.processInfo.environment["FRANCA_REF_PYTHON"],
           let weights = files["weights"], let vocab = files["vocab"] {
            let corpus = FileManager.default.temporaryDirectory.appendingPathComponent("franca-bench-\(getpid()).jsonl")
            try texts.map { JSONValue.object(["text": .string($0)]).serialized() }.joined(separator: "\n")
                .write(to: corpus, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: corpus) }
            let target = task == "ner" ? weights.path : weights.deletingLastPathComponent().path
            for threads in [1, 2] {
                do {
                    let ref = try reference(python: python, task: task, weights: target, vocab: vocab.path,
                                            corpus: corpus.path, threads: threads, batch: common.batch)
                    guard let docsPerSecond = ref["documentsPerSecond"]?.doubleValue else { continue }
                    var o = ref.objectValue ?? [:]
                    o["ratio"] = .number((franca[threads] ?? 0) / docsPerSecond)
                    rows.append(.object(o))
                    Stderr.line(String(format: "%@ threads=%d: %.1f docs/s → franca/reference = %.2f×",
                                       ref["runtime"]?.stringValue ?? "reference", threads, docsPerSecond,
                                       (franca[threads] ?? 0) / docsPerSecond))
                } catch {
                    Stderr.line("reference runtime failed: \(error)")
                }
            }
        } else {
            Stderr.line("reference runtime: not measured (pass --python or set FRANCA_REF_PYTHON to a Python with "
                        + (task == "ner" ? "onnxruntime and tokenizers" : "sentence-transformers") + ")")
        }
        let report = JSONValue.object(["benchmark": .string(task), "model": .string(definition.id),
                                       "cpu": .string(InferenceCore.cpu.description), "results": .array(rows)])
        print(report.serialized(options: [.pretty]))
        if let path = common.jsonOut { try report.serialized(options: [.pretty]).write(toFile: path, atomically: true, encoding: .utf8) }
    }

    static func row(runtime: String, threads: Int, documents: Int, tokens: Int, seconds: Double) -> JSONValue {
        .object(["runtime": .string(runtime), "threads": .integer(Int64(threads)), "documents": .integer(Int64(documents)),
                 "tokens": .integer(Int64(tokens)), "seconds": .number(seconds),
                 "documentsPerSecond": .number(Double(documents) / seconds), "tokensPerSecond": .number(Double(tokens) / seconds)])
    }

    static func reference(python: String, task: String, weights: String, vocab: String, corpus: String,
                          threads: Int, batch: Int) throws -> JSONValue {
        try runScript(python: python, script: "reference_encoders.py",
                      arguments: [task, weights, vocab, corpus, "--threads", "\(threads)", "--batch", "\(batch)"])
    }

    /// Runs `scripts/bench/<script>` (found next to the package sources) and parses its last stdout line as JSON.
    static func runScript(python: String, script name: String, arguments: [String]) throws -> JSONValue {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scripts/bench/\(name)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path] + arguments
        // stderr goes to a file: llama.cpp logs far more than a pipe holds, and a full stderr pipe would block the
        // script while we wait for its stdout.
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("franca-bench-\(getpid())-\(name).err")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let out = Pipe(), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? err.close()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        guard process.terminationStatus == 0 else {
            throw ValidationError("\(python) \(script.lastPathComponent) exited \(process.terminationStatus): "
                                  + String(decoding: errData.suffix(600), as: UTF8.self))
        }
        let lastLine = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        return try JSONValue.parse(lastLine)
    }
}
