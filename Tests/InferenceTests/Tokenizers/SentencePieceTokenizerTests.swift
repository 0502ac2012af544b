import Foundation
import Inference
import Testing

/// A toy SentencePiece vocabulary: 0 <pad>, 1 <eos>, 2 <bos>, 3 <unk>, 4…259 byte tokens <0x00>…<0xFF>,
/// then 260 "▁", 261 "a", 262 "b", 263 "ab", 264 "▁a", 265 "bc", 266 "<start_of_turn>", 267 "<br>".
private func toySPM(addSpacePrefix: Bool) throws -> SentencePieceTokenizer {
    let hex = (0..<256).map { String(format: "<0x%02X>", $0) }
    let tokens = ["<pad>", "<eos>", "<bos>", "<unk>"] + hex + ["▁", "a", "b", "ab", "▁a", "bc", "<start_of_turn>", "<br>"]
    let types: [Int32] = [3, 3, 3, 2] + Array(repeating: 6, count: 256) + [1, 1, 1, 1, 1, 1, 3, 4]
    let scores: [Float] = Array(repeating: 0, count: 260) + [-1, -2, -2, -3, -1.5, -0.5, 0, 0]
    return try SentencePieceTokenizer(metadata: GGUFTokenizerMetadata(
        model: "llama", tokens: tokens, tokenTypes: types, scores: scores, bosID: 2, eosID: 1, unknownID: 3,
        addBOS: true, addSpacePrefix: addSpacePrefix))
}

@Suite("SentencePiece tokenizer")
struct SentencePieceTokenizerTests {
    @Test func highestScoringPairMergesFirst() throws {
        let tok = try toySPM(addSpacePrefix: false)
        #expect(tok.encode("ab", addSpecial: false, parseSpecial: false) == [263])
        // "bc" (-0.5) beats "ab" (-3); "c" alone is no token but still a symbol.
        #expect(tok.encode("abc", addSpecial: false, parseSpecial: false) == [261, 265])
        // Spaces become ▁; "▁a" (-1.5) merges, "▁b" is no token.
        #expect(tok.encode(" a b", addSpecial: false, parseSpecial: false) == [264, 260, 262])
    }

    @Test func unknownCharactersFallBackToByteTokens() throws {
        let tok = try toySPM(addSpacePrefix: false)
        #expect(tok.encode("é", addSpecial: false, parseSpecial: false) == [4 + 0xC3, 4 + 0xA9])
        #expect(tok.decode([4 + 0xC3, 4 + 0xA9]) == "é")
        var stream = StreamingDecoder(tokenizer: tok)
        #expect(stream.append(4 + 0xC3) == "")
        #expect(stream.append(4 + 0xA9) == "é")
    }

    @Test func spacePrefixBosAndSpecialTokens() throws {
        let plain = try toySPM(addSpacePrefix: false)
        let prefixed = try toySPM(addSpacePrefix: true)
        #expect(plain.encode("ab", addSpecial: true, parseSpecial: false) == [2, 263])
        // "▁ab": "▁a" (-1.5) merges before "ab" (-3), leaving "b".
        #expect(prefixed.encode("ab", addSpecial: false, parseSpecial: false) == [264, 262])
        #expect(plain.encode("<start_of_turn>a", addSpecial: false, parseSpecial: true) == [266, 261])
        // Text after a special token gets the space prefix again.
        #expect(prefixed.encode("<start_of_turn>a", addSpecial: false, parseSpecial: true) == [266, 264])
        // Control tokens are text unless parseSpecial; user-defined tokens are always cut out.
        #expect(plain.encode("<br>ab", addSpecial: false, parseSpecial: false) == [267, 263])
        #expect(!plain.encode("<start_of_turn>", addSpecial: false, parseSpecial: false).contains(266))
        // Decoding: ▁ → space; add_space_prefix drops the first leading space; control tokens hidden by default.
        #expect(plain.decode([264, 262]) == " ab")
        #expect(prefixed.decode([264, 262]) == "ab")
        #expect(plain.decode([2, 266, 261]) == "a")
        #expect(plain.decode([2, 266, 261], renderSpecial: true) == "<bos><start_of_turn>a")
        #expect(streamDecode(prefixed, [264, 262]) == "ab")
    }

    @Test func badMetadataIsATypedError() throws {
        #expect(throws: GGUFTokenizerError.lengthMismatch(key: "tokenizer.ggml.scores", expected: 2, actual: 1)) {
            try SentencePieceTokenizer(metadata: GGUFTokenizerMetadata(model: "llama", tokens: ["a", "b"], scores: [0]))
        }
        #expect(throws: GGUFTokenizerError.tokenIDOutOfRange(key: "tokenizer.ggml.bos_token_id", id: 5, vocabSize: 2)) {
            try SentencePieceTokenizer(metadata: GGUFTokenizerMetadata(model: "llama", tokens: ["a", "b"], bosID: 5))
        }
    }
}

@Suite("SentencePiece vs llama.cpp (Gemma 3)")
struct SentencePieceLlamaCppParityTests {
    @Test(.enabled(if: TestModels.available(TestModels.gemma3)))
    func gemma3MatchesLlamaCppOnTheCorpus() throws {
        let path = try #require(TestModels.path(TestModels.gemma3))
        let tokenizer = try GGUFTokenizerFactory.make(gguf: GGUFFile(path: path))
        let spm = try #require(tokenizer as? SentencePieceTokenizer)
        #expect(spm.vocabSize == 262_144 && spm.bosID == 2 && spm.eosID == 1 && spm.addBOS && !spm.addSpacePrefix)
        #expect(spm.endOfGenerationIDs.contains(106))  // <end_of_turn>
        let fixture = try GGUFTokenizerFixture.load("spm/gemma3.json")
        #expect(fixture.cases.count >= 200)
        var mismatches = 0
        for c in fixture.cases {
            let ids = spm.encode(c.text, addSpecial: c.add_special, parseSpecial: c.parse_special)
            if ids != c.ids { mismatches += 1 }
            #expect(ids == c.ids, "\(c.label)")
            #expect(spm.decodeBytes(c.ids) == c.decoded, "decode \(c.label)")
            #expect(spm.decodeBytes(c.ids, renderSpecial: true) == c.decodedSpecial, "decode special \(c.label)")
            #expect(streamDecode(spm, c.ids) == spm.decode(c.ids), "stream \(c.label)")
            #expect(streamDecode(spm, c.ids, renderSpecial: true) == spm.decode(c.ids, renderSpecial: true))
            if c.decoded == Array(c.text.utf8) {
                #expect(spm.decode(ids) == c.text, "round trip \(c.label)")
            }
        }
        #expect(mismatches == 0)
    }
}
