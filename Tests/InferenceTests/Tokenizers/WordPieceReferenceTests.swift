import Foundation
import Inference
import Testing

/// The WordPiece tokenizer against HF `tokenizers` itself (fixtures from scripts/fixtures/wordpiece_fixtures.py).
@Suite struct WordPieceReferenceTests {
    struct Corpus: Decodable {
        struct Text: Decodable { let name: String; let text: String }
        struct Normalizer: Decodable {
            let cleanText: Bool
            let handleChineseChars: Bool
            let stripAccents: Bool?
            let lowercase: Bool
        }
        struct Encoding: Decodable {
            let ids: [Int32]
            let tokens: [String]
            let offsets: [[Int]]
            let wordIds: [Int?]
        }
        struct Model: Decodable {
            let normalizer: Normalizer
            let maxInputCharsPerWord: Int
            let vocabSize: Int
            let encodings: [Encoding]
        }
        let tokenizersVersion: String
        let texts: [Text]
        let models: [String: Model]
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/tokenizers/wordpiece")

    static func corpus() throws -> Corpus {
        try JSONDecoder().decode(Corpus.self, from: Data(contentsOf: fixtures.appendingPathComponent("corpus.json")))
    }

    static func check(model key: String, vocab relative: String, specialIDs: [Int32]) throws {
        let path = try #require(TestModels.path(relative), "missing \(relative) under FRANCA_TEST_MODELS_DIR")
        let corpus = try corpus()
        let model = try #require(corpus.models[key])
        let n = model.normalizer
        let tokenizer = try WordPieceTokenizer(
            vocabFile: URL(fileURLWithPath: path), lowercase: n.lowercase, stripAccents: n.stripAccents,
            handleChineseChars: n.handleChineseChars, cleanText: n.cleanText, maxInputCharsPerWord: model.maxInputCharsPerWord)
        #expect(tokenizer.vocabSize == model.vocabSize)
        #expect([tokenizer.padID, tokenizer.unkID, tokenizer.clsID, tokenizer.sepID, tokenizer.maskID ?? -1] == specialIDs)
        try #require(model.encodings.count == corpus.texts.count)
        var mismatches = 0
        for (text, want) in zip(corpus.texts, model.encodings) {
            let got = tokenizer.encode(text.text)
            let wantOffsets = want.offsets.map { $0[0]..<$0[1] }
            let same = got.ids == want.ids && got.tokens == want.tokens && got.offsets == wantOffsets
                && got.wordIDs == want.wordIds
            #expect(same, "\(key) \(text.name): got \(zip(got.tokens, got.offsets).map { "\($0)\($1)" }) want \(zip(want.tokens, wantOffsets).map { "\($0)\($1)" }); word ids \(got.wordIDs) vs \(want.wordIds)")
            if !same { mismatches += 1 }
            // tokenize() is encode() without the [CLS]/[SEP] it adds.
            let bare = tokenizer.tokenize(text.text)
            #expect(bare.map(\.id) == Array(want.ids.dropFirst().dropLast()))
        }
        #expect(mismatches == 0)
    }

    @Test(.enabled(if: TestModels.available(TestModels.rampartVocab)))
    func rampartVocabularyMatchesHF() throws {
        try Self.check(model: "rampart", vocab: TestModels.rampartVocab, specialIDs: [0, 1, 2, 3, 4])
    }

    @Test(.enabled(if: TestModels.available(TestModels.miniLMVocab)))
    func miniLMVocabularyMatchesHF() throws {
        try Self.check(model: "minilm", vocab: TestModels.miniLMVocab, specialIDs: [0, 100, 101, 102, 103])
    }

    struct OptionsFuzz: Decodable {
        struct Config: Decodable {
            let normalizer: Corpus.Normalizer
            let encodings: [Corpus.Encoding]
        }
        let texts: [String]
        let configs: [Config]
    }

    /// Random strings of tricky characters under non-default normalizer options (a bare HF WordPiece model has
    /// no added tokens, hence `splitSpecialTokens: false`).
    @Test(.enabled(if: TestModels.available(TestModels.miniLMVocab)))
    func normalizerOptionsMatchHF() throws {
        let path = try #require(TestModels.path(TestModels.miniLMVocab), "missing \(TestModels.miniLMVocab)")
        let fuzz = try JSONDecoder().decode(
            OptionsFuzz.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("options_fuzz.json")))
        try #require(fuzz.configs.count == 4)
        for config in fuzz.configs {
            let n = config.normalizer
            let tokenizer = try WordPieceTokenizer(
                vocabFile: URL(fileURLWithPath: path), lowercase: n.lowercase, stripAccents: n.stripAccents,
                handleChineseChars: n.handleChineseChars, cleanText: n.cleanText, splitSpecialTokens: false)
            var mismatches: [String] = []
            for (text, want) in zip(fuzz.texts, config.encodings) {
                let got = tokenizer.encode(text, addSpecialTokens: false)
                if got.ids != want.ids || got.tokens != want.tokens || got.offsets != want.offsets.map({ $0[0]..<$0[1] }) || got.wordIDs != want.wordIds {
                    mismatches.append(text.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " "))
                }
            }
            #expect(mismatches.isEmpty, "\(n): \(mismatches.count) texts differ, e.g. \(mismatches.prefix(3))")
        }
    }
}
