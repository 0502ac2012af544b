import Foundation
import Testing
import Inference

/// Rampart: probabilities vs onnxruntime on model_q4.onnx (same dequantized weights, f32 math in another order).
let rampartProbabilityTolerance: Float = 1e-3
/// MiniLM: cosine similarity to sentence-transformers' embedding.
let miniLMMinimumCosine: Float = 0.9999

@Suite struct RealBertParityTests {
    static func rampart(threads: Int) throws -> BertModel {
        let onnx = try #require(TestModels.path(TestModels.rampartONNX), "Rampart model_q4.onnx is missing")
        let config = try #require(TestModels.path(TestModels.rampartConfig), "Rampart config.json is missing")
        return try BertModel.load(onnx: onnx, config: config, options: RuntimeOptions(threads: threads))
    }

    struct RampartCase { let ids: [Int32]; let argmax: [Int]; let probs: [Float] }

    static func rampartCases() throws -> (labels: [String], cases: [RampartCase]) {
        let doc = try BertFixtures.json("rampart_q4.json")
        let cases = (doc["cases"] as? [[String: Any]] ?? []).map {
            RampartCase(ids: BertFixtures.int32s($0["ids"]), argmax: BertFixtures.ints($0["argmax"]), probs: BertFixtures.floats($0["probs"]))
        }
        return (doc["labels"] as? [String] ?? [], cases)
    }

    @Test(.enabled(if: TestModels.available(TestModels.rampartONNX)))
    func rampartMatchesOnnxRuntimeOnEveryToken() throws {
        let (labels, cases) = try Self.rampartCases()
        #expect(cases.count >= 20)
        let model = try Self.rampart(threads: 2)
        #expect(model.labels == labels)
        var worst: Float = 0
        var tokens = 0
        for (i, c) in cases.enumerated() {
            let probs = try model.classifyTokens(batch: [c.ids])[0]
            #expect(BertModel.argmax(probs) == c.argmax, "case \(i): argmax labels differ from onnxruntime")
            let diff = maxAbsDifference(probs.flatMap { $0 }, c.probs)
            worst = max(worst, diff)
            tokens += c.ids.count
            #expect(diff <= rampartProbabilityTolerance, "case \(i): max probability difference \(diff)")
        }
        print("Rampart parity: \(cases.count) texts, \(tokens) tokens, max |prob − ORT| = \(worst)")
    }

    @Test(.enabled(if: TestModels.available(TestModels.rampartONNX)))
    func rampartBatchedEqualsOneAtATime() throws {
        let (_, cases) = try Self.rampartCases()
        let model = try Self.rampart(threads: 2)
        let batch = cases.map(\.ids) // 22 texts of 3 … 180 tokens together
        let together = try model.classifyTokens(batch: batch)
        var worst: Float = 0
        for (i, ids) in batch.enumerated() {
            let alone = try model.classifyTokens(batch: [ids])[0]
            worst = max(worst, maxAbsDifference(together[i].flatMap { $0 }, alone.flatMap { $0 }))
        }
        #expect(worst <= 1e-5, "batched vs single: \(worst)")
    }

    @Test(.enabled(if: TestModels.available(TestModels.miniLMSafetensors)))
    func miniLMEmbeddingsMatchSentenceTransformers() throws {
        let weights = try #require(TestModels.path(TestModels.miniLMSafetensors), "MiniLM model.safetensors is missing")
        let config = try #require(TestModels.path(TestModels.miniLMConfig), "MiniLM config.json is missing")
        let model = try BertModel.load(safetensors: weights, config: config, options: RuntimeOptions(threads: 2))
        let doc = try BertFixtures.json("minilm.json")
        let cases = doc["cases"] as? [[String: Any]] ?? []
        #expect(cases.count >= 10)
        let ids = cases.map { BertFixtures.int32s($0["ids"]) }
        let ours = try model.embed(batch: ids)
        var lowest: Float = 1
        for (i, c) in cases.enumerated() {
            let ref = BertFixtures.floats(c["embedding"])
            let refNorm = ref.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let cosine = zip(ours[i], ref).reduce(0) { $0 + $1.0 * $1.1 } / refNorm // ours is unit length
            lowest = min(lowest, cosine)
            #expect(cosine >= miniLMMinimumCosine, "sentence \(i): cosine \(cosine)")
        }
        print("MiniLM parity: \(cases.count) sentences, min cosine = \(lowest)")
    }
}
