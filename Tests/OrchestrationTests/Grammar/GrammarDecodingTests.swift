import Foundation
import Testing
import Canonical
import Inference
import Orchestration

/// A simulated decoder over the REAL SmolLM2 (49,152 tokens, byte-level BPE) and Gemma 3 (262,144 tokens,
/// SentencePiece with byte fallback) vocabularies: random logits, the grammar mask, temperature-1.0 sampling over
/// what is left, many seeds. Every output must parse and validate against the adapter's native output schema.
///
/// The logits are random with a bias toward tokens carrying `"` or `]` (so strings and arrays end and generations finish within the
/// cap, like a model that knows the format) and toward tokens with non-ASCII bytes (so multi-byte characters,
/// including ones split across tokens, are exercised).
@Suite(.serialized) struct GrammarDecodingTests {
    static let cap = 600

    struct Outcome {
        var text: [UInt8]
        var tokens: [Int32]
        var finished: Bool
    }

    static func biases(_ v: GrammarVocabulary) -> [Float] {
        // Scaled with the vocabulary size so that closing a string is about as likely in both vocabularies.
        let quote = 5 + logf(Float(v.vocabSize) / 49_152)
        return (0..<v.vocabSize).map { i in
            let b = v.bytes(of: Int32(i))
            var bias: Float = 0
            if b.contains(UInt8(ascii: "\"")) || b.contains(UInt8(ascii: "]")) { bias += quote }
            if b.contains(where: { $0 >= 0x80 }) { bias += 1.5 }
            if !b.isEmpty, String(bytes: b, encoding: .utf8) == nil { bias += 4 }  // part of a character (byte tokens)
            return bias
        }
    }

    static func generate(_ grammar: JSONSchemaGrammar, _ loaded: GrammarTestModels.Loaded, biases: [Float], seed: UInt64,
                         checkMask: Bool = false) throws -> Outcome {
        let vocab = loaded.vocabulary
        let eog = loaded.tokenizer.endOfGenerationIDs
        let constraint = GrammarTokenConstraint(grammar: grammar, vocabulary: vocab)
        var matcher = grammar.matcher()
        var rng = SeededRandom(seed: seed)
        var logits = [Float](repeating: 0, count: vocab.vocabSize)
        var out = Outcome(text: [], tokens: [], finished: false)
        for _ in 0..<cap {
            if constraint.isFinished { out.finished = true; return out }
            for i in logits.indices { logits[i] = Float(rng.next() >> 40) / Float(1 << 24) * 3 + biases[i] }
            let raw = eog.map { ($0, logits[Int($0)]) }
            logits.withUnsafeMutableBufferPointer { constraint.applyMask(to: $0) }
            if constraint.isAccepting { for (id, l) in raw { logits[Int(id)] = l } }  // the generator's EOG rule
            if checkMask { try expectMaskMatchesBruteForce(logits, vocab, matcher, eog: constraint.isAccepting ? eog : []) }
            guard let token = sample(logits, &rng) else {
                Issue.record("dead end after \(String(decoding: out.text, as: UTF8.self))")
                return out
            }
            if eog.contains(token) { out.finished = true; return out }
            try constraint.accept(token)
            let bytes = vocab.bytes(of: token)
            let accepted = matcher.feed(bytes)
            #expect(accepted)
            out.tokens.append(token)
            out.text += bytes
        }
        out.finished = constraint.isFinished
        return out
    }

    /// Temperature 1.0: softmax over the finite logits.
    static func sample(_ logits: [Float], _ rng: inout SeededRandom) -> Int32? {
        guard let top = logits.max(), top > -.infinity else { return nil }
        var weights = [Float](repeating: 0, count: logits.count)
        var total: Double = 0
        for (i, l) in logits.enumerated() where l > -.infinity { weights[i] = expf(l - top); total += Double(weights[i]) }
        var u = Double(rng.next() >> 11) / Double(1 << 53) * total
        var last: Int32?
        for (i, w) in weights.enumerated() where w > 0 {
            u -= Double(w)
            last = Int32(i)
            if u <= 0 { return last }
        }
        return last
    }

    /// The mask equals the set of tokens whose bytes the grammar accepts from here (independent, per token).
    static func expectMaskMatchesBruteForce(_ logits: [Float], _ vocab: GrammarVocabulary, _ matcher: GrammarMatcher, eog: Set<Int32>) throws {
        var mismatches: [Int32] = []
        for i in 0..<vocab.vocabSize where !eog.contains(Int32(i)) {
            let bytes = vocab.bytes(of: Int32(i))
            var m = matcher
            let ok = !bytes.isEmpty && m.feed(bytes)
            if ok != (logits[i] > -.infinity) { mismatches.append(Int32(i)) }
        }
        #expect(mismatches.isEmpty, "mask disagrees with the grammar on tokens \(mismatches.prefix(10))")
    }

    static func run(_ model: String, seeds: Int) throws {
        let loaded = try GrammarTestModels.load(model)
        let biases = biases(loaded.vocabulary)
        var nonASCII = 0, splitCharacters = 0, total = 0
        // The repository's grammar adapters, plus a free-string schema (code-change's adapter answers a code block now).
        let fixture = try JSONValue.parse(Data(contentsOf: GrammarFixtures.directory.appendingPathComponent("changed-file.output.schema.json")))
        for (adapter, schema) in try GrammarFixtures.generativeOutputSchemas() + [("changed-file fixture", fixture)] {
            let grammar = try JSONSchemaGrammar(schema: schema)
            let validator = try JSONSchema(json: schema, baseURL: nil, root: nil)
            for seed in 0..<seeds {
                let o = try generate(grammar, loaded, biases: biases, seed: UInt64(seed), checkMask: seed == 0 && total < 2)
                total += 1
                let text = String(decoding: o.text, as: UTF8.self)
                let finished = o.finished
                #expect(finished, "\(adapter) seed \(seed): not finished in \(cap) tokens: \(text)")
                guard finished else { continue }
                let value = try JSONValue.parse(bytes: o.text)
                let violations = validator.validate(value)
                #expect(violations.isEmpty, "\(adapter) seed \(seed): \(text) → \(violations)")
                if o.text.contains(where: { $0 >= 0x80 }) { nonASCII += 1 }
                splitCharacters += o.tokens.filter { String(validatingUTF8: loaded.vocabulary.bytes(of: $0).map { CChar(bitPattern: $0) } + [0]) == nil }.count
            }
        }
        #expect(nonASCII > total / 4, "multi-byte characters in \(nonASCII) of \(total) outputs")
        #expect(splitCharacters > 0, "no token ended or started inside a character")
    }

    @Test(.enabled(if: GrammarTestModels.available(GrammarTestModels.smolLM2), "run `franca models pull` first"))
    func smolLM2SampledOutputsValidate() throws {
        try Self.run(GrammarTestModels.smolLM2, seeds: 40)
    }

    @Test(.enabled(if: GrammarTestModels.available(GrammarTestModels.gemma3), "run `franca models pull` first"))
    func gemma3SampledOutputsValidate() throws {
        try Self.run(GrammarTestModels.gemma3, seeds: 12)
    }
}
