import Foundation

/// Spellings of BERT's special tokens in the vocabulary.
public struct WordPieceSpecialTokens: Sendable, Equatable {
    public var unknown: String
    public var classifier: String
    public var separator: String
    public var padding: String
    /// Optional: a vocabulary without it still loads (`maskID` is then nil).
    public var mask: String

    public init(unknown: String = "[UNK]", classifier: String = "[CLS]", separator: String = "[SEP]",
                padding: String = "[PAD]", mask: String = "[MASK]") {
        self.unknown = unknown
        self.classifier = classifier
        self.separator = separator
        self.padding = padding
        self.mask = mask
    }
}

/// BERT's tokenizer as HF `tokenizers` runs it from a `tokenizer.json` with `BertNormalizer`,
/// `BertPreTokenizer`, a `WordPiece` model and the `[CLS] $A [SEP]` template.
///
/// Offsets are in Unicode scalars of the original text, like the Python binding's `encode(...).offsets`.
/// Special tokens written literally in the text ("[MASK]", "[SEP]", …, case-sensitive) become those tokens, as HF
/// does for its added tokens; `splitSpecialTokens: false` treats them as ordinary text.
public struct WordPieceTokenizer: Sendable {
    /// Tokens by id (a duplicated line keeps its own entry here; lookups find the last one, as in HF).
    public let vocabulary: [String]
    public let normalizer: BertNormalizer
    /// A word (after normalization) longer than this many scalars becomes one [UNK].
    public let maxInputCharsPerWord: Int
    public let continuingSubwordPrefix: String
    public let specialTokens: WordPieceSpecialTokens
    public let splitSpecialTokens: Bool

    public let unkID: Int32
    public let clsID: Int32
    public let sepID: Int32
    public let padID: Int32
    public let maskID: Int32?

    /// Number of vocabulary lines, i.e. rows of the model's embedding table.
    public var vocabSize: Int { vocabulary.count }

    /// Every entry, for word-initial pieces and exact lookups.
    private let entries: ScalarTrie
    /// Entries that start with the continuation prefix, stored without it.
    private let continuations: ScalarTrie
    /// Special tokens recognised in raw text, with their ids.
    private let textSpecials: [(scalars: [Unicode.Scalar], id: Int32)]
    private let preTokenizer = BertPreTokenizer()

    /// Loads `vocab.txt` (one token per line, id = line index).
    public init(vocabFile: URL, lowercase: Bool = true, stripAccents: Bool? = nil, handleChineseChars: Bool = true,
                cleanText: Bool = true, maxInputCharsPerWord: Int = 100, splitSpecialTokens: Bool = true,
                specialTokens: WordPieceSpecialTokens = WordPieceSpecialTokens()) throws {
        try self.init(
            vocab: WordPieceVocabulary.read(contentsOf: vocabFile), lowercase: lowercase, stripAccents: stripAccents,
            handleChineseChars: handleChineseChars, cleanText: cleanText, maxInputCharsPerWord: maxInputCharsPerWord,
            splitSpecialTokens: splitSpecialTokens, specialTokens: specialTokens, source: vocabFile.path)
    }

    /// Builds from tokens by id. `stripAccents` nil follows `lowercase`, as in HF.
    public init(vocab: [String], lowercase: Bool = true, stripAccents: Bool? = nil, handleChineseChars: Bool = true,
                cleanText: Bool = true, maxInputCharsPerWord: Int = 100, splitSpecialTokens: Bool = true,
                specialTokens: WordPieceSpecialTokens = WordPieceSpecialTokens(), continuingSubwordPrefix: String = "##",
                source: String = "<vocabulary>") throws {
        guard !vocab.isEmpty else { throw WordPieceError.emptyVocabulary(source: source) }
        guard vocab.count <= Int(Int32.max) else { throw WordPieceError.vocabularyTooLarge(source: source, count: vocab.count) }
        guard maxInputCharsPerWord >= 1 else { throw WordPieceError.invalidMaxInputCharsPerWord(maxInputCharsPerWord) }
        var entries = ScalarTrie()
        var continuations = ScalarTrie()
        let prefix = Array(continuingSubwordPrefix.unicodeScalars)
        for (index, token) in vocab.enumerated() {
            let scalars = Array(token.unicodeScalars)
            entries.insert(scalars, id: Int32(index))
            if !prefix.isEmpty && scalars.count > prefix.count && scalars.starts(with: prefix) {
                continuations.insert(scalars[prefix.count...], id: Int32(index))
            }
        }
        // With no prefix, continuation pieces are looked up like word-initial ones.
        if prefix.isEmpty { continuations = entries }

        func require(_ token: String, _ role: String) throws -> Int32 {
            guard let id = entries.exactMatch(token.unicodeScalars) else {
                throw WordPieceError.missingSpecialToken(source: source, role: role, token: token)
            }
            return id
        }
        self.unkID = try require(specialTokens.unknown, "unknown")
        self.clsID = try require(specialTokens.classifier, "classifier")
        self.sepID = try require(specialTokens.separator, "separator")
        self.padID = try require(specialTokens.padding, "padding")
        self.maskID = entries.exactMatch(specialTokens.mask.unicodeScalars)

        var textSpecials: [(scalars: [Unicode.Scalar], id: Int32)] = []
        if splitSpecialTokens {
            for token in [specialTokens.padding, specialTokens.unknown, specialTokens.classifier,
                          specialTokens.separator, specialTokens.mask] {
                let scalars = Array(token.unicodeScalars)
                guard !scalars.isEmpty, let id = entries.exactMatch(scalars),
                      !textSpecials.contains(where: { $0.scalars == scalars }) else { continue }
                textSpecials.append((scalars, id))
            }
            // Leftmost-longest matching, as HF's added-vocabulary matcher: try longer spellings first.
            textSpecials.sort { $0.scalars.count > $1.scalars.count }
        }

        self.vocabulary = vocab
        self.normalizer = BertNormalizer(options: BertNormalizerOptions(
            cleanText: cleanText, handleChineseChars: handleChineseChars, stripAccents: stripAccents, lowercase: lowercase))
        self.maxInputCharsPerWord = maxInputCharsPerWord
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.specialTokens = specialTokens
        self.splitSpecialTokens = splitSpecialTokens
        self.entries = entries
        self.continuations = continuations
        self.textSpecials = textSpecials
    }

    /// The id of a vocabulary entry (exact scalar match; for a duplicated entry, its last line).
    public func id(for token: String) -> Int32? {
        entries.exactMatch(token.unicodeScalars)
    }

    /// The vocabulary entry of an id, or nil when out of range.
    public func token(for id: Int32) -> String? {
        id >= 0 && Int(id) < vocabulary.count ? vocabulary[Int(id)] : nil
    }

    /// Tokens of the text without [CLS]/[SEP].
    public func tokenize(_ text: String) -> [WordPieceToken] {
        let source = Array(text.unicodeScalars)
        var tokens: [WordPieceToken] = []
        tokens.reserveCapacity(source.count / 3 + 4)
        var normalized = NormalizedScalars()
        var wordIndex = 0
        var cursor = 0
        while cursor < source.count {
            let special = nextSpecialToken(in: source, from: cursor)
            let segmentEnd = special?.start ?? source.count
            if cursor < segmentEnd {
                normalizer.normalize(source, range: cursor..<segmentEnd, into: &normalized)
                splitAndTokenize(normalized, wordIndex: &wordIndex, into: &tokens)
            }
            guard let special else { break }
            tokens.append(WordPieceToken(id: special.id, text: vocabulary[Int(special.id)], start: special.start,
                                         end: special.end, wordIndex: wordIndex))
            wordIndex += 1
            cursor = special.end
        }
        return tokens
    }

    /// Tokens of the text as a model takes them: `[CLS] … [SEP]` when `addSpecialTokens`.
    public func encode(_ text: String, addSpecialTokens: Bool = true) -> TokenizedText {
        let tokens = tokenize(text)
        var out = TokenizedText()
        let capacity = tokens.count + 2
        out.ids.reserveCapacity(capacity)
        out.tokens.reserveCapacity(capacity)
        out.offsets.reserveCapacity(capacity)
        out.wordIDs.reserveCapacity(capacity)
        out.specialTokensMask.reserveCapacity(capacity)
        if addSpecialTokens { out.appendAddedSpecial(id: clsID, token: vocabulary[Int(clsID)]) }
        for token in tokens { out.append(token) }
        if addSpecialTokens { out.appendAddedSpecial(id: sepID, token: vocabulary[Int(sepID)]) }
        return out
    }

    // MARK: Pre-tokenization and WordPiece

    /// BertPreTokenizer, then WordPiece on each word.
    private func splitAndTokenize(_ text: NormalizedScalars, wordIndex: inout Int, into tokens: inout [WordPieceToken]) {
        preTokenizer.forEachWord(in: text.scalars) { word in
            wordPieces(text, word, wordIndex: &wordIndex, into: &tokens)
        }
    }

    /// Greedy longest-match-first over one word; a word with an unmatched position becomes one [UNK].
    private func wordPieces(_ text: NormalizedScalars, _ word: Range<Int>, wordIndex: inout Int,
                            into tokens: inout [WordPieceToken]) {
        defer { wordIndex += 1 }
        let wordStart = text.origins[word.lowerBound]
        let wordEnd = text.origins[word.upperBound - 1] + 1
        if word.count > maxInputCharsPerWord {
            tokens.append(unknownToken(wordStart, wordEnd, wordIndex))
            return
        }
        let firstPiece = tokens.count
        var start = word.lowerBound
        while start < word.upperBound {
            let trie = start == word.lowerBound ? entries : continuations
            guard let match = trie.longestPrefix(of: text.scalars, from: start, to: word.upperBound) else {
                tokens.removeSubrange(firstPiece...)
                tokens.append(unknownToken(wordStart, wordEnd, wordIndex))
                return
            }
            let end = start + match.length
            tokens.append(WordPieceToken(id: match.id, text: vocabulary[Int(match.id)], start: text.origins[start],
                                         end: text.origins[end - 1] + 1, wordIndex: wordIndex))
            start = end
        }
    }

    @inline(__always)
    private func unknownToken(_ start: Int, _ end: Int, _ wordIndex: Int) -> WordPieceToken {
        WordPieceToken(id: unkID, text: vocabulary[Int(unkID)], start: start, end: end, wordIndex: wordIndex)
    }

    /// The leftmost special token written in the text at or after `from` (the longest at that position).
    private func nextSpecialToken(in source: [Unicode.Scalar], from: Int) -> (start: Int, end: Int, id: Int32)? {
        guard !textSpecials.isEmpty else { return nil }
        var i = from
        while i < source.count {
            for special in textSpecials where source[i] == special.scalars[0] {
                let end = i + special.scalars.count
                if end <= source.count && source[i..<end].elementsEqual(special.scalars) {
                    return (i, end, special.id)
                }
            }
            i += 1
        }
        return nil
    }
}
