import Foundation
import Testing
import Inference
import Kernels

@Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
func smolLM2Parses() throws {
    let g = try GGUFFile(path: try #require(TestModels.path(TestModels.smolLM2)))
    #expect(g.version == 3)
    #expect(g.tensorInfos.count == 272)
    #expect(g.metadata.count == 33)
    #expect(g.architecture == "llama")
    #expect(g.typeHistogram == [.q4_1: 210, .q8_0: 1, .f32: 61])
    #expect(g.metadata["llama.block_count"]?.intValue == 30)
    #expect(g.metadata["llama.embedding_length"]?.intValue == 576)
    #expect(g.metadata["tokenizer.ggml.tokens"]?.arrayValue?.count == 49152)
    #expect(g.metadata["tokenizer.ggml.merges"]?.arrayValue?.count == 48900)
    #expect(g.metadata["tokenizer.ggml.pre"]?.stringValue == "smollm")
    let embd = try g.tensor(named: "token_embd.weight")
    #expect(embd.type == .q8_0 && embd.shape == [576, 49152])
    try checkRows(g, key: "smolLM2")
}

@Test(.enabled(if: TestModels.available(TestModels.gemma3)))
func gemma3Parses() throws {
    let g = try GGUFFile(path: try #require(TestModels.path(TestModels.gemma3)))
    #expect(g.architecture == "gemma3")
    let hist = g.typeHistogram
    print("gemma3 tensor types:", hist.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.name)×\($0.value)" }.joined(separator: " "))
    #expect(g.metadata["tokenizer.ggml.tokens"]?.arrayValue?.count == 262144)
    #expect(g.metadata["tokenizer.ggml.tokens"]?.arrayValue?.string(at: 2) == "<bos>")
    try checkRows(g, key: "gemma3")
}

/// Header counts, type histogram and a few rows against gguf-py (Tests/Fixtures/gguf/real_rows.json).
private func checkRows(_ g: GGUFFile, key: String) throws {
    let expected = try #require(try GGUFFixtures.realRows()[key])
    #expect(g.tensorInfos.count == expected.tensorCount)
    #expect(g.metadata.count == expected.kvCount)
    #expect(g.dataOffset == expected.dataOffset)
    let hist = Dictionary(uniqueKeysWithValues: g.typeHistogram.map { ($0.key.name, $0.value) })
    #expect(hist == expected.types)
    for r in expected.rows {
        let t = try g.tensor(named: r.tensor)
        #expect(t.type.name == r.type)
        let row = try #require(t.dequantizedRow(r.row))
        #expect(Array(row.prefix(r.first.count)).map(\.bitPattern) == r.first.map(\.bitPattern), "\(r.tensor) row \(r.row)")
        let sum = row.reduce(0.0) { $0 + Double($1) }
        #expect(abs(sum - r.sum) <= 1e-9 * max(1, abs(r.sum)) + 1e-6, "\(r.tensor) row \(r.row) sum \(sum) vs \(r.sum)")
    }
}
