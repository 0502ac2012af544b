import ArgumentParser
import Canonical
import Foundation
import Inference
import Orchestration

/// `franca bench generate`: prefill and decode tokens/s of a GGUF decoder at 1 and 2 threads, next to llama.cpp
/// (llama-cpp-python) measured on the same prompt tokens in the same invocation, and the peak RSS.
struct BenchGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Decoder prefill and decode tokens/s (vs llama.cpp) and peak RSS.")

    @Argument(help: "Adapter id, model id or .gguf path.") var modelName = "smollm2"
    @Option(help: "Prompt tokens (one prefill).") var promptTokens = 512
    @Option(help: "Greedy tokens decoded after the prompt.") var decodeTokens = 128
    @Option(help: "Timed repetitions (the best is reported).") var repeats = 2
    @Option(help: "Python with llama-cpp-python (default: $FRANCA_REF_PYTHON; skipped when absent).")
    var python: String?
    @Option(help: "Also write the results to this JSON file.") var jsonOut: String?
    @Option(help: ArgumentHelp("Also decode sampled (temperature 1.0) with and without the grammar of this JSON Schema "
                               + "file and report the grammar's decode overhead.", valueName: "schema"))
    var grammar: String?
    @OptionGroup var model: ModelOptions

    func run() throws {
        let path = try modelPath()
        let gguf = try GGUFFile(path: path)
        var rows: [JSONValue] = []
        var franca: [Int: (prefill: Double, decode: Double)] = [:]
        var prompt: [Int32] = []
        for threads in [1, 2] {
            let decoder = try DecoderModel(gguf: gguf, options: RuntimeOptions(threads: threads))
            if prompt.isEmpty {
                let text = SyntheticCorpus.documents(count: 64).joined(separator: "\n")
                prompt = Array(decoder.tokenizer.encode(text, addSpecial: true, parseSpecial: false).prefix(promptTokens))
            }
            let session = decoder.makeSession(contextLength: prompt.count + decodeTokens + 8)
            var bestPrefill = Double.infinity, bestDecode = Double.infinity
            for _ in 0...max(1, repeats) {  // the first run warms up
                session.reset()
                let t0 = Date()
                var logits = try session.evaluate(prompt)
                let prefill = Date().timeIntervalSince(t0)
                let t1 = Date()
                for _ in 0..<decodeTokens {
                    logits = try session.evaluate([Sampler.argmax(logits) ?? 0])
                }
                bestPrefill = min(bestPrefill, prefill)
                bestDecode = min(bestDecode, Date().timeIntervalSince(t1))
            }
            let p = Double(prompt.count) / bestPrefill, d = Double(decodeTokens) / bestDecode
            franca[threads] = (p, d)
            Stderr.line(String(format: "franca threads=%d: prefill %.1f tok/s, decode %.1f tok/s", threads, p, d))
            var row: JSONObject = ["runtime": .string("franca"), "threads": .integer(Int64(threads)),
                                   "promptTokens": .integer(Int64(prompt.count)), "decodeTokens": .integer(Int64(decodeTokens)),
                                   "prefillTokensPerSecond": .number(p), "decodeTokensPerSecond": .number(d),
                                   "decodeWeightBytesPerToken": .integer(Int64(decoder.weightBytes)),
                                   "kvCacheBytes": .integer(Int64(session.cacheBytes))]
            if let grammar {
                row["grammar"] = try grammarOverhead(grammar, decoder: decoder, prompt: prompt, session: session, threads: threads)
            }
            rows.append(.object(row))
        }
        if let python = python ?? ProcessInfo.processInfo.environment["FRANCA_REF_PYTHON"] {
            let ids = FileManager.default.temporaryDirectory.appendingPathComponent("franca-bench-gen-\(getpid()).json")
            try JSONValue.object(["prompt": .array(prompt.map { .integer(Int64($0)) })]).serialized()
                .write(to: ids, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: ids) }
            for threads in [1, 2] {
                do {
                    let ref = try BenchEncoderCommand.runScript(
                        python: python, script: "reference_generate.py",
                        arguments: [path, ids.path, "--threads", "\(threads)", "--decode", "\(decodeTokens)",
                                    "--repeats", "\(repeats)"])
                    var o = ref.objectValue ?? [:]
                    if let rp = ref["prefillTokensPerSecond"]?.doubleValue, let rd = ref["decodeTokensPerSecond"]?.doubleValue,
                       let f = franca[threads] {
                        o["prefillRatio"] = .number(f.prefill / rp)
                        o["decodeRatio"] = .number(f.decode / rd)
                        Stderr.line(String(format: "llama.cpp threads=%d: prefill %.1f tok/s, decode %.1f tok/s → "
                                           + "franca/llama.cpp prefill %.2f×, decode %.2f×", threads, rp, rd,
                                           f.prefill / rp, f.decode / rd))
                    }
                    rows.append(.object(o))
                } catch {
                    Stderr.line("llama.cpp reference failed: \(error)")
                }
            }
        } else {
            Stderr.line("llama.cpp: not measured (pass --python or set FRANCA_REF_PYTHON to a Python with llama-cpp-python)")
        }
        let rss = PeakMemory.residentBytes
        Stderr.line(String(format: "peak RSS %.1f MiB (this process, Franca only)", Double(rss) / 1_048_576))
        let report = JSONValue.object([
            "benchmark": .string("generate"), "model": .string(path), "cpu": .string(InferenceCore.cpu.description),
            "fileBytes": .integer(Int64(fileBytes(path))), "peakRSSBytes": .integer(Int64(rss)), "results": .array(rows)])
        print(report.serialized(options: [.pretty]))
        if let jsonOut { try report.serialized(options: [.pretty]).write(toFile: jsonOut, atomically: true, encoding: .utf8) }
    }

    /// Sampled decode tokens/s without and with the grammar, seeds 0..<max(2, repeats) each, same prompt (kept in
    /// the session, so only decoding is timed); the constrained runs end when the grammar completes.
    private func grammarOverhead(_ path: String, decoder: DecoderModel, prompt: [Int32], session: DecoderSession,
                                 threads: Int) throws -> JSONValue {
        let compiled = try JSONSchemaGrammar(schema: try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: path))))
        let vocabulary = GrammarVocabulary(tokenizer: decoder.tokenizer)
        let generator = Generator(model: decoder)
        var plain = (tokens: 0, seconds: 0.0), constrained = (tokens: 0, seconds: 0.0)
        for seed in 0..<max(2, repeats) {
            let options = GenerationOptions(maxTokens: decodeTokens, sampling: SamplingOptions(temperature: 1, seed: UInt64(seed)))
            let a = try generator.generate(prompt: prompt, session: session, options: options)
            plain.tokens += a.tokens.count
            plain.seconds += a.decodeSeconds
            let b = try generator.generate(prompt: prompt, session: session, options: options,
                                           constraint: GrammarTokenConstraint(grammar: compiled, vocabulary: vocabulary))
            constrained.tokens += b.tokens.count
            constrained.seconds += b.decodeSeconds
        }
        let without = Double(plain.tokens) / plain.seconds, with = Double(constrained.tokens) / constrained.seconds
        let overhead = (without / with - 1) * 100
        Stderr.line(String(format: "franca threads=%d sampled decode: %.1f tok/s without grammar (%d tokens), %.1f tok/s "
                           + "with %@ (%d tokens): grammar overhead %.1f%% per token", threads, without, plain.tokens, with,
                           (path as NSString).lastPathComponent, constrained.tokens, overhead))
        return .object(["schema": .string(path), "tokensWithout": .integer(Int64(plain.tokens)),
                        "tokensWith": .integer(Int64(constrained.tokens)), "decodeTokensPerSecondWithout": .number(without),
                        "decodeTokensPerSecondWith": .number(with), "overheadPercent": .number(overhead)])
    }

    private func fileBytes(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    private func modelPath() throws -> String {
        if modelName.hasSuffix(".gguf") || FileManager.default.fileExists(atPath: modelName) { return modelName }
        let (_, catalog, definition, _) = try model.resolve(modelName)
        guard definition.format == .gguf else { throw ValidationError("'\(modelName)' is not a GGUF decoder model") }
        let files = try catalog.locateOrFetch(definition, store: ModelStore())
        guard let weights = files["weights"] else { throw ValidationError("'\(modelName)' has no weights file") }
        return weights.path
    }
}

/// Peak resident memory of this process (`VmHWM` in /proc/self/status; 0 where that file does not exist).
enum PeakMemory {
    static var residentBytes: Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        let kib = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return kib * 1024
    }
}
