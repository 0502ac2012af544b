/// Why a document could not be cut into encoder windows.
public enum TokenWindowError: Error, Equatable, CustomStringConvertible {
    case invalidBudget(maxTokens: Int, overlap: Int)

    public var description: String {
        switch self {
        case let .invalidBudget(maxTokens, overlap):
            return "window budget must have maxTokens ≥ 1 and 0 ≤ overlap < maxTokens (got maxTokens \(maxTokens), overlap \(overlap))"
        }
    }
}

/// Cuts a long token sequence into overlapping windows an encoder can take, and merges per-token results back.
///
/// BERT sees at most 512 positions; a document longer than that is read as windows of `maxTokens` word pieces
/// (510 + [CLS]/[SEP]) overlapping by about `overlap` pieces. A window never starts inside a word (a word cut at
/// the start would lose its first piece's context and get an `I-` label with no `B-`) unless a single word is
/// longer than the whole budget. When windows overlap, each token keeps the result of the window in which it sits
/// farthest from a cut edge, so every token is judged with as much context on both sides as the windows offer.
public enum TokenWindowing {
    /// Token index ranges (into the sequence without special tokens) covering `0 ..< wordIDs.count`.
    ///
    /// - Parameter wordIDs: the word each token belongs to; consecutive tokens with the same non-nil id are one word.
    public static func windows(wordIDs: [Int?], maxTokens: Int, overlap: Int) throws -> [Range<Int>] {
        guard maxTokens >= 1, overlap >= 0, overlap < maxTokens else {
            throw TokenWindowError.invalidBudget(maxTokens: maxTokens, overlap: overlap)
        }
        let n = wordIDs.count
        if n <= maxTokens { return [0 ..< n] }

        func continuesWord(_ i: Int) -> Bool {
            i > 0 && i < n && wordIDs[i] != nil && wordIDs[i] == wordIDs[i - 1]
        }

        var result: [Range<Int>] = []
        var start = 0
        while true {
            let end = min(start + maxTokens, n)
            result.append(start ..< end)
            if end == n { break }
            // Step back `overlap` tokens, then further back to the start of the word we landed in.
            var next = end - overlap
            while next > start + 1, continuesWord(next) { next -= 1 }
            if next <= start || continuesWord(next) {
                // A word longer than the budget: move forward to the next word start, or cut mid-word if none fits.
                next = end - overlap
                while next < end, continuesWord(next) { next += 1 }
                if next <= start { next = end }
            }
            start = next
        }
        return result
    }

    /// For every token, the index of the window whose result it keeps (the one where it is farthest from a cut).
    public static func owners(of windows: [Range<Int>], tokenCount n: Int) -> [Int] {
        var owner = [Int](repeating: 0, count: n)
        var best = [Int](repeating: -1, count: n)
        for (w, range) in windows.enumerated() {
            for t in range where t >= 0 && t < n {
                let left = range.lowerBound == 0 ? Int.max : t - range.lowerBound
                let right = range.upperBound == n ? Int.max : range.upperBound - 1 - t
                let margin = min(left, right)
                if margin > best[t] {
                    best[t] = margin
                    owner[t] = w
                }
            }
        }
        return owner
    }

    /// Merges per-window, per-token results (`outputs[w][i]` is token `windows[w].lowerBound + i`) into one per token.
    public static func merge<T>(windows: [Range<Int>], outputs: [[T]], tokenCount n: Int) -> [T]? {
        guard windows.count == outputs.count,
              zip(windows, outputs).allSatisfy({ $0.count == $1.count }) else { return nil }
        let owner = owners(of: windows, tokenCount: n)
        var merged: [T] = []
        merged.reserveCapacity(n)
        for t in 0 ..< n {
            let w = owner[t]
            let i = t - windows[w].lowerBound
            guard windows[w].contains(t) else { return nil }
            merged.append(outputs[w][i])
        }
        return merged
    }
}
