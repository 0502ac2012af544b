import Foundation
import Testing
import Inference

/// Truncated and bit-flipped copies of the real weight files, loaded all the way to a BERT model: a cut file is
/// always a typed error; a flipped header byte is a typed error or a file that still reads (never a crash).
///
/// Flips in the tensor data itself cannot be seen by a reader (they are valid numbers); the model store's sha256
/// check is what refuses those files before they are used.
@Suite struct RealWeightCorruptionTests {
    static func isTyped(_ error: Error) -> Bool {
        error is SafetensorsError || error is ONNXError || error is MappedFileError || error is BertError
    }

    /// Offsets to cut at: inside the header, just after it, in the middle, and one byte short of the end.
    static func cuts(size: Int, header: Int) -> [Int] {
        Array(Set([0, 1, 7, 8, 9, header / 2, header - 1, header, header + 1, size / 3, size / 2, size - 1]
            .filter { $0 >= 0 && $0 < size })).sorted()
    }

    @Test(.enabled(if: TestModels.available(TestModels.miniLMSafetensors)))
    func miniLMSafetensorsCopies() throws {
        let path = try #require(TestModels.path(TestModels.miniLMSafetensors))
        let config = try #require(TestModels.path(TestModels.miniLMConfig))
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let header = 8 + Int(bytes[0 ..< 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        let scratch = try WeightsScratchDirectory()
        for cut in Self.cuts(size: bytes.count, header: header) {
            let copy = try scratch.write(Array(bytes[0 ..< cut]), name: "cut.safetensors")
            do {
                _ = try BertModel.load(safetensors: copy, config: config, options: RuntimeOptions(threads: 1))
                Issue.record("a copy cut at \(cut) of \(bytes.count) bytes loaded")
            } catch {
                #expect(Self.isTyped(error), "cut at \(cut): untyped \(error)")
            }
            try FileManager.default.removeItem(atPath: copy)
        }
        // Flip one bit in 64 header bytes spread over the JSON: each copy is refused with a typed error or reads.
        var refused = 0
        for k in 0 ..< 64 {
            var flipped = bytes
            let at = min(header - 1, k * max(1, header / 64))
            flipped[at] ^= 1 << UInt8(k % 8)
            let copy = try scratch.write(flipped, name: "flip.safetensors")
            do { _ = try SafetensorsFile(path: copy) } catch {
                #expect(Self.isTyped(error), "flip at \(at): untyped \(error)")
                refused += 1
            }
            try FileManager.default.removeItem(atPath: copy)
        }
        #expect(refused > 0)
    }

    @Test(.enabled(if: TestModels.available(TestModels.rampartONNX)))
    func rampartONNXCopies() throws {
        let path = try #require(TestModels.path(TestModels.rampartONNX))
        let config = try #require(TestModels.path(TestModels.rampartConfig))
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let scratch = try WeightsScratchDirectory()
        for cut in Self.cuts(size: bytes.count, header: 64) {
            let copy = try scratch.write(Array(bytes[0 ..< cut]), name: "cut.onnx")
            do {
                _ = try BertModel.load(onnx: copy, config: config, options: RuntimeOptions(threads: 1))
                Issue.record("a copy cut at \(cut) of \(bytes.count) bytes loaded")
            } catch {
                #expect(Self.isTyped(error), "cut at \(cut): untyped \(error)")
            }
            try FileManager.default.removeItem(atPath: copy)
        }
        // Flip bits in the protobuf framing at the start and the end of the file (tags and lengths live there).
        var refused = 0
        let positions = Array(0 ..< 48) + Array((bytes.count - 48) ..< bytes.count)
        for (k, at) in positions.enumerated() {
            var flipped = bytes
            flipped[at] ^= 1 << UInt8(k % 8)
            let copy = try scratch.write(flipped, name: "flip.onnx")
            do { _ = try BertModel.load(onnx: copy, config: config, options: RuntimeOptions(threads: 1)) } catch {
                #expect(Self.isTyped(error), "flip at \(at): untyped \(error)")
                refused += 1
            }
            try FileManager.default.removeItem(atPath: copy)
        }
        #expect(refused > 0)
    }
}
