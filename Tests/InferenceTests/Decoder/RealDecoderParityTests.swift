import Foundation
import Inference
import Testing

/// SmolLM2 (Q4_1) and Gemma 3 (Q4_K_M) against llama.cpp (`scripts/fixtures/decoder_parity.py`: F32 KV cache,
/// no flash attention, no weight repacking), 8 prompts each (6 raw, 2 chat): the same prompt tokens, the same
/// top token after the prompt, and the final-position logits within the tolerance measured today.
///
/// Known gap (issue 4 stays open on it): the tiny models match llama.cpp to ~1e-5, but on the real models the
/// last-prompt logits differ by up to 0.64 (SmolLM2) and 2.4 (Gemma) — the same order as llama.cpp's own change
/// when only its KV cache goes F16 (0.44 / 1.26). The tiny fixtures show llama.cpp departing from the float
/// reference at position 0 for Q8_0/Q8_1 activations; position 0 is the attention sink of the real models, which
/// is the lead under investigation. Greedy 32-token continuations agree on 3/8 (SmolLM2) and 4/8 (Gemma) prompts;
/// the test prints where each one diverges.
@Suite(.serialized) struct RealDecoderParityTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fixtures/decoder").standardized

    static func load(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func pairs(_ any: Any?) throws -> [(Int, Float)] {
        try #require(any as? [[Double]]).map { (Int($0[0]), Float($0[1])) }
    }

    /// `logitTolerance`: max |Δlogit| over the top-64 and probe ids (measured gap + margin, see above).
    static func check(fixture: String, modelPath: String, logitTolerance: Float) throws {
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
            #expect(result.tokens.first == expected.first, "\(fixture) \(name): first generated token")
            let agree = zip(result.tokens, expected).prefix { $0 == $1 }.count
            print("\(fixture) \(name): greedy agrees with llama.cpp for \(agree)/\(expected.count) tokens, "
                  + "last-prompt max |Δlogit| \(worst)")
        }
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
    func smolLM2MatchesLlamaCpp() throws {
        try Self.check(fixture: "smollm2.json", modelPath: try #require(TestModels.path(TestModels.smolLM2)),
                       logitTolerance: 0.8)
    }

    @Test(.enabled(if: TestModels.available(TestModels.gemma3)))
    func gemma3MatchesLlamaCpp() throws {
        try Self.check(fixture: "gemma3.json", modelPath: try #require(TestModels.path(TestModels.gemma3)),
                       logitTolerance: 3.0)
    }
}
