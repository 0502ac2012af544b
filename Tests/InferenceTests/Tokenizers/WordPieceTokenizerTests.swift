import Foundation
import Inference
import Testing

/// Model-free behaviour of the WordPiece tokenizer on a tiny vocabulary, with expectations worked out by hand
/// from the BERT algorithm (normalize → split on whitespace/punctuation → greedy longest match, "##" pieces).
@Suite struct WordPieceTokenizerTests {
    static let vocab = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",              // 0-4
        "un", "unaff", "##aff", "##able", "aff",                   // 5-9
        "hello", ",", "!", "a", "##a",                             // 10-14
        "b", "##b", "x", "##x", "的",                               // 15-19
        "cafe", "angstrom", "i", "##\u{307}", "##x\u{307}",        // 20-24
        "ab", "[", "]", "mask", "é",                                // 25-29
    ]

    static func make(lowercase: Bool = true, stripAccents: Bool? = nil, handleChineseChars: Bool = true,
                     splitSpecialTokens: Bool = true) throws -> WordPieceTokenizer {
        try WordPieceTokenizer(vocab: vocab, lowercase: lowercase, stripAccents: stripAccents,
                               handleChineseChars: handleChineseChars, splitSpecialTokens: splitSpecialTokens)
    }

    /// (token, start, end, word) quadruples, the shape HF's `encode` is usually read in.
    static func summary(_ tokens: [WordPieceToken]) -> [String] {
        tokens.map { "\($0.text) \($0.start)..<\($0.end) w\($0.wordIndex.map(String.init) ?? "-")" }
    }

    static func id(_ token: String) -> Int32 { Int32(vocab.firstIndex(of: token) ?? -1) }

    @Test func greedyLongestMatchFirstWithContinuationPieces() throws {
        let t = try Self.make()
        // "unaff" is longer than "un", so it wins; the rest must be a "##" piece.
        #expect(Self.summary(t.tokenize("unaffable")) == ["unaff 0..<5 w0", "##able 5..<9 w0"])
        #expect(t.tokenize("unaffable").map(\.id) == [6, 8])
        #expect(Self.summary(t.tokenize("xxx")) == ["x 0..<1 w0", "##x 1..<2 w0", "##x 2..<3 w0"])
    }

    @Test func wordWithAnUnmatchedPieceIsOneUnknownToken() throws {
        let t = try Self.make()
        // "z" has no piece: the whole word, not just the tail, becomes [UNK].
        #expect(Self.summary(t.tokenize("unaffablez hello")) == ["[UNK] 0..<10 w0", "hello 11..<16 w1"])
        #expect(t.tokenize("unaffablez")[0].id == t.unkID)
    }

    @Test func wordsLongerThanTheLimitAreOneUnknownToken() throws {
        let t = try Self.make()
        let hundred = t.tokenize(String(repeating: "x", count: 100))
        #expect(hundred.count == 100)
        #expect(hundred.last.map { [$0.text, "\($0.start)", "\($0.end)"] } == ["##x", "99", "100"])
        #expect(Self.summary(t.tokenize("a " + String(repeating: "x", count: 101) + " b"))
                == ["a 0..<1 w0", "[UNK] 2..<103 w1", "b 104..<105 w2"])
        // The limit counts normalized scalars: 100 "ä" are still 100 after accent stripping ("a", "##a" × 99).
        #expect(t.tokenize(String(repeating: "ä", count: 100)).count == 100)
        #expect(Self.summary(t.tokenize(String(repeating: "ä", count: 101))) == ["[UNK] 0..<101 w0"])
        let small = try WordPieceTokenizer(vocab: Self.vocab, maxInputCharsPerWord: 2)
        #expect(Self.summary(small.tokenize("xx xxx")) == ["x 0..<1 w0", "##x 1..<2 w0", "[UNK] 3..<6 w1"])
    }

    @Test func chineseCharactersAreWordsOfTheirOwn() throws {
        let t = try Self.make()
        #expect(Self.summary(t.tokenize("a的b")) == ["a 0..<1 w0", "的 1..<2 w1", "b 2..<3 w2"])
        // Without CJK handling, "a的b" is one word and "##的" is not in the vocabulary.
        let plain = try Self.make(handleChineseChars: false)
        #expect(Self.summary(plain.tokenize("a的b")) == ["[UNK] 0..<3 w0"])
    }

    @Test func punctuationIsIsolatedAndWhitespaceDropped() throws {
        let t = try Self.make()
        #expect(Self.summary(t.tokenize("hello,a!  \t\nb")) ==
                ["hello 0..<5 w0", ", 5..<6 w1", "a 6..<7 w2", "! 7..<8 w3", "b 12..<13 w4"])
    }

    @Test func offsetsPointIntoTheOriginalTextAfterAccentStripping() throws {
        let t = try Self.make()
        #expect(Self.summary(t.tokenize("Café ÅNGSTRÖM")) == ["cafe 0..<4 w0", "angstrom 5..<13 w1"])
        // Decomposed input: the dropped U+0301 is not part of the token (HF aligns removed marks to nothing).
        #expect(Self.summary(t.tokenize("Cafe\u{301}!")) == ["cafe 0..<4 w0", "! 5..<6 w1"])
        // A lone combining mark normalizes to nothing and makes no word.
        #expect(Self.summary(t.tokenize("a \u{301} b")) == ["a 0..<1 w0", "b 4..<5 w1"])
    }

    @Test func lowercasingThatAddsScalarsMapsBackToTheOriginalCharacter() throws {
        // Without accent stripping, "İ" lowercases to "i" + U+0307: both pieces point at the one original scalar.
        let t = try Self.make(stripAccents: false)
        #expect(Self.summary(t.tokenize("İx")) == ["i 0..<1 w0", "##\u{307} 0..<1 w0", "##x 1..<2 w0"])
        // With stripping (the default for lowercase), the mark goes before lowercasing: just "i".
        #expect(Self.summary(try Self.make().tokenize("İ")) == ["i 0..<1 w0"])
        // Without lowercasing, "é" stays whole and is its own entry.
        #expect(Self.summary(try Self.make(lowercase: false).tokenize("é")) == ["é 0..<1 w0"])
    }

    @Test func controlCharactersAreDroppedInsideWords() throws {
        let t = try Self.make()
        #expect(Self.summary(t.tokenize("a\u{0}b\u{200B}")) == ["ab 0..<3 w0"])
        #expect(Self.summary(t.tokenize("a\u{7}\u{AD}b")) == ["ab 0..<4 w0"])
        #expect(t.tokenize("\u{0}\u{FFFD}\u{200B}").isEmpty)
    }

    @Test func emojiSequencesAreOneUnknownWord() throws {
        let t = try Self.make()
        // The ZWJs are format characters and vanish; the three emoji stay one word with no piece.
        #expect(Self.summary(t.tokenize("👨‍👩‍👧 a")) == ["[UNK] 0..<5 w0", "a 6..<7 w1"])
    }

    @Test func emptyAndWhitespaceOnlyTextHaveNoTokens() throws {
        let t = try Self.make()
        #expect(t.tokenize("").isEmpty)
        #expect(t.tokenize(" \t\r\n\u{3000}\u{A0}").isEmpty)
        let encoded = t.encode("")
        #expect(encoded.ids == [t.clsID, t.sepID])
        #expect(encoded.offsets == [0..<0, 0..<0])
        #expect(encoded.wordIDs == [nil, nil])
    }

    @Test func encodeAddsClassifierAndSeparator() throws {
        let t = try Self.make()
        let e = t.encode("hello, a")
        #expect(e.ids == [2, 10, 11, 13, 3])
        #expect(e.tokens == ["[CLS]", "hello", ",", "a", "[SEP]"])
        #expect(e.offsets == [0..<0, 0..<5, 5..<6, 7..<8, 0..<0])
        #expect(e.wordIDs == [nil, 0, 1, 2, nil])
        #expect(e.specialTokensMask == [true, false, false, false, true])
        let bare = t.encode("hello, a", addSpecialTokens: false)
        #expect(bare.ids == [10, 11, 13])
    }

    @Test func specialTokensWrittenInTheTextAreRecognised() throws {
        let t = try Self.make()
        #expect(Self.summary(t.tokenize("a [MASK]b [mask]")) ==
                ["a 0..<1 w0", "[MASK] 2..<8 w1", "b 8..<9 w2", "[ 10..<11 w3", "mask 11..<15 w4", "] 15..<16 w5"])
        let literal = try Self.make(splitSpecialTokens: false)
        #expect(Self.summary(literal.tokenize("[MASK]")) == ["[ 0..<1 w0", "mask 1..<5 w1", "] 5..<6 w2"])
    }

    @Test func idsAndSpecialTokenIDs() throws {
        let t = try Self.make()
        #expect(t.vocabSize == Self.vocab.count)
        #expect([t.padID, t.unkID, t.clsID, t.sepID, t.maskID] == [0, 1, 2, 3, 4])
        #expect(t.id(for: "##able") == 8)
        #expect(t.id(for: "able") == nil)
        #expect(t.token(for: 21) == "angstrom")
        #expect(t.token(for: 99) == nil)
        // Canonically equivalent but different scalars are different entries.
        #expect(t.id(for: "e\u{301}") == nil)
        #expect(t.id(for: "\u{E9}") == 29)
    }

    @Test func missingSpecialTokensAreTypedErrors() throws {
        #expect(throws: WordPieceError.missingSpecialToken(source: "<vocabulary>", role: "unknown", token: "[UNK]")) {
            try WordPieceTokenizer(vocab: ["[PAD]", "[CLS]", "[SEP]", "a"])
        }
        #expect(throws: WordPieceError.emptyVocabulary(source: "<vocabulary>")) {
            try WordPieceTokenizer(vocab: [])
        }
        // [MASK] is optional.
        let noMask = try WordPieceTokenizer(vocab: ["[PAD]", "[UNK]", "[CLS]", "[SEP]"])
        #expect(noMask.maskID == nil)
        // Other spellings can be named.
        let custom = try WordPieceTokenizer(
            vocab: ["<pad>", "<unk>", "<s>", "</s>"],
            specialTokens: WordPieceSpecialTokens(unknown: "<unk>", classifier: "<s>", separator: "</s>", padding: "<pad>"))
        #expect(custom.encode("?").ids == [2, 1, 3])
    }

    @Test func normalizerExposesAlignments() {
        let n = BertNormalizer()
        let out = n.normalize("Ä\u{0}ß İ")
        #expect(out.string == "aß i")
        #expect(out.origins == [0, 2, 3, 4])
        let cjk = BertNormalizer(options: BertNormalizerOptions(lowercase: false)).normalize("x中")
        #expect(cjk.string == "x 中 ")
        #expect(cjk.origins == [0, 1, 1, 1])
    }

    @Test func preTokenizerSplitsWords() {
        let words = BertPreTokenizer().words(in: Array("ab, c".unicodeScalars))
        #expect(words == [0..<2, 2..<3, 4..<5])
    }
}
