import Foundation
import Testing
import Inference

/// PyTorch float32 vs our kernels on a 2-layer random BERT (values are O(1)).
let tinyBertTolerance: Float = 1e-4

@Suite struct TinyBertTests {
    @Test func logitsAndHiddenStatesMatchPyTorch() throws {
        let tiny = try BertFixtures.tiny()
        for threads in [1, 2] {
            let model = try BertModel(config: tiny.config, weights: tiny.weights, options: RuntimeOptions(threads: threads))
            let inputs = tiny.cases.map { BertInput(ids: $0.ids) }
            let logits = try model.tokenLogits(inputs: inputs)
            let hidden = try model.hiddenStates(inputs: inputs)
            for (i, c) in tiny.cases.enumerated() {
                #expect(maxAbsDifference(logits[i].flatMap { $0 }, c.logits) <= tinyBertTolerance, "case \(i) logits, \(threads) threads")
                #expect(maxAbsDifference(hidden[i].flatMap { $0 }, c.hidden) <= tinyBertTolerance, "case \(i) hidden, \(threads) threads")
            }
        }
    }

    @Test func batchedRunEqualsOneAtATime() throws {
        let tiny = try BertFixtures.tiny()
        let model = try BertModel(config: tiny.config, weights: tiny.weights, options: RuntimeOptions(threads: 2))
        let batch = tiny.cases.map(\.ids)
        let together = try model.classifyTokens(batch: batch)
        for (i, ids) in batch.enumerated() {
            let alone = try model.classifyTokens(batch: [ids])[0]
            #expect(maxAbsDifference(together[i].flatMap { $0 }, alone.flatMap { $0 }) <= 1e-5)
        }
    }

    @Test func paddedInputWithMaskMatchesUnpadded() throws {
        // Padding after the real tokens, masked out: real-token outputs are unchanged (HF semantics).
        let tiny = try BertFixtures.tiny()
        let model = try BertModel(config: tiny.config, weights: tiny.weights, options: RuntimeOptions(threads: 1))
        let ids = tiny.cases[1].ids
        let padded = BertInput(ids: ids + [0, 0, 0, 0], attentionMask: [Int32](repeating: 1, count: ids.count) + [0, 0, 0, 0])
        let out = try model.tokenLogits(inputs: [padded])[0]
        #expect(maxAbsDifference(out.prefix(ids.count).flatMap { $0 }, tiny.cases[1].logits) <= tinyBertTolerance)
        let embedPadded = try model.embed(inputs: [padded])[0]
        let embedPlain = try model.embed(batch: [ids])[0]
        #expect(maxAbsDifference(embedPadded, embedPlain) <= 1e-5)
    }

    @Test func smallPassLimitSplitsBatchWithoutChangingResults() throws {
        let tiny = try BertFixtures.tiny()
        let whole = try BertModel(config: tiny.config, weights: tiny.weights, options: RuntimeOptions(threads: 1))
        let split = try BertModel(config: tiny.config, weights: tiny.weights, options: RuntimeOptions(threads: 1), maxTokensPerPass: 1)
        let batch = tiny.cases.map(\.ids) + tiny.cases.map(\.ids)
        #expect(try whole.embed(batch: batch) == split.embed(batch: batch))
    }

    @Test func embeddingsAreUnitLength() throws {
        let tiny = try BertFixtures.tiny()
        let model = try BertModel(config: tiny.config, weights: tiny.weights, options: RuntimeOptions(threads: 1))
        for e in try model.embed(batch: tiny.cases.map(\.ids)) {
            #expect(abs(e.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
        }
    }

    @Test func badInputsAreTypedErrors() throws {
        let tiny = try BertFixtures.tiny()
        let model = try BertModel(config: tiny.config, weights: tiny.weights, options: RuntimeOptions(threads: 1))
        #expect(throws: BertError.emptySequence(index: 1)) { try model.classifyTokens(batch: [[2, 3], []]) }
        #expect(throws: BertError.tokenOutOfRange(sequence: 0, position: 1, id: 40, vocabularySize: 40)) {
            try model.classifyTokens(batch: [[2, 40, 3]])
        }
        #expect(throws: BertError.sequenceTooLong(index: 0, length: 33, maximum: 32)) {
            try model.classifyTokens(batch: [[Int32](repeating: 5, count: 33)])
        }
        #expect(throws: BertError.inputMismatch(sequence: 0, what: "attention mask", expected: 2, found: 1)) {
            try model.embed(inputs: [BertInput(ids: [2, 3], attentionMask: [1])])
        }
    }

    @Test func wrongWeightShapeIsReportedByName() throws {
        let tiny = try BertFixtures.tiny()
        var weights = tiny.weights
        weights.layers[1].intermediate.bias.removeLast()
        #expect(throws: BertError.shapeMismatch(file: "(weights)", name: "encoder.layer.1.intermediate.dense.bias", expected: [24], found: [23])) {
            _ = try BertModel(config: tiny.config, weights: weights)
        }
    }

    @Test func configReadsHuggingFaceJSON() throws {
        let json = #"{"hidden_size": 384, "num_attention_heads": 12, "num_hidden_layers": 6, "intermediate_size": 1536,"#
            + #" "vocab_size": 100, "layer_norm_eps": 1e-12, "hidden_act": "gelu", "id2label": {"1": "B-X", "0": "O"}}"#
        let config = try BertConfig(json: Data(json.utf8))
        #expect(config.headDim == 32 && config.maxPositions == 512 && config.labels == ["O", "B-X"])
        #expect(throws: BertError.invalidConfig(path: "config.json", key: "hidden_size", expected: "a positive integer")) {
            try BertConfig(json: Data(#"{"hidden_size": "big"}"#.utf8))
        }
    }
}
