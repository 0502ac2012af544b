import Foundation
import Inference
import Testing

/// GPT-2's byte → character table, written out independently of the implementation (FORMATS.md section 8).
private let byteChars: [String] = {
    var n = 0
    return (0..<256).map { b in
        let printable = (33...126).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b)
        let cp = printable ? b : 256 + { defer { n += 1 }; return n }()
        return String(UnicodeScalarType(UInt32(cp))!)
    }
}()
private typealias UnicodeScalarType = Unicode.Scalar

/// A toy vocabulary: the 256 byte characters (id = byte), then `extra` tokens.
private func toyBPE(
    extra: [(String, Int32)] = [], merges: [String] = [], pre: String = "gpt2", addBOS: Bool? = nil
) throws -> ByteLevelBPETokenizer {
    try ByteLevelBPETokenizer(metadata: GGUFTokenizerMetadata(
        model: "gpt2", pre: pre, tokens: byteChars + extra.map(\.0),
        tokenTypes: Array(repeating: 1, count: 256) + extra.map(\.1), merges: merges, bosID: extra.isEmpty ? nil : 256, addBOS: addBOS))
}

private func byteID(_ c: Character) -> Int32 { Int32(c.asciiValue!) }

@Suite("Byte-level BPE tokenizer")
struct BPETokenizerTests {
    @Test func everyByteIsItsOwnTokenWithoutMerges() throws {
        let tok = try toyBPE(extra: [("<s>", 3)])
        #expect(tok.encode("a b", addSpecial: false, parseSpecial: false) == [97, 32, 98])
        // é is C3 A9: two byte tokens.
        #expect(tok.encode("é", addSpecial: false, parseSpecial: false) == [0xC3, 0xA9])
        #expect(tok.tokenText(32) == "Ġ")
        #expect(tok.tokenText(10) == "Ċ")
        #expect(tok.decode([104, 105, 32, 0xC3, 0xA9]) == "hi é")
    }

    @Test func lowerRankMergesFirst() throws {
        // "abc": with rank("a b") < rank("b c") we get ab|c, with the opposite order a|bc.
        let ab = try toyBPE(extra: [("ab", 1), ("bc", 1)], merges: ["a b", "b c"])
        #expect(ab.encode("abc", addSpecial: false, parseSpecial: false) == [256, byteID("c")])
        let bc = try toyBPE(extra: [("ab", 1), ("bc", 1)], merges: ["b c", "a b"])
        #expect(bc.encode("abc", addSpecial: false, parseSpecial: false) == [byteID("a"), 257])
        let the = try toyBPE(extra: [("Ġt", 1), ("he", 1), ("Ġthe", 1)], merges: ["Ġ t", "h e", "Ġt he"])
        #expect(the.encode(" the the", addSpecial: false, parseSpecial: false) == [258, 258])
    }

    @Test func preTokenizerSplitsLikeLlamaCpp() throws {
        // Hand-derived from the regexes in BPEPreTokenizer's doc comment.
        #expect(try BPEPreTokenizer(ggufName: "gpt-2").split("Hello world's  test 123abc\n")
            == ["Hello", " world", "'s", " ", " test", " 123", "abc", "\n"])
        #expect(try BPEPreTokenizer(ggufName: "smollm").split("abc 123") == ["abc", " ", "1", "2", "3"])
        #expect(try BPEPreTokenizer(ggufName: "llama-bpe").split("I'M 12345 ok\n\n  x")
            == ["I", "'M", " ", "123", "45", " ok", "\n\n", " ", " x"])
        #expect(try BPEPreTokenizer(ggufName: "qwen2").split("x 2024!") == ["x", " ", "2", "0", "2", "4", "!"])
        #expect(try BPEPreTokenizer(ggufName: "gpt2").split("日本 語\t\tx") == ["日本", " 語", "\t", "\t", "x"])
    }

    @Test func specialTokensSplitLongestTokenFirstLikeLlamaCpp() throws {
        // llama.cpp cuts "bcd" (longer) before "ab" even though "ab" starts earlier.
        let tok = try toyBPE(extra: [("ab", 3), ("bcd", 3), ("<u>", 4)])
        #expect(tok.encode("abcd", addSpecial: false, parseSpecial: true) == [byteID("a"), 257])
        // Without parseSpecial control tokens are text, user-defined ones are still cut out.
        #expect(tok.encode("ab<u>", addSpecial: false, parseSpecial: false) == [byteID("a"), byteID("b"), 258])
        // Control tokens are hidden when decoding unless asked for.
        #expect(tok.decode([256, 97]) == "a")
        #expect(tok.decode([256, 97], renderSpecial: true) == "aba")
        #expect(tok.decode([258]) == "<u>")
    }

    @Test func bosFollowsMetadata() throws {
        #expect(try toyBPE(extra: [("<s>", 3)], addBOS: true).encode("a", addSpecial: true, parseSpecial: false) == [256, 97])
        #expect(try toyBPE(extra: [("<s>", 3)], addBOS: false).encode("a", addSpecial: true, parseSpecial: false) == [97])
        #expect(try toyBPE(extra: [("<s>", 3)], addBOS: true).encode("a", addSpecial: false, parseSpecial: false) == [97])
    }

    @Test func badMetadataIsATypedError() throws {
        #expect(throws: GGUFTokenizerError.unknownPreTokenizer(name: "nope", known: BPEPreTokenizer.knownNames)) {
            try toyBPE(pre: "nope")
        }
        #expect(BPEPreTokenizer.knownNames.contains("smollm") && BPEPreTokenizer.knownNames.contains("qwen2"))
        #expect(throws: GGUFTokenizerError.mergeNamesUnknownToken(index: 1, merge: "a zz", piece: "zz")) {
            try toyBPE(merges: ["a b", "a zz"])
        }
        #expect(throws: GGUFTokenizerError.malformedMerge(index: 0, merge: "ab")) { try toyBPE(merges: ["ab"]) }
        #expect(throws: GGUFTokenizerError.missingTokens) {
            try ByteLevelBPETokenizer(metadata: GGUFTokenizerMetadata(model: "gpt2", tokens: [], merges: []))
        }
        #expect(throws: GGUFTokenizerError.lengthMismatch(key: "tokenizer.ggml.token_type", expected: 256, actual: 1)) {
            try ByteLevelBPETokenizer(metadata: GGUFTokenizerMetadata(model: "gpt2", tokens: byteChars, tokenTypes: [1], merges: []))
        }
        #expect(throws: GGUFTokenizerError.missingKey(key: "tokenizer.ggml.merges", model: "gpt2")) {
            try ByteLevelBPETokenizer(metadata: GGUFTokenizerMetadata(model: "gpt2", tokens: byteChars))
        }
        #expect(throws: GGUFTokenizerError.unsupportedModel(name: "t5", supported: ["gpt2", "llama"])) {
            try GGUFTokenizerFactory.make(GGUFTokenizerMetadata(model: "t5", tokens: ["a"]))
        }
    }

    @Test func streamingHoldsBackSplitCharacters() throws {
        let tok = try toyBPE()
        var decoder = StreamingDecoder(tokenizer: tok)
        // 😀 = F0 9F 98 80, one byte token each: nothing is emitted until the character is complete.
        #expect(decoder.append(0xF0) == "")
        #expect(decoder.append(0x9F) == "")
        #expect(decoder.append(0x98) == "")
        #expect(decoder.append(0x80) == "😀")
        #expect(decoder.append(97) == "a")
        // An unfinished character at the end becomes U+FFFD, like one-shot decoding.
        #expect(decoder.append(0xE2) == "")
        #expect(decoder.finish() == "\u{FFFD}")
        #expect(tok.decode([0xE2]) == "\u{FFFD}")
        // Invalid bytes are not held back.
        var d2 = StreamingDecoder(tokenizer: tok)
        #expect(d2.append(0xFF) == "\u{FFFD}")
        #expect(d2.append(0xE0) == "" && d2.append(0x41) == "\u{FFFD}A")
    }
}

@Suite("Byte-level BPE vs llama.cpp (SmolLM2)")
struct BPELlamaCppParityTests {
    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
    func smolLM2MatchesLlamaCppOnTheCorpus() throws {
        let path = try #require(TestModels.path(TestModels.smolLM2))
        let tokenizer = try ByteLevelBPETokenizer(gguf: GGUFFile(path: path))
        #expect(tokenizer.vocabSize == 49152 && tokenizer.bosID == 1 && tokenizer.eosID == 2 && !tokenizer.addBOS)
        #expect(tokenizer.preTokenizer == .smollm)
        #expect(tokenizer.endOfGenerationIDs.contains(2) && tokenizer.endOfGenerationIDs.contains(0))
        let fixture = try GGUFTokenizerFixture.load("bpe/smollm2.json")
        #expect(fixture.cases.count >= 200)
        var mismatches = 0
        for c in fixture.cases {
            let ids = tokenizer.encode(c.text, addSpecial: c.add_special, parseSpecial: c.parse_special)
            if ids != c.ids { mismatches += 1 }
            #expect(ids == c.ids, "\(c.label)")
            #expect(tokenizer.decodeBytes(c.ids) == c.decoded, "decode \(c.label)")
            #expect(tokenizer.decodeBytes(c.ids, renderSpecial: true) == c.decodedSpecial, "decode special \(c.label)")
            #expect(streamDecode(tokenizer, c.ids) == tokenizer.decode(c.ids), "stream \(c.label)")
            if c.decoded == Array(c.text.utf8) {
                #expect(tokenizer.decode(ids) == c.text, "round trip \(c.label)")
            }
        }
        #expect(mismatches == 0)
    }
}
