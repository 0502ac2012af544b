import Foundation
import Inference
import Testing

/// Broken decoder files (copies of a tiny fixture model with bytes cut, flipped or rewritten) give typed errors,
/// never a crash or an out-of-bounds read.
@Suite struct DecoderLoadErrorTests {
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fixtures/decoder/tiny/qwen3_q1_0.gguf").standardized

    static func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("franca-decoder-\(getpid())-\(name).gguf")
        try Data(bytes).write(to: url)
        return url.path
    }

    static func original() throws -> [UInt8] { [UInt8](try Data(contentsOf: source)) }

    /// Offset of the value of a u32 metadata key (key bytes, then the u32 value type tag, then the value).
    static func valueOffset(of key: String, in bytes: [UInt8]) throws -> Int {
        let k = [UInt8](key.utf8)
        let start = try #require((0...(bytes.count - k.count)).first { Array(bytes[$0..<($0 + k.count)]) == k })
        return start + k.count + 4
    }

    @Test func truncatedFilesAreTypedErrors() throws {
        let bytes = try Self.original()
        for cut in [8, 100, 4096, bytes.count / 2, bytes.count - 1] {
            let path = try Self.write(Array(bytes.prefix(cut)), "cut\(cut)")
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(throws: GGUFError.self, "cut at \(cut)") { _ = try DecoderModel(path: path) }
        }
    }

    @Test func unknownArchitectureListsTheKnownOnes() throws {
        var bytes = try Self.original()
        let arch = [UInt8]("qwen3".utf8)
        // general.architecture's value string: rewrite the first "qwen3" that follows the key.
        let key = try Self.valueOffset(of: "general.architecture", in: bytes) + 4  // skip the string length's low half
        let at = try #require((key..<(key + 16)).first { Array(bytes[$0..<($0 + 5)]) == arch })
        bytes.replaceSubrange(at..<(at + 5), with: [UInt8]("qwen9".utf8))
        let path = try Self.write(bytes, "arch")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: DecoderError.unknownArchitecture("qwen9", known: ["llama", "qwen3", "gemma3"])) {
            _ = try DecoderModel(path: path)
        }
    }

    @Test func lyingHyperParametersAreShapeErrors() throws {
        var bytes = try Self.original()
        let at = try Self.valueOffset(of: "qwen3.feed_forward_length", in: bytes)
        let old = UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8
        bytes[at] = UInt8((old * 2) & 0xFF)
        bytes[at + 1] = UInt8((old * 2) >> 8)
        let path = try Self.write(bytes, "ffn")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try DecoderModel(path: path)
            Issue.record("a feed-forward length that disagrees with the tensors was accepted")
        } catch let error as DecoderError {
            guard case .tensorShape(let name, _, let expected) = error else {
                Issue.record("unexpected \(error)"); return
            }
            #expect(name == "blk.0.ffn_gate.weight")
            #expect(expected == [256, Int(old) * 2])
            #expect(error.description.contains("blk.0.ffn_gate.weight"))
        }
    }

    /// Random single-bit flips anywhere in the header and tensor table: each load either fails with a typed
    /// error or gives a model that still runs a prompt (a flipped weight bit is not detectable); never a crash.
    @Test func bitFlipsNeverCrash() throws {
        let bytes = try Self.original()
        var rng = SplitMix64(seed: 7)
        let headerEnd = min(bytes.count, 16_384)
        var typed = 0, loaded = 0
        for i in 0..<60 {
            var copy = bytes
            let at = Int(rng.next() % UInt64(headerEnd))
            copy[at] ^= UInt8(1 << (rng.next() % 8))
            let path = try Self.write(copy, "flip\(i)")
            defer { try? FileManager.default.removeItem(atPath: path) }
            do {
                let model = try DecoderModel(path: path, options: RuntimeOptions(threads: 1))
                let logits = try model.makeSession(contextLength: 16).evaluate([1, 2, 3])
                #expect(logits.count == model.config.vocabSize)
                loaded += 1
            } catch is GGUFError { typed += 1 } catch is DecoderError { typed += 1 } catch is GGUFTokenizerError {
                typed += 1
            }
        }
        #expect(typed + loaded == 60)
        #expect(typed > 0)
    }
}
