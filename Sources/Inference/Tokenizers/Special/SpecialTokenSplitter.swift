/// A piece of input text after special tokens were cut out of it.
enum TextFragment: Equatable {
    /// Raw text still to be tokenized: a byte range of the input.
    case text(Range<Int>)
    /// A special token found verbatim in the input.
    case token(Int32)
}

/// Cuts special tokens out of raw text before tokenization, exactly like llama.cpp `tokenizer_st_partition`.
///
/// llama.cpp takes the special tokens (CONTROL, USER_DEFINED, UNKNOWN) in order of decreasing text length and,
/// for each one, splits every remaining raw fragment at its leftmost non-overlapping occurrences. That is not
/// "longest match at each position": a longer token anywhere wins over a shorter one that starts earlier.
/// We reproduce it without one scan per token: a byte trie finds every occurrence of every special token in one
/// pass, then the occurrences are replayed token by token in llama.cpp's order over a consumed-bytes mask.
/// With `parseSpecial == false`, CONTROL and UNKNOWN tokens are plain text, USER_DEFINED ones are still cut out.
struct SpecialTokenSplitter: Sendable {
    private struct Node: Sendable {
        var children: [UInt8: Int32] = [:]
        /// Position of the token in llama.cpp's processing order, or -1.
        var order: Int32 = -1
    }

    private var nodes: [Node] = [Node()]
    /// Special token ids in processing order (longest text first; ties by id).
    private let ordered: [Int32]
    private let lengths: [Int]
    private let alwaysSplit: [Bool]

    init(vocabulary: TokenVocabulary) {
        var ids: [Int32] = []
        for i in 0..<vocabulary.count where vocabulary.pieceLength(i) > 0 {
            switch vocabulary.types[i] {
            case .control, .userDefined, .unknown: ids.append(Int32(i))
            default: break
            }
        }
        ids.sort { a, b in
            let la = vocabulary.pieceLength(Int(a)), lb = vocabulary.pieceLength(Int(b))
            return la != lb ? la > lb : a < b
        }
        ordered = ids
        lengths = ids.map { vocabulary.pieceLength(Int($0)) }
        alwaysSplit = ids.map { vocabulary.types[Int($0)] == .userDefined }
        for (order, id) in ids.enumerated() { insert(vocabulary.piece(Int(id)), order: Int32(order)) }
    }

    private mutating func insert(_ bytes: [UInt8], order: Int32) {
        var node = 0
        for b in bytes {
            if let next = nodes[node].children[b] {
                node = Int(next)
            } else {
                nodes.append(Node())
                let next = Int32(nodes.count - 1)
                nodes[node].children[b] = next
                node = Int(next)
            }
        }
        // Duplicate texts keep the first (shortest-id) token, which llama.cpp would also process first.
        if nodes[node].order < 0 { nodes[node].order = order }
    }

    var isEmpty: Bool { ordered.isEmpty }

    func split(_ bytes: [UInt8], parseSpecial: Bool) -> [TextFragment] {
        guard !bytes.isEmpty else { return [] }
        guard !ordered.isEmpty else { return [.text(0..<bytes.count)] }
        // Every (token order, start) occurrence in the text.
        var occurrences: [(order: Int32, start: Int)] = []
        for start in 0..<bytes.count {
            var node = 0
            var i = start
            while i < bytes.count, let next = nodes[node].children[bytes[i]] {
                node = Int(next)
                i += 1
                let order = nodes[node].order
                if order >= 0, parseSpecial || alwaysSplit[Int(order)] { occurrences.append((order, start)) }
            }
        }
        guard !occurrences.isEmpty else { return [.text(0..<bytes.count)] }
        occurrences.sort { $0.order != $1.order ? $0.order < $1.order : $0.start < $1.start }
        // Replay in llama.cpp's order: an occurrence is taken when none of its bytes were taken before.
        var taken = [Int32](repeating: -1, count: bytes.count)  // order of the token starting here
        var consumed = [Bool](repeating: false, count: bytes.count)
        for occ in occurrences {
            let range = occ.start..<(occ.start + lengths[Int(occ.order)])
            if consumed[range].contains(true) { continue }
            for j in range { consumed[j] = true }
            taken[occ.start] = occ.order
        }
        var fragments: [TextFragment] = []
        var i = 0
        var rawStart = 0
        while i < bytes.count {
            let order = taken[i]
            if order >= 0 {
                if rawStart < i { fragments.append(.text(rawStart..<i)) }
                fragments.append(.token(ordered[Int(order)]))
                i += lengths[Int(order)]
                rawStart = i
            } else {
                i += 1
            }
        }
        if rawStart < bytes.count { fragments.append(.text(rawStart..<bytes.count)) }
        return fragments
    }
}
