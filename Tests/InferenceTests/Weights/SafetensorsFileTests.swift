import Foundation
import Inference
import Testing

/// `SafetensorsFile` against a file written by `safetensors.torch` (values read back by safetensors itself).
@Suite struct SafetensorsFileTests {
    let expected: [String: Any]
    let file: SafetensorsFile

    init() throws {
        expected = try WeightFixtures.json("tiny_safetensors.json")
        file = try SafetensorsFile(path: WeightFixtures.path("tiny.safetensors"))
    }

    @Test func headerAndMetadata() throws {
        #expect(file.headerSize == (expected["header_length"] as? Int))
        #expect(file.metadata == ["format": "pt", "note": "franca fixture"])
        let tensors = try #require(expected["tensors"] as? [String: [String: Any]])
        #expect(Set(file.names) == Set(tensors.keys))
        for (name, entry) in tensors {
            let info = try file.info(name)
            #expect(info.dtype.rawValue == entry["dtype"] as? String, "\(name)")
            #expect(info.shape == (try WeightFixtures.ints(entry["shape"])), "\(name)")
            #expect(info.elementCount == info.shape.reduce(1, *))
        }
        // Tensors are listed in data order and tile the buffer.
        #expect(file.tensors.map(\.dataOffsets.lowerBound) == file.tensors.map(\.dataOffsets.lowerBound).sorted())
        #expect(file.tensors.last?.fileRange.upperBound == file.file.count)
    }

    @Test(arguments: ["f32", "f16", "bf16", "scalar", "empty"])
    func floatValuesMatchSafetensors(name: String) throws {
        let entry = try #require((expected["tensors"] as? [String: [String: Any]])?[name])
        let want = try WeightFixtures.floats(entry["values"])
        let got = try file.floats(name)
        #expect(got.count == want.count)
        // Exact: widening F16/BF16 is exact, and -0.0 keeps its sign.
        #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "\(name): \(got) vs \(want)")
    }

    @Test(arguments: ["i64", "u8"])
    func integerValuesMatchSafetensors(name: String) throws {
        let entry = try #require((expected["tensors"] as? [String: [String: Any]])?[name])
        let want = try #require(entry["values"] as? [NSNumber]).map(\.int64Value)
        #expect(try file.int64s(name) == want)
    }

    @Test func float32ViewIsZeroCopyAndEqual() throws {
        let copy = try file.floats("f32")
        let viewed = try file.withFloat32Buffer("f32") { Array($0) }
        #expect(viewed == copy)
        let base = try file.withRawBytes("f32") { $0.baseAddress }
        let viewBase = try file.withFloat32Buffer("f32") { UnsafeRawPointer($0.baseAddress) }
        #expect(base == viewBase)
    }

    @Test func wrongNameAndDTypeAreTypedErrors() throws {
        #expect(throws: SafetensorsError.tensorNotFound(path: file.path, tensor: "nope", suggestion: nil)) { try file.floats("nope") }
        #expect(throws: SafetensorsError.wrongDType(path: file.path, tensor: "i64", dtype: "I64", expected: "F32, F16, BF16 or F64")) {
            try file.floats("i64")
        }
        #expect(throws: SafetensorsError.wrongDType(path: file.path, tensor: "f16", dtype: "F16", expected: "F32")) {
            try file.withFloat32Buffer("f16") { _ in () }
        }
        #expect(throws: SafetensorsError.self) { try file.int64s("f32") }
    }

    @Test func missingFileIsTypedError() {
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(path: "/nonexistent/franca/model.safetensors") }
    }
}
