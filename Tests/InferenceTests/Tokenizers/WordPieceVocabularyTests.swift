import Foundation
import Inference
import Testing

/// vocab.txt parsing, pinned to what HF `tokenizers` (`WordPiece.read_file`) returns for the same bytes.
@Suite struct WordPieceVocabularyTests {
    static func parse(_ text: String) throws -> [String] {
        try WordPieceVocabulary.parse(Data(text.utf8), source: "vocab.txt")
    }

    @Test func oneTokenPerLineWithTrailingWhitespaceTrimmed() throws {
        // HF: {'[PAD]': 0, '[UNK]': 1, 'foo': 6, ' foo': 3, '': 7, 'bar': 5, 'last': 8}
        let tokens = try Self.parse("[PAD]\r\n[UNK]\r\nfoo \r\n foo\r\n\r\nbar\nfoo\n\t\nlast")
        #expect(tokens == ["[PAD]", "[UNK]", "foo", " foo", "", "bar", "foo", "", "last"])
    }

    @Test func finalNewlineDoesNotAddAnEntryButABlankLineDoes() throws {
        #expect(try Self.parse("a\nb\n") == ["a", "b"])
        #expect(try Self.parse("a\nb") == ["a", "b"])
        #expect(try Self.parse("a\n\n") == ["a", ""])
        #expect(try Self.parse("") == [])
    }

    @Test func byteOrderMarkStaysPartOfTheFirstToken() throws {
        #expect(try Self.parse("\u{FEFF}a\nb\n") == ["\u{FEFF}a", "b"])
    }

    @Test func invalidUTF8IsATypedErrorWithTheLine() {
        let bytes: [UInt8] = Array("a\nb\n".utf8) + [0x63, 0xFF, 0x0A]
        #expect(throws: WordPieceError.invalidUTF8(path: "vocab.txt", line: 3)) {
            try WordPieceVocabulary.parse(Data(bytes), source: "vocab.txt")
        }
    }

    @Test func duplicateEntriesResolveToTheLastLine() throws {
        // HF builds its token → id map line by line, so a repeated token keeps the id of its last line.
        let t = try WordPieceTokenizer(vocab: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "foo", "bar", "foo"])
        #expect(t.id(for: "foo") == 6)
        #expect(t.tokenize("foo").map(\.id) == [6])
        #expect(t.vocabSize == 7)
        #expect(t.token(for: 4) == "foo")
    }

    @Test func unreadableFileIsATypedError() {
        let url = URL(fileURLWithPath: "/nonexistent/franca/vocab.txt")
        #expect {
            try WordPieceTokenizer(vocabFile: url)
        } throws: { error in
            guard case let WordPieceError.unreadableVocabulary(path, _)? = error as? WordPieceError else { return false }
            return path == url.path
        }
    }

    @Test func loadsFromAFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("franca-wordpiece-\(UUID().uuidString).txt")
        try Data("[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nhi\r\n##s\r\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let t = try WordPieceTokenizer(vocabFile: url)
        #expect(t.vocabSize == 6)
        #expect(t.encode("His").ids == [2, 4, 5, 3])
        #expect(throws: WordPieceError.missingSpecialToken(source: url.path, role: "unknown", token: "<unk>")) {
            try WordPieceTokenizer(vocabFile: url, specialTokens: WordPieceSpecialTokens(unknown: "<unk>"))
        }
    }
}
