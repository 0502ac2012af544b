import Foundation
import Inference

/// Golden cases made by llama.cpp (`scripts/fixtures/gguf_tokenizer_fixtures.py`), shared by the BPE and
/// SentencePiece parity tests.
struct GGUFTokenizerFixture: Decodable {
    struct Case: Decodable {
        let text_hex: String
        let add_special: Bool
        let parse_special: Bool
        let ids: [Int32]
        let decoded_hex: String
        let decoded_special_hex: String

        var text: String { String(decoding: Self.bytes(text_hex), as: UTF8.self) }
        var decoded: [UInt8] { Self.bytes(decoded_hex) }
        var decodedSpecial: [UInt8] { Self.bytes(decoded_special_hex) }
        var label: String { "\(text.debugDescription) addSpecial=\(add_special) parseSpecial=\(parse_special)" }

        static func bytes(_ hex: String) -> [UInt8] {
            var out: [UInt8] = []
            var it = hex.utf8.makeIterator()
            while let hi = it.next(), let lo = it.next() {
                out.append(UInt8(Self.nibble(hi) << 4 | Self.nibble(lo)))
            }
            return out
        }

        private static func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : (c | 0x20) - 87 }
    }

    let model: String
    let cases: [Case]

    static func load(_ relative: String) throws -> GGUFTokenizerFixture {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/tokenizers/\(relative)")
        return try JSONDecoder().decode(GGUFTokenizerFixture.self, from: Data(contentsOf: url))
    }
}

/// Feeds ids one at a time through a `StreamingDecoder` and joins the chunks.
func streamDecode(_ tokenizer: any TextTokenizer, _ ids: [Int32], renderSpecial: Bool = false) -> String {
    var decoder = StreamingDecoder(tokenizer: tokenizer, renderSpecial: renderSpecial)
    var text = ""
    for id in ids { text += decoder.append(id) }
    return text + decoder.finish()
}
