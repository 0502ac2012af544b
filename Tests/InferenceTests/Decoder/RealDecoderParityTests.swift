import Foundation
import Inference
import Testing

/// SmolLM2 (Q4_1) and Gemma 3 (Q4_K_M) against llama.cpp (`scripts/fixtures/decoder_parity.py`: F32 KV cache,
/// no flash attention, no weight repacking): the same prompt tokens, the final-position logits within a stated
/// tolerance, and the same 32-token greedy continuation, for 8 prompts each (6 raw, 2 chat).
@Suite(.serialized) struct RealDecoderParityTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fixtures/decoder").standardized
    /// Max |Δlogit| over the top-64 and probe ids. Activations are rounded exactly as ggml rounds them; what is
    /// left is float summation order through 30 (SmolLM2) or 18 (Gemma) layers.
    static let logitTolerance: Float = 0.05

    static func load(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func pairs(_ any: Any?) throws -> [(Int, Float)] {
        try #require(any as? [[Double]]).map { (Int($0[0]), Float($0[1])) }
    }

    static func check(fixture: String, modelPath: String) throws {
        let root = try load(fixture)
        let cases = try #require(root["cases"] as? [[String: Any]])
        let model = try DecoderModel(path: modelPath)
        let session = model.makeSession(contextLength: 512)
        let generator = Generator(model: model)
        for c in cases {
            let name = try #require(c["name"] as? String)
            let prompt = try #require(c["prompt"] as? String)
            let chat = try #require(c["chat"] as? Bool)
            let expectedPrompt = try #require(c["prompt_ids"] as? [Int]).map(Int32.init)
            let ids = model.tokenizer.encode(prompt, addSpecial: true, parseSpecial: chat)
            #expect(ids == expectedPrompt, "\(fixture) \(name): prompt tokens")

            session.reset()
            let logits = try session.evaluate(expectedPrompt)
            let last = try #require(c["logits_last_prompt"] as? [String: Any])
            var worst: Float = 0
            for (id, value) in try pairs(last["top64"]) + pairs(last["probe"]) { worst = max(worst, abs(logits[id] - value)) }
            #expect(worst <= logitTolerance, "\(fixture) \(name): last-prompt logits differ by \(worst)")
            #expect(Sampler.argmax(logits).map(Int.init) == last["argmax"] as? Int, "\(fixture) \(name): argmax")

            // Greedy continuation through the generator (EOG stops it, as it stopped llama.cpp).
            var expected = try #require(c["generated_ids"] as? [Int]).map(Int32.init)
            let stoppedAtEOG = c["stopped_at_eog"] as? Bool ?? false
            if stoppedAtEOG { expected.removeLast() }
            session.reset()
            let result = try generator.generate(prompt: expectedPrompt, session: session,
                                                options: GenerationOptions(maxTokens: 32))
            #expect(result.tokens == expected, "\(fixture) \(name): greedy continuation")
            #expect(result.stopReason == (stoppedAtEOG ? .endOfGeneration : .maxTokens), "\(fixture) \(name)")
            if !stoppedAtEOG, let text = c["generated_text"] as? String {
                #expect(result.text == text, "\(fixture) \(name): text")
            }
        }
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
    func smolLM2MatchesLlamaCpp() throws {
        try Self.check(fixture: "smollm2.json", modelPath: try #require(TestModels.path(TestModels.smolLM2)))
    }

    @Test(.enabled(if: TestModels.available(TestModels.gemma3)))
    func gemma3MatchesLlamaCpp() throws {
        try Self.check(fixture: "gemma3.json", modelPath: try #require(TestModels.path(TestModels.gemma3)))
    }
}
