import ArgumentParser
import Canonical
import Foundation
import Inference
import Orchestration

/// `franca bench all`: every speed benchmark of the issue in one invocation, each in its own child process (so each
/// peak RSS is its own), then one side-by-side table of Franca, the reference runtime and their ratios.
struct BenchSuiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Every benchmark side by side with its reference runtime, in one invocation (and one JSON file).",
        discussion: """
        Runs, each as a child `franca bench …` process: the memory-bandwidth ceiling (bench kernels), decode and \
        prefill of SmolLM2 Q4_1, Gemma 3 270M Q4_K_M and a random-weight Q1_0 model of Bonsai-1.7B's shape (vs \
        llama.cpp), Rampart NER (vs onnxruntime) and MiniLM embeddings (vs sentence-transformers). The Q1_0 model \
        is written once by scripts/bench/bonsai_shape_q1_0.py (the reference Python needs numpy and gguf) into \
        $FRANCA_MODELS/bench/. Figures, never pass/fail: the exit code is 0 whether or not a target is met.
        """
    )

    @Option(help: "Python with llama-cpp-python, onnxruntime, tokenizers, sentence-transformers, gguf (default: $FRANCA_REF_PYTHON).")
    var python: String?
    @Option(help: "Benchmarks to run, comma separated, of: kernels, smollm2, gemma3, bonsai-q1_0, ner, embed.")
    var only = "kernels,smollm2,gemma3,bonsai-q1_0,ner,embed"
    @Flag(help: "Shorter runs (fewer tokens, documents and repeats): a smoke test of the suite, noisier figures.")
    var quick = false
    @Option(help: "Also write every report and the table's rows to this JSON file.") var jsonOut: String?
    @OptionGroup var project: ProjectOptions

    func run() throws {
        let selected = Set(only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let known: Set<String> = ["kernels", "smollm2", "gemma3", "bonsai-q1_0", "ner", "embed"]
        guard selected.isSubset(of: known), !selected.isEmpty else {
            throw ProjectOptions.usage("--only takes some of: \(known.sorted().joined(separator: ", "))")
        }
        let python = python ?? ProcessInfo.processInfo.environment["FRANCA_REF_PYTHON"]
        if python == nil {
            Stderr.line("reference runtimes: not measured (pass --python or set FRANCA_REF_PYTHON); Franca's figures only")
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("franca-bench-all-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        var reports: JSONObject = [:]
        var rows: [BenchSuiteRow] = []
        var ceiling: [Int: Double] = [:]
        func child(_ name: String, _ arguments: [String]) -> JSONValue? {
            let out = work.appendingPathComponent("\(name).json")
            var args = arguments + ["--json-out", out.path]
            if let python, arguments.first != "kernels" { args += ["--python", python] }
            if let root = project.root, arguments.first != "kernels" { args += ["--root", root] }
            Stderr.line("── franca bench \(args.joined(separator: " "))")
            do {
                try Self.runSelf(["bench"] + args)
                let report = try JSONValue.parse(String(contentsOf: out, encoding: .utf8))
                reports[name] = report
                return report
            } catch {
                Stderr.line("\(name): \(error)")
                reports[name] = .object(["error": .string("\(error)")])
                return nil
            }
        }

        if selected.contains("kernels"), let k = child("kernels", ["kernels", "--types", "q4_1,q8_0,q4_K,q6_K,q5_0,q1_0",
                                                                   "--no-scalar", "--repeats", quick ? "3" : "7"]) {
            ceiling = BenchSuiteSummary.ceiling(kernels: k)
        }
        let decode = quick ? ["--prompt-tokens", "128", "--decode-tokens", "32", "--repeats", "1"] : []
        if selected.contains("smollm2"), let r = child("smollm2", ["generate", "smollm2"] + decode) {
            rows += BenchSuiteSummary.generateRows(label: "SmolLM2-135M Q4_1", report: r, ceiling: ceiling, targets: true)
        }
        if selected.contains("gemma3"), let r = child("gemma3", ["generate", "gemma3-270m"] + decode) {
            rows += BenchSuiteSummary.generateRows(label: "Gemma-3-270M Q4_K_M", report: r, ceiling: ceiling, targets: false)
        }
        if selected.contains("bonsai-q1_0") {
            do {
                let path = try Self.bonsaiModel(python: python)
                // 1.7 B weights: a shorter prompt and decode keep this row to minutes.
                let sizes = quick ? ["--prompt-tokens", "16", "--decode-tokens", "4", "--repeats", "1"]
                                  : ["--prompt-tokens", "64", "--decode-tokens", "16", "--repeats", "1"]
                if let r = child("bonsai-q1_0", ["generate", path.path] + sizes) {
                    rows += BenchSuiteSummary.generateRows(label: "Bonsai-1.7B-shape Q1_0", report: r, ceiling: ceiling, targets: false)
                }
            } catch {
                Stderr.line("bonsai-q1_0: \(error)")
                reports["bonsai-q1_0"] = .object(["error": .string("\(error)")])
            }
        }
        let encoder = quick ? ["--documents", "48", "--repeats", "1"] : []
        if selected.contains("ner"), let r = child("ner", ["ner"] + encoder) {
            rows += BenchSuiteSummary.encoderRows(label: "Rampart NER", report: r)
        }
        if selected.contains("embed"), let r = child("embed", ["embed"] + encoder) {
            rows += BenchSuiteSummary.encoderRows(label: "MiniLM embeddings", report: r)
        }

        if !ceiling.isEmpty {
            Stderr.line(String(format: "memory-bandwidth ceiling (stream read): 1 thread %.2f GB/s, 2 threads %.2f GB/s",
                               ceiling[1] ?? 0, ceiling[2] ?? 0))
        }
        print(BenchSuiteSummary.table(rows))
        let result = JSONValue.object(["benchmark": .string("all"), "cpu": .string(InferenceCore.cpu.description),
                                       "rows": BenchSuiteSummary.json(rows), "reports": .object(reports)])
        if let jsonOut { try (result.serialized(options: [.pretty]) + "\n").write(toFile: jsonOut, atomically: true, encoding: .utf8) }
    }

    /// Runs this executable with `arguments`: stderr passes through (live progress), stdout (the child's JSON, also
    /// in its --json-out file) is dropped. A non-zero exit is an error.
    static func runSelf(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = Bundle.main.executableURL ?? URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.standardError
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ValidationError("franca \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
    }

    /// The random Q1_0 model of Bonsai-1.7B's shape in the model store, written by the reference Python if absent.
    static func bonsaiModel(python: String?) throws -> URL {
        let dir = ModelStore.defaultRoot().appendingPathComponent("bench")
        let path = dir.appendingPathComponent("bonsai-1.7b-shape-q1_0.gguf")
        if FileManager.default.fileExists(atPath: path.path) { return path }
        guard let python else {
            throw ValidationError("\(path.path) is missing and writing it needs a Python with numpy and gguf (--python)")
        }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        Stderr.line("writing \(path.path) (random Q1_0 weights, ~240 MB) with scripts/bench/bonsai_shape_q1_0.py")
        _ = try BenchEncoderCommand.runScript(python: python, script: "bonsai_shape_q1_0.py", arguments: [path.path])
        return path
    }
}
