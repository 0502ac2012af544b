import Foundation
import Inference
import Testing

/// Several sequences stepped together (`DecoderSession.evaluateNext`, `Generator.generate(batch:)`) against the
/// same sequences run one at a time: the logits must be bit-identical and the generations equal, so batching
/// documents never changes what any of them gets.
@Suite struct BatchedGenerationTests {
    static let tiny = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fixtures/decoder/tiny").standardized

    /// Deterministic prompt ids below `vocab`.
    static func prompt(_ length: Int, seed: UInt64, vocab: Int) -> [Int32] {
        var x = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<length).map { _ in
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            return Int32(x % UInt64(vocab))
        }
    }

    /// Three prompts of different lengths, prefilled one by one; then `steps` greedy steps, once all three
    /// together and once each alone in a twin session. Every step's logits must be equal bit for bit.
    static func checkLockstep(_ model: DecoderModel, steps: Int, lengths: [Int]) throws {
        let vocab = model.config.vocabSize
        let prompts = lengths.enumerated().map { prompt($1, seed: UInt64($0 + 1), vocab: min(vocab, 4000)) }
        // Different context lengths: the shared buffers must serve the longest.
        let capacity = { (i: Int) in lengths.max()! + steps + 4 + 16 * i }
        let together = prompts.indices.map { model.makeSession(contextLength: capacity($0)) }
        let alone = prompts.indices.map { model.makeSession(contextLength: capacity($0)) }
        var next: [Int32] = []
        for (i, p) in prompts.enumerated() {
            let a = try together[i].evaluate(p), b = try alone[i].evaluate(p)
            #expect(a == b)
            next.append(Sampler.argmax(a)!)
        }
        for step in 0..<steps {
            let batched = try DecoderSession.evaluateNext(Array(zip(together, next)))
            for i in prompts.indices {
                let single = try alone[i].evaluate([next[i]])
                let gap = zip(batched[i], single).map { abs($0 - $1) }.max() ?? 0
                #expect(batched[i] == single, "sequence \(i), step \(step): logits differ (max |Δ| \(gap))")
                next[i] = Sampler.argmax(single)!
            }
        }
        for i in prompts.indices { #expect(together[i].tokens == alone[i].tokens) }
    }

    @Test(arguments: ["llama_q4_1", "llama_q4_k", "llama_q6_k", "gemma3_f32", "qwen3_q1_0", "qwen3_tq2_0"])
    func tinyModelsStepTogetherAsAlone(_ name: String) throws {
        for threads in [1, 2] {
            let model = try DecoderModel(path: Self.tiny.appendingPathComponent("\(name).gguf").path,
                                         options: RuntimeOptions(threads: threads))
            try Self.checkLockstep(model, steps: 6, lengths: [5, 11, 23])
        }
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
    func smolLM2StepsTogetherAsAlone() throws {
        let model = try DecoderModel(path: try #require(TestModels.path(TestModels.smolLM2)))
        try Self.checkLockstep(model, steps: 4, lengths: [7, 40, 19, 3])
    }

    @Test(.enabled(if: TestModels.available(TestModels.gemma3)))
    func gemma3StepsTogetherAsAlone() throws {
        let model = try DecoderModel(path: try #require(TestModels.path(TestModels.gemma3)))
        try Self.checkLockstep(model, steps: 4, lengths: [7, 40, 19])
    }

    /// Greedy and sampled generations with stop strings and token limits: the batch gives each request exactly
    /// what it gets alone (text, tokens, stop reason).
    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
    func smolLM2BatchGeneratesWhatEachGeneratesAlone() throws {
        let model = try DecoderModel(path: try #require(TestModels.path(TestModels.smolLM2)))
        let generator = Generator(model: model)
        func chat(_ text: String) throws -> [Int32] {
            try generator.promptTokens(.chat([ChatMessage(role: .user, content: text)]))
        }
        let sampled = { (seed: UInt64) in SamplingOptions(temperature: 1, topK: 40, topP: 0.95, seed: seed) }
        let specs: [([Int32], GenerationOptions)] = [
            (try chat("Name three fruits."), GenerationOptions(maxTokens: 24)),
            (try chat("Write a haiku about rain."), GenerationOptions(maxTokens: 30, sampling: sampled(7))),
            (try chat("Write a haiku about rain."), GenerationOptions(maxTokens: 30, sampling: sampled(8))),
            (try chat("Count from one to twenty in words."), GenerationOptions(maxTokens: 40, stopStrings: ["seven"])),
            (try chat("Say hello."), GenerationOptions(maxTokens: 3)),
        ]
        let alone = try specs.map { p, o in
            try generator.generate(prompt: p, session: model.makeSession(contextLength: 256), options: o)
        }
        let first = model.makeSession(contextLength: 256)
        let sessions = [first] + (1..<specs.count).map { _ in model.makeSession(contextLength: 256, sharingBuffersWith: first) }
        let batch = generator.generate(batch: zip(specs, sessions).map { s, session in
            Generator.Request(prompt: s.0, session: session, options: s.1)
        })
        #expect(batch.count == specs.count)
        for (i, r) in batch.enumerated() {
            let b = try r.get()
            #expect(b.text == alone[i].text, "request \(i)")
            #expect(b.tokens == alone[i].tokens, "request \(i)")
            #expect(b.stopReason == alone[i].stopReason, "request \(i)")
        }
        // The cases do cover different endings.
        #expect(alone[3].stopReason == .stopString("seven"))
        #expect(alone[4].stopReason == .maxTokens && alone[4].tokens.count == 3)
        #expect(alone[1].text != alone[2].text)
    }

    @Test func aSessionGivenTwiceFailsAloneAndTheOtherRuns() throws {
        let model = try DecoderModel(path: Self.tiny.appendingPathComponent("llama_q4_1.gguf").path)
        let session = model.makeSession(contextLength: 64), other = model.makeSession(contextLength: 64)
        let p = Self.prompt(6, seed: 3, vocab: model.config.vocabSize)
        let options = GenerationOptions(maxTokens: 5)
        let results = Generator(model: model).generate(batch: [
            Generator.Request(prompt: p, session: session, options: options),
            Generator.Request(prompt: p, session: session, options: options),
            Generator.Request(prompt: p, session: other, options: options),
        ])
        let alone = try Generator(model: model).generate(prompt: p, session: model.makeSession(contextLength: 64),
                                                         options: options)
        #expect(try results[0].get().tokens == alone.tokens)
        #expect(throws: DecoderError.batchRepeatsSession) { try results[1].get() }
        #expect(try results[2].get().tokens == alone.tokens)
        #expect(throws: DecoderError.batchRepeatsSession) {
            try DecoderSession.evaluateNext([(other, 1), (other, 2)])
        }
        let otherModel = try DecoderModel(path: Self.tiny.appendingPathComponent("llama_q4_0.gguf").path)
        #expect(throws: DecoderError.batchMixesModels) {
            try DecoderSession.evaluateNext([(other, 1), (otherModel.makeSession(contextLength: 8), 2)])
        }
    }
}
