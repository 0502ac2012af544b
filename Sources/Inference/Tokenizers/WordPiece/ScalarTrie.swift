/// A prefix tree over Unicode scalars mapping vocabulary entries to token ids.
///
/// WordPiece's greedy longest-match-first ("try the whole rest of the word, shrink one character at a time")
/// finds the longest vocabulary entry that is a prefix of the rest of the word; walking a trie finds the same
/// entry in one pass, comparing scalars exactly (Swift `String` equality would merge canonically equivalent
/// entries such as "é" and "e\u{301}", which HF keeps apart).
struct ScalarTrie: Sendable {
    /// Child of (node, scalar), keyed `node << 21 | scalar` (scalars need 21 bits).
    private var edges = EdgeTable()
    /// Token id ending at each node, or -1.
    private var values: [Int32] = [-1]

    init() {}

    /// Adds an entry; a later entry with the same scalars replaces the earlier one (HF: the last line wins).
    mutating func insert<S: Sequence>(_ scalars: S, id: Int32) where S.Element == Unicode.Scalar {
        var node: Int32 = 0
        for s in scalars {
            let key = UInt64(node) << 21 | UInt64(s.value)
            if let child = edges.child(key) {
                node = child
            } else {
                let child = Int32(values.count)
                values.append(-1)
                edges.insert(key, child: child)
                node = child
            }
        }
        values[Int(node)] = id
    }

    /// The id of exactly these scalars, if they are an entry.
    func exactMatch<S: Sequence>(_ scalars: S) -> Int32? where S.Element == Unicode.Scalar {
        var node: Int32 = 0
        for s in scalars {
            guard let child = edges.child(UInt64(node) << 21 | UInt64(s.value)) else { return nil }
            node = child
        }
        let id = values[Int(node)]
        return id >= 0 ? id : nil
    }

    /// The longest non-empty entry that is a prefix of `buffer[start..<end]`: its length in scalars and its id.
    @inline(__always)
    func longestPrefix(of buffer: [Unicode.Scalar], from start: Int, to end: Int) -> (length: Int, id: Int32)? {
        var node: Int32 = 0
        var best: (length: Int, id: Int32)?
        var i = start
        while i < end {
            guard let child = edges.child(UInt64(node) << 21 | UInt64(buffer[i].value)) else { break }
            node = child
            i += 1
            let id = values[Int(node)]
            if id >= 0 { best = (i - start, id) }
        }
        return best
    }
}

/// Open-addressing hash map from edge key to child node: one multiply and usually one probe per lookup, where
/// `Dictionary` would run SipHash for every character of every word.
private struct EdgeTable: Sendable {
    private var keys: [UInt64]
    /// Child node per slot, -1 for an empty slot.
    private var children: [Int32]
    private var shift: UInt64
    private var count = 0

    init(capacityLog2: Int = 10) {
        keys = Array(repeating: 0, count: 1 << capacityLog2)
        children = Array(repeating: -1, count: 1 << capacityLog2)
        shift = UInt64(64 - capacityLog2)
    }

    /// Fibonacci hashing: the top bits of key × 2^64/φ.
    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    @inline(__always)
    func child(_ key: UInt64) -> Int32? {
        let mask = children.count - 1
        var i = slot(key)
        while true {
            let c = children[i]
            if c < 0 { return nil }
            if keys[i] == key { return c }
            i = (i + 1) & mask
        }
    }

    /// Adds a key that is not present yet, growing to keep the table at most half full.
    mutating func insert(_ key: UInt64, child: Int32) {
        if (count + 1) * 2 > children.count { grow() }
        let mask = children.count - 1
        var i = slot(key)
        while children[i] >= 0 { i = (i + 1) & mask }
        keys[i] = key
        children[i] = child
        count += 1
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldChildren = children
        let log2 = 64 - Int(shift) + 1
        keys = Array(repeating: 0, count: 1 << log2)
        children = Array(repeating: -1, count: 1 << log2)
        shift = UInt64(64 - log2)
        count = 0
        for i in 0..<oldChildren.count where oldChildren[i] >= 0 { insert(oldKeys[i], child: oldChildren[i]) }
    }
}
