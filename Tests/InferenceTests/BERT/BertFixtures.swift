import Foundation
import Inference

/// Loads the golden files made by scripts/fixtures/bert_fixtures.py (Tests/Fixtures/bert/).
enum BertFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/bert")

    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FixtureError.malformed(name)
        }
        return object
    }

    enum FixtureError: Error { case malformed(String) }

    static func floats(_ any: Any?) -> [Float] { (any as? [NSNumber])?.map { $0.floatValue } ?? [] }
    static func int32s(_ any: Any?) -> [Int32] { (any as? [NSNumber])?.map { $0.int32Value } ?? [] }
    static func ints(_ any: Any?) -> [Int] { (any as? [NSNumber])?.map { $0.intValue } ?? [] }

    /// The tiny random BertForTokenClassification: its config, weights and reference cases.
    struct Tiny {
        let config: BertConfig
        let weights: BertWeights
        /// (ids, logits [tokens·labels], hidden [tokens·hidden])
        let cases: [(ids: [Int32], logits: [Float], hidden: [Float])]
    }

    static func tiny() throws -> Tiny {
        let doc = try json("tiny_bert.json")
        guard let c = doc["config"] as? [String: Any], let w = doc["weights"] as? [String: [String: Any]],
              let cases = doc["cases"] as? [[String: Any]] else { throw FixtureError.malformed("tiny_bert.json") }
        let labels = (0..<((c["num_labels"] as? Int) ?? 0)).map { "L\($0)" }
        let config = BertConfig(hiddenSize: c["hidden_size"] as? Int ?? 0, heads: c["num_attention_heads"] as? Int ?? 0,
                                layers: c["num_hidden_layers"] as? Int ?? 0, intermediateSize: c["intermediate_size"] as? Int ?? 0,
                                layerNormEps: 1e-12, vocabularySize: c["vocab_size"] as? Int ?? 0,
                                maxPositions: c["max_position_embeddings"] as? Int ?? 0,
                                typeVocabularySize: c["type_vocab_size"] as? Int ?? 0, labels: labels)
        let weights = try BertWeights(config: config, file: "tiny_bert.json") { name in
            guard let t = w[name] else { return nil }
            return (ints(t["shape"]), floats(t["data"]))
        }
        return Tiny(config: config, weights: weights,
                    cases: cases.map { (int32s($0["ids"]), floats($0["logits"]), floats($0["hidden"])) })
    }
}

func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "compared arrays differ in length: \(a.count) vs \(b.count)")
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
