import Foundation
import Inference
import Testing

/// `ONNXModelFile` against models written by the `onnx` Python package.
@Suite struct ONNXModelFileTests {
    @Test func tinyQuantGraphStructure() throws {
        let expected = try WeightFixtures.json("tiny_quant.json")
        let m = try ONNXModelFile(path: WeightFixtures.path("tiny_quant.onnx"))
        #expect(m.nodes.count == expected["node_count"] as? Int)
        #expect(m.initializers.count == expected["initializer_count"] as? Int)
        #expect(m.irVersion == 10)
        #expect(m.producerName == "franca-fixtures")
        #expect(m.opsetVersion(domain: "") == 21)
        #expect(m.opsetVersion(domain: "com.microsoft") == 1)
        #expect(m.inputs.map(\.name) == ["A_zp", "A_nozp", "A_eight", "ids"])
        #expect(m.inputs.map(\.elementType) == [1, 1, 1, 7])
        #expect(m.outputs.map(\.name) == ["Y_zp", "Y_nozp", "Y_eight", "Y_dq1", "Y_dq2", "Y_emb", "Y_const"])

        let mm = try m.node(named: "/enc/layer.0/query/MatMul_Q4")
        #expect(mm.opType == "MatMulNBits")
        #expect(mm.domain == "com.microsoft")
        #expect(mm.inputs == ["A_zp", "zp_Q", "zp_scales", "zp_zero_points"])
        #expect(mm.outputs == ["Y_zp"])
        #expect(mm.int("K") == 48 && mm.int("N") == 3 && mm.int("bits") == 4 && mm.int("block_size") == 32)
        #expect(m.nodes(opType: "MatMulNBits").count == 3)
        #expect(m.consumers(of: "mm_nozp").map(\.name) == ["/nozp/Add"])
        #expect(m.producer(of: "gathered_q")?.opType == "Gather")
        #expect(m.producer(of: "zp_Q") == nil)

        // A Constant's value is a TensorProto attribute, raw int64 in the map.
        let constant = try #require(try m.node(named: "const").tensor("value"))
        #expect(constant.dims == [3])
        #expect(try constant.int64s() == (try #require(expected["constant"] as? [NSNumber])).map(\.int64Value))

        // raw_data of an initializer is a slice of the mapping, not a copy.
        let codes = try m.initializer("zp_Q")
        #expect(codes.dataType == .uint8)
        #expect(codes.dims == [3, 2, 16])
        guard case .raw(let r) = codes.storage else { Issue.record("codes not raw"); return }
        let viaTensor = try codes.withRawBytes { $0.baseAddress }
        #expect(viaTensor == m.file.bytes(r).baseAddress)

        // Typed fields, as Rampart stores its embedding scale and zero point.
        #expect(try m.initializer("dq1_scale").storage == .floatData([0.0057640187]))
        #expect(try m.initializer("dq1_zero_point").storage == .int32Data([87]))
        #expect(try m.initializer("dq1_zero_point").int64s() == [87])
        #expect(throws: ONNXError.notRawData(path: m.path, tensor: "dq1_scale")) { try m.initializer("dq1_scale").withRawBytes { _ in () } }
    }

    @Test func everyAttributeKindAndTypedField() throws {
        let m = try ONNXModelFile(path: WeightFixtures.path("tiny_attributes.onnx"))
        let n = try m.node(named: "everything")
        #expect(n.domain == "test.franca")
        #expect(n.float("f") == 0.5)
        #expect(n.int("i") == -3)
        #expect(n.string("s") == "héllo")
        #expect(try n.tensor("t")?.floats() == [1.25, -0.5])
        if case .floats(let v)? = n.attribute("floats") { #expect(v == [1.5, -2.0]) } else { Issue.record("floats") }
        #expect(n.ints("ints") == [1, -2, 3_000_000_000])
        if case .strings(let v)? = n.attribute("strings") { #expect(v == ["a", "b"]) } else { Issue.record("strings") }
        #expect(n.attribute("missing") == nil)

        #expect(try m.initializer("typed_floats").floats() == [1.0, -2.5, 3.25])
        let i64 = try m.initializer("typed_int64")
        #expect(i64.dims == [2, 2])
        #expect(try i64.int64s() == [1, -2, 3, 1 << 40])
        #expect(try m.initializer("typed_f16").floats() == [1.0, -2.0])
        #expect(try m.initializer("typed_double").floats() == [Float(0.1), Float(-1e10)])
        #expect(try m.initializer("raw_f16").floats() == [0.5, 65504, 0x1p-24])
        #expect(throws: ONNXError.self) { try m.initializer("typed_floats").int64s() }
        #expect(throws: ONNXError.initializerNotFound(path: m.path, name: "nope", suggestion: nil)) { try m.initializer("nope") }
    }

    @Test func externalDataIsRefused() throws {
        let p = WeightFixtures.path("tiny_external.onnx")
        #expect(throws: ONNXError.externalDataUnsupported(path: p, tensor: "external_weight", location: "weights.bin")) {
            try ONNXModelFile(path: p)
        }
    }

    @Test func missingFileIsTypedError() {
        #expect(throws: ONNXError.self) { try ONNXModelFile(path: "/nonexistent/franca/model.onnx") }
    }
}
