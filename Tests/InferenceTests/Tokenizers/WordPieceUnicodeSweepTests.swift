import Foundation
import Inference
import Testing

/// Every Unicode code point through the BERT normalizer and pre-tokenizer, against HF `tokenizers`
/// (`unicode_sweep.json`, from scripts/fixtures/wordpiece_fixtures.py). Pins the mix of Unicode versions HF uses.
@Suite struct WordPieceUnicodeSweepTests {
    struct Sweep: Decodable {
        let tokenizersVersion: String
        let cleanRemoved: [[UInt32]]
        let cleanToSpace: [[UInt32]]
        let whitespace: [[UInt32]]
        let punctuation: [[UInt32]]
        let chinese: [[UInt32]]
        let stripRemoved: [[UInt32]]
        let stripChanged: [String: [UInt32]]
        let lowercase: [String: [UInt32]]
    }

    static func load() throws -> Sweep {
        let url = WordPieceReferenceTests.fixtures.appendingPathComponent("unicode_sweep.json")
        return try JSONDecoder().decode(Sweep.self, from: Data(contentsOf: url))
    }

    static func set(_ ranges: [[UInt32]]) -> Set<UInt32> {
        var s = Set<UInt32>()
        for r in ranges where r.count == 2 { for v in r[0]...r[1] { s.insert(v) } }
        return s
    }

    static func map(_ m: [String: [UInt32]]) -> [UInt32: [UInt32]] {
        var out: [UInt32: [UInt32]] = [:]
        for (k, v) in m { if let key = UInt32(k) { out[key] = v } }
        return out
    }

    static let allScalars: [Unicode.Scalar] = (UInt32(0)..<0x110000).compactMap(Unicode.Scalar.init)

    /// Normalizes every scalar at once, each followed by an "a" (a starter nothing reorders across), and groups
    /// the output by origin: what each scalar became on its own.
    static func perScalar(_ options: BertNormalizerOptions) -> [[UInt32]] {
        var source: [Unicode.Scalar] = []
        source.reserveCapacity(allScalars.count * 2)
        for s in allScalars { source.append(s); source.append("a") }
        var out = NormalizedScalars()
        BertNormalizer(options: options).normalize(source, range: 0..<source.count, into: &out)
        var result = Array(repeating: [UInt32](), count: allScalars.count)
        for (s, origin) in zip(out.scalars, out.origins) where origin % 2 == 0 { result[origin / 2].append(s.value) }
        return result
    }

    static func hex(_ v: UInt32) -> String { "U+" + String(v, radix: 16, uppercase: true) }

    @Test func cleanTextMatchesHF() throws {
        let sweep = try Self.load()
        let removed = Self.set(sweep.cleanRemoved), spaced = Self.set(sweep.cleanToSpace)
        let got = Self.perScalar(BertNormalizerOptions(cleanText: true, handleChineseChars: false, stripAccents: false, lowercase: false))
        var bad: [String] = []
        for (i, s) in Self.allScalars.enumerated() {
            let want: [UInt32] = removed.contains(s.value) ? [] : spaced.contains(s.value) ? [0x20] : [s.value]
            if got[i] != want { bad.append(Self.hex(s.value)) }
        }
        #expect(bad.isEmpty, "clean_text differs from HF \(sweep.tokenizersVersion) for \(bad.count): \(bad.prefix(20))")
    }

    @Test func chineseCharacterSpacingMatchesHF() throws {
        let sweep = try Self.load()
        let chinese = Self.set(sweep.chinese)
        let got = Self.perScalar(BertNormalizerOptions(cleanText: false, handleChineseChars: true, stripAccents: false, lowercase: false))
        var bad: [String] = []
        for (i, s) in Self.allScalars.enumerated() {
            let want: [UInt32] = chinese.contains(s.value) ? [0x20, s.value, 0x20] : [s.value]
            if got[i] != want { bad.append(Self.hex(s.value)) }
        }
        #expect(bad.isEmpty, "CJK spacing differs for \(bad.count): \(bad.prefix(20))")
    }

    @Test func accentStrippingMatchesHF() throws {
        let sweep = try Self.load()
        let removed = Self.set(sweep.stripRemoved), changed = Self.map(sweep.stripChanged)
        let got = Self.perScalar(BertNormalizerOptions(cleanText: false, handleChineseChars: false, stripAccents: true, lowercase: false))
        var bad: [String] = []
        for (i, s) in Self.allScalars.enumerated() where !(0xAC00...0xD7A3).contains(s.value) {
            let want: [UInt32] = removed.contains(s.value) ? [] : changed[s.value] ?? [s.value]
            if got[i] != want { bad.append("\(Self.hex(s.value)) → \(got[i].map(Self.hex)) want \(want.map(Self.hex))") }
        }
        #expect(bad.isEmpty, "strip_accents differs for \(bad.count): \(bad.prefix(20))")
        // Hangul syllables decompose arithmetically into jamo: 한 = ᄒ ᅡ ᆫ, 가 = ᄀ ᅡ.
        let hangul = BertNormalizer(options: BertNormalizerOptions(stripAccents: true, lowercase: false)).normalize("한가")
        #expect(hangul.scalars.map(\.value) == [0x1112, 0x1161, 0x11AB, 0x1100, 0x1161])
        #expect(hangul.origins == [0, 0, 0, 1, 1])
    }

    @Test func lowercasingMatchesHF() throws {
        let sweep = try Self.load()
        let lower = Self.map(sweep.lowercase)
        let got = Self.perScalar(BertNormalizerOptions(cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: true))
        var bad: [String] = []
        for (i, s) in Self.allScalars.enumerated() {
            let want = lower[s.value] ?? [s.value]
            if got[i] != want { bad.append("\(Self.hex(s.value)) → \(got[i].map(Self.hex)) want \(want.map(Self.hex))") }
        }
        #expect(bad.isEmpty, "lowercase differs for \(bad.count): \(bad.prefix(20))")
    }

    @Test func whitespaceAndPunctuationSplitsMatchHF() throws {
        let sweep = try Self.load()
        let whitespace = Self.set(sweep.whitespace), punctuation = Self.set(sweep.punctuation)
        // "a" s "b" and a space per scalar: 3 words when s is punctuation, 2 when it is whitespace, else 1.
        var source: [Unicode.Scalar] = []
        for s in Self.allScalars { source.append(contentsOf: ["a", s, "b", " "]) }
        var wordsPerScalar = Array(repeating: 0, count: Self.allScalars.count)
        BertPreTokenizer().forEachWord(in: source) { word in wordsPerScalar[word.lowerBound / 4] += 1 }
        var bad: [String] = []
        for (i, s) in Self.allScalars.enumerated() {
            let want = punctuation.contains(s.value) ? 3 : whitespace.contains(s.value) ? 2 : 1
            if wordsPerScalar[i] != want { bad.append(Self.hex(s.value)) }
        }
        #expect(bad.isEmpty, "pre-tokenizer splits differ for \(bad.count): \(bad.prefix(20))")
    }
}
