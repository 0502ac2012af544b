/// One WordPiece token with where it came from in the original text.
public struct WordPieceToken: Sendable, Equatable, CustomStringConvertible {
    public var id: Int32
    /// The vocabulary entry ("##" marks a word continuation).
    public var text: String
    /// Offsets in Unicode scalars of the original text: the token covers `start..<end`.
    public var start: Int
    public var end: Int
    /// Index of the pre-tokenized word (whitespace/punctuation split) this token belongs to; nil for the
    /// [CLS]/[SEP] tokens that `encode` adds.
    public var wordIndex: Int?

    public init(id: Int32, text: String, start: Int, end: Int, wordIndex: Int?) {
        self.id = id
        self.text = text
        self.start = start
        self.end = end
        self.wordIndex = wordIndex
    }

    public var description: String { "\(text)#\(id)@\(start)..<\(end)" }
}

/// A tokenized text as a model consumes it: parallel arrays, one entry per token.
///
/// Matches HF `Encoding`: `offsets` are (start, end) in Unicode scalars of the original text, (0, 0) for added
/// special tokens; `wordIDs` is `encoding.word_ids` (nil for added special tokens).
public struct TokenizedText: Sendable, Equatable {
    public var ids: [Int32]
    public var tokens: [String]
    public var offsets: [Range<Int>]
    public var wordIDs: [Int?]
    /// True for the [CLS]/[SEP] (and padding) tokens the post-processing added; false for tokens of the text.
    public var specialTokensMask: [Bool]

    public init(ids: [Int32] = [], tokens: [String] = [], offsets: [Range<Int>] = [], wordIDs: [Int?] = [], specialTokensMask: [Bool] = []) {
        self.ids = ids
        self.tokens = tokens
        self.offsets = offsets
        self.wordIDs = wordIDs
        self.specialTokensMask = specialTokensMask
    }

    public var count: Int { ids.count }

    /// Appends a token of the text.
    public mutating func append(_ token: WordPieceToken) {
        ids.append(token.id)
        tokens.append(token.text)
        offsets.append(token.start..<token.end)
        wordIDs.append(token.wordIndex)
        specialTokensMask.append(false)
    }

    /// Appends a token added by post-processing: offsets (0, 0), no word.
    public mutating func appendAddedSpecial(id: Int32, token: String) {
        ids.append(id)
        tokens.append(token)
        offsets.append(0..<0)
        wordIDs.append(nil)
        specialTokensMask.append(true)
    }
}
