import Foundation
import Inference
import Kernels
import Testing

/// SmolLM2 (Q4_1) and Gemma 3 (Q4_K_M) against llama.cpp (`scripts/fixtures/decoder_parity.py`: F32 KV cache,
/// no flash attention, no weight repacking, one thread), all 8 prompts of each fixture (6 raw, 2 chat):
/// - the same prompt tokens;
/// - the same logits after the prompt (top-64 and probe ids) and after the 8th generated token (one-token decode
///   steps), within the fixture's own rounding to 6 significant digits: |Δ| ≤ 5e-6·|v| + 1e-6;
/// - the same greedy continuation, all 32 tokens (or up to the end-of-generation token where llama.cpp stopped).
///
/// This holds because the fast kernels repeat llama.cpp's x86 CPU backend operation by operation (activation
/// quantization, each matmul kernel's summation order incl. the ones llama.cpp switches to for batches, attention,
/// its vector exp, RoPE's fused products, the GELU table): measured bit-identical, not merely close. llama.cpp's
/// computation is effectively discontinuous (activations are re-quantized before every matmul), so "close" would
/// not give identical text: with only its KV cache in F16, llama.cpp agrees with itself on 4/8 prompts (README).
/// The scalar reference kernels (`FRANCA_KERNELS=scalar`, or a CPU without AVX2) round differently; the test
/// needs the fast path.
@Suite(.serialized) struct RealDecoderParityTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fixtures/decoder").standardized

    static var fastKernels: Bool { QuantKernels.avx2Available && QuantKernels.mode == .fast }

    static func load(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func pairs(_ any: Any?) throws -> [(Int, Float)] {
        try #require(any as? [[Double]]).map { (Int($0[0]), Float($0[1])) }
    }

    /// Ids whose logit differs from the fixture by more than its 6-significant-digit rounding, with the worst |Δ|.
    static func compare(_ logits: [Float], _ fixture: [String: Any]) throws -> (bad: [Int], worst: Float) {
        var bad: [Int] = [], worst: Float = 0
        for (id, value) in try pairs(fixture["top64"]) + pairs(fixture["probe"]) {
            let d = abs(logits[id] - value)
            worst = max(worst, d)
            if d > 5e-6 * abs(value) + 1e-6 { bad.append(id) }
        }
        return (bad, worst)
    }

    static func check(fixture: String, modelPath: String) throws {
        let root = try load(fixture)
        let cases = try #require(root["cases"] as? [[String: Any]])
        #expect(cases.count == 8)
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

            // Logits after the prompt (one batch), then after generated tokens 1…8 (one decode step each).
            var generated = try #require(c["generated_ids"] as? [Int]).map(Int32.init)
            session.reset()
            let last = try #require(c["logits_last_prompt"] as? [String: Any])
            let (badPrompt, worstPrompt) = try compare(try session.evaluate(expectedPrompt), last)
            #expect(badPrompt.isEmpty, "\(fixture) \(name): last-prompt logits differ at ids \(badPrompt.prefix(8)), max |Δ| \(worstPrompt)")
            var worstGen8: Float = 0
            if let gen8 = c["logits_after_gen8"] as? [String: Any] {
                var logits: [Float] = []
                for id in generated.prefix(8) { logits = try session.evaluate([id]) }
                let (bad, worst) = try compare(logits, gen8)
                worstGen8 = worst
                #expect(bad.isEmpty, "\(fixture) \(name): logits after generated token 8 differ at ids \(bad.prefix(8)), max |Δ| \(worst)")
            }

            // Greedy continuation through the generator (EOG stops it, as it stopped llama.cpp).
            if c["stopped_at_eog"] as? Bool ?? false { generated.removeLast() }
            session.reset()
            let result = try generator.generate(prompt: expectedPrompt, session: session,
                                                options: GenerationOptions(maxTokens: 32))
            let agree = zip(result.tokens, generated).prefix { $0 == $1 }.count
            #expect(result.tokens == generated, "\(fixture) \(name): greedy diverges at token \(agree)")
            print("\(fixture) \(name): greedy \(agree)/\(generated.count) tokens, max |Δlogit| last prompt "
                  + "\(worstPrompt), after token 8 \(worstGen8)")
        }
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2) && fastKernels))
    func smolLM2MatchesLlamaCpp() throws {
        try Self.check(fixture: "smollm2.json", modelPath: try #require(TestModels.path(TestModels.smolLM2)))
    }

    @Test(.enabled(if: TestModels.available(TestModels.gemma3) && fastKernels))
    func gemma3MatchesLlamaCpp() throws {
        try Self.check(fixture: "gemma3.json", modelPath: try #require(TestModels.path(TestModels.gemma3)))
    }
}
