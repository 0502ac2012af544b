/// Merge ranks of a byte-level BPE vocabulary over interned symbols.
///
/// A symbol is any text BPE can produce: every vocabulary token (symbol id = token id) plus merge results that
/// are not tokens (llama.cpp allows them; they fall back to single bytes at the end). Pairs are looked up by
/// symbol ids instead of strings so merging never builds strings.
struct BPEMergeTable: Sendable {
    struct Merge: Sendable {
        let rank: Int32
        let result: Int32
    }

    let vocabularySize: Int
    /// Texts of the symbols that are not tokens, indexed by `symbol - vocabularySize`.
    private(set) var extraPieces: [[UInt8]] = []
    private var extraIDs: [[UInt8]: Int32] = [:]
    private var merges: [UInt64: Merge] = [:]
    /// Symbol of the byte-level character for each byte (a vocabulary may lack some; llama.cpp then drops the byte).
    private(set) var byteSymbols: [Int32] = []

    init(merges list: [String], vocabulary: TokenVocabulary) throws {
        vocabularySize = vocabulary.count
        for b in 0..<256 { byteSymbols.append(intern(ByteLevelMap.utf8ForByte[b], vocabulary: vocabulary)) }
        merges.reserveCapacity(list.count)
        for (index, merge) in list.enumerated() {
            let bytes = Array(merge.utf8)
            // llama.cpp splits at the first space after the first byte (`word.find(' ', 1)`).
            guard bytes.count >= 3, let space = bytes[1...].firstIndex(of: 0x20) else {
                throw GGUFTokenizerError.malformedMerge(index: index, merge: merge)
            }
            let left = Array(bytes[..<space]), right = Array(bytes[(space + 1)...])
            guard let l = vocabulary.id(of: left) else {
                throw GGUFTokenizerError.mergeNamesUnknownToken(
                    index: index, merge: merge, piece: String(decoding: left, as: UTF8.self))
            }
            guard let r = vocabulary.id(of: right) else {
                throw GGUFTokenizerError.mergeNamesUnknownToken(
                    index: index, merge: merge, piece: String(decoding: right, as: UTF8.self))
            }
            let key = Self.key(l, r)
            if merges[key] != nil { continue }  // the first rank wins, as with std::map::emplace
            let result = intern(left + right, vocabulary: vocabulary)
            merges[key] = Merge(rank: Int32(index), result: result)
        }
    }

    private mutating func intern(_ text: [UInt8], vocabulary: TokenVocabulary) -> Int32 {
        if let id = vocabulary.id(of: text) { return id }
        if let id = extraIDs[text] { return id }
        let id = Int32(vocabularySize + extraPieces.count)
        extraPieces.append(text)
        extraIDs[text] = id
        return id
    }

    private static func key(_ l: Int32, _ r: Int32) -> UInt64 { UInt64(UInt32(bitPattern: l)) << 32 | UInt64(UInt32(bitPattern: r)) }

    func merge(_ left: Int32, _ right: Int32) -> Merge? { merges[Self.key(left, right)] }

    /// Text of a symbol that is not a vocabulary token.
    func extraPiece(_ symbol: Int32) -> [UInt8] { extraPieces[Int(symbol) - vocabularySize] }

    /// Applies merges to one word, lowest rank first, leftmost first on ties (llama.cpp `llm_tokenizer_bpe_session`).
    func apply(to initial: [Int32]) -> [Int32] {
        let n = initial.count
        if n < 2 { return initial }
        var symbol = initial
        var prev = Array(-1..<(n - 1))
        var next = Array(1...n)
        next[n - 1] = -1
        var alive = [Bool](repeating: true, count: n)
        var queue = PriorityHeap<BPEPair>()
        func push(_ l: Int, _ r: Int) {
            guard l >= 0, r >= 0, let m = merge(symbol[l], symbol[r]) else { return }
            queue.push(BPEPair(rank: m.rank, left: Int32(l), right: Int32(r), leftSymbol: symbol[l], rightSymbol: symbol[r]))
        }
        for i in 1..<n { push(i - 1, i) }
        while let top = queue.pop() {
            let l = Int(top.left), r = Int(top.right)
            // Stale entry: one side was merged away or grew since the pair was queued.
            guard alive[l], alive[r], symbol[l] == top.leftSymbol, symbol[r] == top.rightSymbol,
                let m = merge(symbol[l], symbol[r])
            else { continue }
            symbol[l] = m.result
            alive[r] = false
            next[l] = next[r]
            if next[r] >= 0 { prev[next[r]] = l }
            push(prev[l], l)
            push(l, next[l])
        }
        var out: [Int32] = []
        var i = 0
        while i >= 0 {
            out.append(symbol[i])
            i = next[i]
        }
        return out
    }
}

/// A candidate BPE merge: ordered by rank, then by left position (llama.cpp `llm_bigram_bpe::comparator`).
struct BPEPair: HeapOrdered {
    let rank: Int32
    let left: Int32
    let right: Int32
    let leftSymbol: Int32
    let rightSymbol: Int32

    static func precedes(_ a: BPEPair, _ b: BPEPair) -> Bool { a.rank != b.rank ? a.rank < b.rank : a.left < b.left }
}
