import Foundation
import Inference
import Testing

/// MatMulNBits and DequantizeLinear decoding against numpy's dequantization and onnxruntime's execution of the
/// same nodes (fixtures from `scripts/fixtures/weights_fixtures.py`).
@Suite struct QuantizedWeightTests {
    let model: ONNXModelFile
    let expected: [String: Any]

    init() throws {
        model = try ONNXModelFile(path: WeightFixtures.path("tiny_quant.onnx"))
        expected = try WeightFixtures.json("tiny_quant.json")
    }

    func matmulEntry(_ tag: String) throws -> [String: Any] {
        try #require((expected["matmulnbits"] as? [String: Any])?[tag] as? [String: Any])
    }

    /// zp: 4-bit, packed zero points, K = 48 (last block padded); nozp: implicit zero point 8, flattened scales;
    /// eight: 8-bit, block 16, packed zero points.
    @Test(arguments: ["zp", "nozp", "eight"])
    func dequantizationMatchesNumpyAndOnnxRuntime(tag: String) throws {
        let entry = try matmulEntry(tag)
        let node = try model.node(named: try #require(entry["node"] as? String))
        let w = try MatMulNBitsWeight(node: node, in: model)
        #expect(w.k == entry["K"] as? Int)
        #expect(w.n == entry["N"] as? Int)
        #expect(w.bits == entry["bits"] as? Int)
        #expect(w.blockSize == entry["block_size"] as? Int)
        #expect(w.kBlocks == (w.k + w.blockSize - 1) / w.blockSize)
        #expect(w.scales == (try WeightFixtures.floats(entry["scales"])))

        let numpy = try WeightFixtures.floats(entry["numpy"])
        let dequantized = w.dequantized()
        // Same formula, (q − zp) · scale in float32: bit-identical to numpy.
        #expect(dequantized.map(\.bitPattern) == numpy.map(\.bitPattern))
        expectWeightsClose(dequantized, try WeightFixtures.floats(entry["onnxruntime"]), tolerance: 1e-6, "\(tag) vs onnxruntime")

        // The quantized form is reachable: codes and zero points decode to what the script wrote.
        let codes = try WeightFixtures.ints(entry["codes"])
        let zeroPoints = try WeightFixtures.ints(entry["zero_points"])
        let mask = (1 << w.bits) - 1
        w.withCodes { raw in
            #expect(raw.count == w.n * w.rowStride)
            for r in 0..<w.n {
                for c in 0..<w.k {
                    let bitOffset = (c % w.blockSize) * w.bits
                    let byte = raw[r * w.rowStride + (c / w.blockSize) * w.blobSize + bitOffset / 8]
                    let q = (Int(byte) >> (bitOffset % 8)) & mask
                    if q != codes[r * w.k + c] { Issue.record("code [\(r), \(c)] = \(q), expected \(codes[r * w.k + c])"); return }
                }
            }
        }
        for r in 0..<w.n {
            for b in 0..<w.kBlocks {
                #expect(w.zeroPoint(row: r, block: b) == Float(zeroPoints[r * w.kBlocks + b]), "zero point [\(r), \(b)]")
            }
        }
        // One row on its own equals the same row of the whole matrix.
        var row = [Float](repeating: .nan, count: w.k)
        row.withUnsafeMutableBufferPointer { w.dequantizeRow(w.n - 1, into: $0) }
        #expect(row == Array(dequantized[((w.n - 1) * w.k)...]))
    }

    @Test func zeroPointKinds() throws {
        let zp = try MatMulNBitsWeight(node: try model.node(named: "/enc/layer.0/query/MatMul_Q4"), in: model)
        guard case .packed(let bytes, let perRow) = zp.zeroPoints else { Issue.record("\(zp.zeroPoints)"); return }
        #expect(perRow == 1 && bytes.count == 3)  // two 4-bit zero points per byte, one byte per row
        let nozp = try MatMulNBitsWeight(node: try model.node(named: "/lin2/MatMul_Q4"), in: model)
        #expect(nozp.zeroPoints == .implicit(8))
        let eight = try MatMulNBitsWeight(node: try model.node(named: "/eight/MatMul_Q8"), in: model)
        guard case .packed(_, 3) = eight.zeroPoints else { Issue.record("\(eight.zeroPoints)"); return }
    }

    @Test func nodeListingFindsBiasesAndModuleNames() throws {
        let infos = model.matMulNBitsNodes()
        #expect(infos.map(\.logicalName) == ["enc.layer.0.query", "lin2", "eight"])
        let lin2 = try #require(infos.first { $0.logicalName == "lin2" })
        #expect(lin2.biasInitializer == "lin2.bias")
        #expect(lin2.biasAddNode == "/nozp/Add")
        #expect(lin2.resultName == "Y_nozp")
        #expect(lin2.output == "mm_nozp")
        #expect(lin2.input == "A_nozp")
        #expect(lin2.codesInitializer == "nozp_Q" && lin2.scalesInitializer == "nozp_scales" && lin2.zeroPointsInitializer == nil)
        #expect(lin2.k == 64 && lin2.n == 2 && lin2.bits == 4 && lin2.blockSize == 32)
        let q = try #require(infos.first)
        #expect(q.biasInitializer == nil && q.resultName == "Y_zp" && q.zeroPointsInitializer == "zp_zero_points")
        #expect(try model.initializer("lin2.bias").floats() == (try WeightFixtures.floats(try matmulEntry("nozp")["bias"])))

        let byModule = try model.matMulNBitsWeight(module: "lin2")
        #expect(byModule.nodeName == "/lin2/MatMul_Q4")
        #expect(try model.matMulNBitsWeight(lin2).dequantized() == byModule.dequantized())
        #expect(throws: ONNXError.self) { try model.matMulNBitsWeight(module: "nope") }
        #expect(ONNXModelFile.moduleName(fromNodeName: "/bert/encoder/layer.0/attention/self/query/MatMul_Q4")
            == "bert.encoder.layer.0.attention.self.query")
        #expect(ONNXModelFile.moduleName(fromNodeName: "/classifier/MatMul_Q4") == "classifier")
    }

    func dequantizeEntry(_ tag: String) throws -> [String: Any] {
        try #require((expected["dequantize_linear"] as? [String: Any])?[tag] as? [String: Any])
    }

    @Test func dequantizeLinearPerTensorWithTypedFields() throws {
        let t = try LinearQuantizedTensor(node: try model.node(named: "dq1"), in: model)
        #expect(t.isPerTensor && t.zeroPoints == [87] && t.dims == [3, 4])
        let entry = try dequantizeEntry("dq1")
        #expect(t.dequantized().map(\.bitPattern) == (try WeightFixtures.floats(entry["numpy"])).map(\.bitPattern))
        expectWeightsClose(t.dequantized(), try WeightFixtures.floats(entry["onnxruntime"]), "dq1 vs onnxruntime")
    }

    @Test func dequantizeLinearPerAxisInt8() throws {
        let t = try LinearQuantizedTensor(node: try model.node(named: "dq2"), in: model)
        #expect(!t.isPerTensor && t.axis == 0 && t.zeroPoints == [-3, 7] && t.scales == [0.5, 0.03125])
        let entry = try dequantizeEntry("dq2")
        #expect(t.dequantized() == (try WeightFixtures.floats(entry["numpy"])))
        expectWeightsClose(t.dequantized(), try WeightFixtures.floats(entry["onnxruntime"]), "dq2 vs onnxruntime")
    }

    /// Gather → DequantizeLinear (Rampart's embeddings): the table behind the Gather is found, and rows
    /// dequantized one at a time equal what onnxruntime produced for the gathered ids.
    @Test func dequantizeLinearThroughGather() throws {
        let t = try LinearQuantizedTensor(node: try model.node(named: "/emb/DequantizeLinear"), in: model)
        #expect(t.name == "emb.weight_quantized" && t.dims == [5, 4])
        let entry = try dequantizeEntry("emb")
        #expect(t.dequantized() == (try WeightFixtures.floats(entry["numpy"])))
        let ids = try WeightFixtures.ints(entry["gather_ids"])
        var gathered: [Float] = []
        for id in ids {
            var row = [Float](repeating: .nan, count: 4)
            row.withUnsafeMutableBufferPointer { t.dequantizeRow(id, into: $0) }
            gathered += row
        }
        expectWeightsClose(gathered, try WeightFixtures.floats(entry["onnxruntime_gathered"]), "gathered rows vs onnxruntime")
        #expect(Set(try model.linearQuantizedTensors().keys) == ["dq1_x", "dq2_x", "emb.weight_quantized"])
    }

    @Test func dequantizeLinearRejectsMismatchedOperands() throws {
        let x = try model.initializer("dq2_x")
        // Per-axis scale of the wrong length for axis 1.
        #expect(throws: ONNXError.self) {
            try LinearQuantizedTensor(data: x, scale: try model.initializer("dq2_scale"), zeroPoint: nil, axis: 1)
        }
        // Zero point of another type (uint8 vs int8).
        #expect(throws: ONNXError.self) {
            try LinearQuantizedTensor(data: x, scale: try model.initializer("dq1_scale"), zeroPoint: try model.initializer("dq1_zero_point"))
        }
        // Float data is not a quantized type.
        #expect(throws: ONNXError.self) {
            try LinearQuantizedTensor(data: try model.initializer("zp_scales"), scale: try model.initializer("dq1_scale"), zeroPoint: nil)
        }
        // A MatMulNBits reader refuses other nodes.
        #expect(throws: ONNXError.self) { try MatMulNBitsWeight(node: try model.node(named: "dq1"), in: model) }
    }
}
