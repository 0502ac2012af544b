/// HF `tokenizers`' `BertPreTokenizer`: split on whitespace (dropped), then isolate every punctuation character.
///
/// Words are what `encoding.word_ids` counts; each becomes one or more WordPiece tokens.
public struct BertPreTokenizer: Sendable {
    private let flagTable = BertScalarFlags.Table.shared

    public init() {}

    /// Calls `body` with the range of each word of `scalars`, in order.
    @inline(__always)
    public func forEachWord(in scalars: [Unicode.Scalar], _ body: (Range<Int>) -> Void) {
        var wordStart = -1
        for i in 0..<scalars.count {
            let flags = flagTable[scalars[i]]
            if flags.contains(.whitespace) {
                if wordStart >= 0 { body(wordStart..<i) }
                wordStart = -1
            } else if flags.contains(.punctuation) {
                if wordStart >= 0 { body(wordStart..<i) }
                body(i..<(i + 1))
                wordStart = -1
            } else if wordStart < 0 {
                wordStart = i
            }
        }
        if wordStart >= 0 { body(wordStart..<scalars.count) }
    }

    /// The word ranges of `scalars`.
    public func words(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        forEachWord(in: scalars) { out.append($0) }
        return out
    }
}
