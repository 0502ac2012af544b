import Foundation
import Inference
import Testing

/// A minimal protobuf encoder for hand-made (and deliberately broken) ONNX messages.
enum PB {
    static func varint(_ value: UInt64) -> [UInt8] {
        var v = value, out: [UInt8] = []
        repeat {
            out.append(UInt8(v & 0x7F) | (v > 0x7F ? 0x80 : 0))
            v >>= 7
        } while v != 0
        return out
    }
    static func int(_ field: Int, _ v: Int64) -> [UInt8] { varint(UInt64(field << 3)) + varint(UInt64(bitPattern: v)) }
    static func bytes(_ field: Int, _ payload: [UInt8]) -> [UInt8] {
        varint(UInt64(field << 3 | 2)) + varint(UInt64(payload.count)) + payload
    }
    static func string(_ field: Int, _ s: String) -> [UInt8] { bytes(field, Array(s.utf8)) }

    /// TensorProto with `raw_data` (dims 1, data_type 2, name 8, raw_data 9).
    static func tensor(_ name: String, dims: [Int64], type: Int64 = 1, raw: [UInt8]) -> [UInt8] {
        dims.flatMap { int(1, $0) } + int(2, type) + string(8, name) + bytes(9, raw)
    }

    /// ModelProto with ir_version 8, one graph (field 7) and opset imports (field 8).
    static func model(graph: [UInt8], opsets: [(String, Int64)] = [("", 21)]) -> [UInt8] {
        int(1, 8) + bytes(7, graph) + opsets.flatMap { bytes(8, string(1, $0.0) + int(2, $0.1)) }
    }

    /// GraphProto with initializers (field 5) and nodes (field 1).
    static func graph(initializers: [[UInt8]] = [], nodes: [[UInt8]] = []) -> [UInt8] {
        nodes.flatMap { bytes(1, $0) } + string(2, "g") + initializers.flatMap { bytes(5, $0) }
    }
}

@Suite struct ONNXCorruptionTests {
    /// The case name of an error (its associated values vary with the scratch path).
    static func kind(_ e: ONNXError) -> String { Mirror(reflecting: e).children.first?.label ?? String(describing: e) }

    static func failure(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> ONNXError {
        let s = try WeightsScratchDirectory()
        do {
            let m = try ONNXModelFile(path: try s.write(bytes, name: "m.onnx"))
            Issue.record("expected an error, loaded \(m.initializers.count) initializers", sourceLocation: sourceLocation)
            throw CancellationError()
        } catch let e as ONNXError {
            #expect(!e.description.isEmpty)
            return e
        }
    }

    static let f32x2: [UInt8] = [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]

    static let cases: [(String, [UInt8], String)] = [
        ("empty file", [], "missingGraph"),
        ("field number 0", [0x00], "malformed"),
        ("group wire type", [0x0B], "malformed"),
        ("varint over 64 bits", [0x08] + Array(repeating: 0xFF, count: 10) + [0x01], "malformed"),
        ("varint cut off", [0x08, 0x80], "truncated"),
        ("fixed32 cut off (unknown field 15)", [0x7D, 0x01], "truncated"),
        ("graph longer than file", [0x3A, 0x05, 0x00], "lengthOutOfBounds"),
        // The initializer's length fits in the file but not in its graph.
        ("nested length lies", PB.int(1, 8) + [0x3A, 0x02, 0x2A, 0x05, 1, 2, 3, 4, 5], "lengthOutOfBounds"),
        ("raw_data size", PB.model(graph: PB.graph(initializers: [PB.tensor("w", dims: [3], raw: f32x2)])), "rawDataSizeMismatch"),
        ("raw and typed", PB.model(graph: PB.graph(initializers: [PB.tensor("w", dims: [2], raw: f32x2) + PB.bytes(4, f32x2)])), "invalidTensor"),
        ("negative dim", PB.model(graph: PB.graph(initializers: [PB.tensor("w", dims: [-2], raw: f32x2)])), "invalidTensor"),
        ("dims overflow", PB.model(graph: PB.graph(initializers: [PB.tensor("w", dims: [1 << 40, 1 << 40], raw: f32x2)])), "invalidTensor"),
        ("float_data count", PB.model(graph: PB.graph(initializers: [PB.int(1, 3) + PB.int(2, 1) + PB.string(8, "w") + PB.bytes(4, f32x2)])), "invalidTensor"),
        ("float_data for INT64", PB.model(graph: PB.graph(initializers: [PB.int(1, 2) + PB.int(2, 7) + PB.string(8, "w") + PB.bytes(4, f32x2)])), "invalidTensor"),
        ("packed float_data of 6 bytes", PB.model(graph: PB.graph(initializers: [PB.int(2, 1) + PB.string(8, "w") + PB.bytes(4, [0, 0, 0, 0, 0, 0])])), "malformed"),
        ("data_type as bytes", PB.model(graph: PB.graph(initializers: [PB.string(2, "x")])), "malformed"),
        ("no data", PB.model(graph: PB.graph(initializers: [PB.int(1, 2) + PB.int(2, 1) + PB.string(8, "w")])), "invalidTensor"),
        ("duplicate initializer", PB.model(graph: PB.graph(initializers: [PB.tensor("w", dims: [2], raw: f32x2), PB.tensor("w", dims: [2], raw: f32x2)])), "duplicateInitializer"),
        ("domain without opset", PB.model(graph: PB.graph(nodes: [PB.string(4, "MatMulNBits") + PB.string(3, "n") + PB.string(7, "com.microsoft")])), "invalidNode"),
        ("two graphs", PB.int(1, 8) + PB.bytes(7, PB.graph()) + PB.bytes(7, PB.graph()) + PB.bytes(8, PB.string(1, "") + PB.int(2, 21)), "malformed"),
        ("tensor attribute without tensor", PB.model(graph: PB.graph(nodes: [PB.string(4, "Constant") + PB.bytes(5, PB.string(1, "value") + PB.int(20, 4))])), "invalidNode"),
    ]

    @Test(arguments: 0..<cases.count)
    func malformedMessage(index: Int) throws {
        let (label, bytes, kind) = Self.cases[index]
        let e = try Self.failure(bytes)
        #expect(Self.kind(e) == kind, "\(label): \(e)")
    }

    @Test func unknownFieldsAndDataTypesAreTolerated() throws {
        let s = try WeightsScratchDirectory()
        let unknownType = PB.tensor("future", dims: [2], type: 99, raw: [1, 2, 3])
        let graph = PB.graph(initializers: [PB.tensor("w", dims: [2], raw: Self.f32x2), unknownType]) + PB.int(99, 5) + PB.bytes(100, [1, 2, 3])
        let m = try ONNXModelFile(path: try s.write(PB.model(graph: graph) + PB.bytes(77, [9, 9]), name: "m.onnx"))
        #expect(try m.initializer("w").floats() == [1.0, 2.0])
        #expect(throws: ONNXError.self) { try m.initializer("future").floats() }
    }

    /// Parses a (possibly corrupted) model fully and exercises every reader on it; only typed errors may come out.
    static func exercise(_ path: String) throws {
        let m = try ONNXModelFile(path: path)
        for t in m.initializers {
            _ = try? t.floats()
            _ = try? t.int64s()
        }
        for n in m.nodes(opType: "MatMulNBits") {
            if let w = try? MatMulNBitsWeight(node: n, in: m) { _ = w.dequantized() }
        }
        for n in m.nodes(opType: "DequantizeLinear") {
            if let t = try? LinearQuantizedTensor(node: n, in: m) { _ = t.dequantized() }
        }
        _ = m.matMulNBitsNodes()
    }

    @Test func truncationAtEveryOffsetIsATypedError() throws {
        let original = try WeightFixtures.bytes("tiny_quant.onnx")
        let s = try WeightsScratchDirectory()
        let p = try s.write([], name: "trunc.onnx")
        for length in 0..<original.count {
            try s.overwrite(Array(original[0..<length]), at: p)
            do {
                try Self.exercise(p)
                Issue.record("truncated to \(length) of \(original.count) bytes but loaded")
            } catch is ONNXError {
            }
        }
    }

    /// Every bit of the file flipped, one at a time: parsing and every reader either succeed or throw `ONNXError`.
    @Test func bitFlipsNeverCrash() throws {
        let original = try WeightFixtures.bytes("tiny_quant.onnx")
        let s = try WeightsScratchDirectory()
        let p = try s.write([], name: "flip.onnx")
        var refused = 0
        for offset in 0..<original.count {
            for bit in 0..<8 {
                var bytes = original
                bytes[offset] ^= UInt8(1 << bit)
                try s.overwrite(bytes, at: p)
                do { try Self.exercise(p) } catch is ONNXError { refused += 1 }
            }
        }
        // Flips inside float payloads are undetectable by design; flips in structure must be caught.
        #expect(refused > 0)
        print("ONNX bit flips: \(refused) of \(original.count * 8) refused with a typed error, the rest parsed")
    }
}
