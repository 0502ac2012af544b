import ArgumentParser
import Canonical
import Foundation
import Inference
import Orchestration

/// `franca bench grammar`: what constrained decoding costs per token — the time to compute the grammar mask over
/// each generative adapter's real vocabulary during a simulated generation (random logits, temperature 1.0).
struct BenchGrammarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grammar",
        abstract: "Grammar mask cost per token (mean/p95 ms) over each generative adapter's vocabulary.",
        discussion: """
        For every generative adapter decoding under its native output grammar (or those named with --adapter), \
        builds the grammar vocabulary from the model's GGUF tokenizer, then runs seeded simulated generations: \
        random logits biased toward tokens holding '"' so strings end, the mask applied (knowing the tokens left \
        before --max-tokens, as in real decoding), a token sampled at temperature 1.0. Only applyMask is timed. Models are fetched into the store when missing.
        """
    )

    @OptionGroup var project: ProjectOptions
    @Option(name: .customLong("adapter"), help: "Adapter to measure (repeatable; default: every generative adapter).")
    var adapters: [String] = []
    @Option(help: "Simulated generations per adapter.") var seeds = 5
    @Option(help: "Token cap per generation.") var maxTokens = 400
    @Flag(help: "Print the results as JSON instead of a table.") var json = false

    func run() throws {
        let loaded = try project.loadProject()
        let catalog = try ModelCatalog(project: loaded)
        let chosen = adapters.isEmpty ? loaded.sortedAdapters.map(\.id) : adapters
        var vocabularies: [String: (GrammarVocabulary, Set<Int32>, Double)] = [:]
        var rows: [JSONValue] = []
        for id in chosen {
            guard let adapter = loaded.adapter(id) else { throw ProjectOptions.usage("unknown adapter '\(id)'") }
            guard adapter.model.task == .generation, case .prompt(let prompt) = adapter.input, prompt.grammar == .nativeOutput else {
                if !adapters.isEmpty { throw ProjectOptions.usage("adapter '\(id)' does not decode under a grammar") }
                continue
            }
            let modelID = adapter.model.id
            if vocabularies[modelID] == nil {
                let files = try catalog.locateOrFetch(adapter.model, store: ModelStore())
                guard let weights = files["weights"] else { throw ValidationError("\(modelID) has no weights file") }
                let tokenizer = try GGUFTokenizerFactory.make(gguf: try GGUFFile(path: weights.path))
                let start = Date()
                let vocab = GrammarVocabulary(tokenizer: tokenizer)
                vocabularies[modelID] = (vocab, tokenizer.endOfGenerationIDs, Date().timeIntervalSince(start) * 1000)
            }
            guard let (vocab, eog, buildMs) = vocabularies[modelID] else { continue }
            let schema = try JSONValue.parse(Data(contentsOf: loaded.root.appendingPathComponent(adapter.native.output)))
            let grammar = try JSONSchemaGrammar(schema: schema)
            var times: [Double] = []
            var finished = 0
            for seed in 0..<max(1, seeds) {
                let (t, done) = try Self.simulate(grammar, vocab, eog: eog, seed: UInt64(seed), cap: maxTokens)
                times += t
                if done { finished += 1 }
            }
            times.sort()
            let mean = times.reduce(0, +) / Double(max(1, times.count))
            let p95 = times.isEmpty ? 0 : times[min(times.count - 1, Int(Double(times.count) * 0.95))]
            rows.append(.object([
                "adapter": .string(id), "model": .string(modelID), "vocabulary": .integer(Int64(vocab.vocabSize)),
                "vocabularyBuildMs": .number(buildMs), "tokens": .integer(Int64(times.count)),
                "generations": .integer(Int64(max(1, seeds))), "finished": .integer(Int64(finished)),
                "meanMs": .number(mean), "p95Ms": .number(p95), "maxMs": .number(times.last ?? 0),
            ]))
            if !json {
                print(String(format: "%@ %@ vocab %7d (built in %5.0f ms)  %5d tokens  mask mean %.3f ms  p95 %.3f ms  max %.3f ms",
                             id.padding(toLength: 22, withPad: " ", startingAt: 0),
                             modelID.padding(toLength: 12, withPad: " ", startingAt: 0), vocab.vocabSize, buildMs, times.count, mean, p95, times.last ?? 0))
            }
        }
        if json {
            print(JSONValue.object(["benchmark": "grammar-mask", "cpu": .string(InferenceCore.cpu.description),
                                    "results": .array(rows)]).serialized(options: [.pretty]))
        }
    }

    /// One seeded generation; returns the applyMask time of every step (ms) and whether it finished.
    static func simulate(_ grammar: JSONSchemaGrammar, _ vocab: GrammarVocabulary, eog: Set<Int32>, seed: UInt64,
                         cap: Int) throws -> ([Double], Bool) {
        let constraint = GrammarTokenConstraint(grammar: grammar, vocabulary: vocab)
        var rng = BenchRandom(state: seed &+ 0x9E37_79B9_7F4A_7C15)
        let bias: [Float] = (0..<vocab.vocabSize).map { vocab.bytes(of: Int32($0)).contains(UInt8(ascii: "\"")) ? 4 : 0 }
        var logits = [Float](repeating: 0, count: vocab.vocabSize)
        var times: [Double] = []
        for _ in 0..<cap {
            if constraint.isFinished { return (times, true) }
            for i in logits.indices { logits[i] = Float(rng.next() >> 40) / Float(1 << 24) * 3 + bias[i] }
            let start = DispatchTime.now().uptimeNanoseconds
            let remaining = cap - times.count  // as the generator passes it: the budget-aware mask near the cap
            logits.withUnsafeMutableBufferPointer { constraint.applyMask(to: $0, remainingTokens: remaining) }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            if constraint.isAccepting { for e in eog { logits[Int(e)] = 0 } }
            guard let top = logits.max(), top > -.infinity else { return (times, false) }
            var total: Double = 0
            for l in logits where l > -.infinity { total += Double(expf(l - top)) }
            var u = Double(rng.next() >> 11) / Double(1 << 53) * total
            var token: Int32 = 0
            for (i, l) in logits.enumerated() where l > -.infinity {
                u -= Double(expf(l - top)); token = Int32(i)
                if u <= 0 { break }
            }
            if eog.contains(token) { return (times, true) }
            try constraint.accept(token)
        }
        return (times, constraint.isFinished)
    }
}

/// SplitMix64: seeded, so runs are comparable.
private struct BenchRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
