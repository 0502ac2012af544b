import Foundation
import Inference
import Testing

/// The real model files (see `TestModels`), checked against values numpy read from the same files
/// (`Tests/Fixtures/weights/{rampart,minilm}_expected.json`).
@Suite struct RealWeightFileTests {
    @Test(.enabled(if: TestModels.available(TestModels.miniLMSafetensors)))
    func miniLMSafetensorsLoadsEveryTensor() throws {
        let path = try #require(TestModels.path(TestModels.miniLMSafetensors), "all-MiniLM-L6-v2 model.safetensors missing")
        let expected = try WeightFixtures.json("minilm_expected.json")
        let start = Date()
        let f = try SafetensorsFile(path: path)
        let elapsed = Date().timeIntervalSince(start)
        let tensors = try #require(expected["tensors"] as? [String: [String: Any]])
        #expect(f.tensors.count == 104)
        #expect(tensors.count == 104)
        for (name, entry) in tensors {
            let info = try f.info(name)
            #expect(info.dtype.rawValue == entry["dtype"] as? String, "\(name)")
            #expect(info.shape == (try WeightFixtures.ints(entry["shape"])), "\(name)")
        }
        #expect(f.metadata == (expected["metadata"] as? [String: String]))
        let values = try #require(expected["values"] as? [String: Any])
        #expect(Array(try f.floats("embeddings.word_embeddings.weight")[0..<4]) == (try WeightFixtures.floats(values["embeddings.word_embeddings.weight[0:4]"])))
        let biasTail = try f.withFloat32Buffer("encoder.layer.5.output.LayerNorm.bias") { Array($0[380..<384]) }
        #expect(biasTail == (try WeightFixtures.floats(values["encoder.layer.5.output.LayerNorm.bias[380:384]"])))
        let positions = try f.int64s("embeddings.position_ids")
        #expect([positions[0], positions[1], positions[511]] == (try #require(expected["position_ids"] as? [NSNumber])).map(\.int64Value))
        print("MiniLM safetensors: \(f.tensors.count) tensors validated in \(String(format: "%.2f", elapsed * 1000)) ms")
    }

    @Test(.enabled(if: TestModels.available(TestModels.rampartONNX)))
    func rampartGraphAndQuantizedWeights() throws {
        let path = try #require(TestModels.path(TestModels.rampartONNX), "Rampart model_q4.onnx missing")
        let expected = try WeightFixtures.json("rampart_expected.json")
        let start = Date()
        let m = try ONNXModelFile(path: path)
        let elapsed = Date().timeIntervalSince(start)
        #expect(m.initializers.count == expected["initializer_count"] as? Int)
        #expect(m.nodes.count == expected["node_count"] as? Int)
        #expect(m.opsetVersion(domain: "") == 18)
        #expect(m.opsetVersion(domain: "com.microsoft") == 1)
        #expect(m.inputs.map(\.name) == (expected["inputs"] as? [String]))
        #expect(m.outputs.map(\.name) == (expected["outputs"] as? [String]))

        // The module map, derived independently in Python from the bias Adds.
        let modules = try #require(expected["modules"] as? [[String: Any]])
        let infos = m.matMulNBitsNodes()
        #expect(infos.count == 37)
        #expect(modules.count == 37)
        for (info, want) in zip(infos, modules) {
            #expect(info.nodeName == want["node"] as? String)
            #expect(info.logicalName == want["module"] as? String)
            #expect(info.biasInitializer == want["bias"] as? String)
            #expect(info.codesInitializer == want["B"] as? String)
            #expect(info.scalesInitializer == want["scales"] as? String)
            #expect(info.k == want["K"] as? Int && info.n == want["N"] as? Int)
            #expect(info.bits == 4 && info.blockSize == 32 && info.zeroPointsInitializer == nil)
            // Node-name and bias-name derivations agree for this exporter.
            #expect(ONNXModelFile.moduleName(fromNodeName: info.nodeName) == info.logicalName)
        }

        // Dequantized rows equal numpy's dequantization of the same initializers, bit for bit.
        let weights = try #require(expected["weights"] as? [String: [String: Any]])
        for (module, rows) in weights {
            let w = try m.matMulNBitsWeight(module: module)
            #expect(w.zeroPoints == .implicit(8))
            for (rowText, values) in rows {
                let r = try #require(Int(rowText))
                var row = [Float](repeating: .nan, count: w.k)
                row.withUnsafeMutableBufferPointer { w.dequantizeRow(r, into: $0) }
                #expect(row.map(\.bitPattern) == (try WeightFixtures.floats(values)).map(\.bitPattern), "\(module) row \(r)")
            }
        }
        let full = try m.matMulNBitsWeight(module: "classifier").dequantized()
        #expect(full.count == 35 * 384)
        #expect(Array(full[(34 * 384)...]) == (try WeightFixtures.floats(weights["classifier"]?["34"])))

        // Embedding tables: uint8 initializers behind Gather → DequantizeLinear.
        let tables = try m.linearQuantizedTensors()
        #expect(tables.count == 3)
        let embeddings = try #require(expected["embeddings"] as? [String: [String: Any]])
        for (name, rows) in embeddings {
            let t = try #require(tables[name + "_quantized"], "\(name)")
            #expect(t.isPerTensor)
            for (rowText, values) in rows {
                let r = try #require(Int(rowText))
                var row = [Float](repeating: .nan, count: t.dims[1])
                row.withUnsafeMutableBufferPointer { t.dequantizeRow(r, into: $0) }
                #expect(row == (try WeightFixtures.floats(values)), "\(name) row \(r)")
            }
        }
        #expect(tables["bert.embeddings.word_embeddings.weight_quantized"]?.dims == [19730, 384])

        let norms = try #require(expected["layernorm"] as? [String: Any])
        for (name, values) in norms {
            #expect(Array(try m.initializer(name).floats().prefix(8)) == (try WeightFixtures.floats(values)), "\(name)")
        }
        print("Rampart ONNX: \(m.nodes.count) nodes, \(m.initializers.count) initializers parsed in \(String(format: "%.2f", elapsed * 1000)) ms")
    }
}
