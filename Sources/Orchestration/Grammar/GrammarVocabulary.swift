import Inference

/// A tokenizer's vocabulary prepared for masking: every token's bytes in a trie (shared prefixes walked once),
/// and for the hot case — the inside of a free string — each token's effect precomputed.
///
/// Build once per tokenizer (a few hundred ms for 262k tokens); immutable afterwards, so one instance serves any
/// number of concurrent generations. Tokens that are not text (control, unknown, unused, undefined types, or
/// rendering to no bytes) are never allowed.
public final class GrammarVocabulary: @unchecked Sendable {  // immutable after init
    public let vocabSize: Int
    /// Bytes of each token, empty for tokens that are never allowed.
    let tokenBytes: [[UInt8]]

    // Trie in preorder: node 0 is the root (empty text).
    let nodeByte: [UInt8]
    let nodeDepth: [UInt16]
    /// One past the last node of each node's subtree.
    let nodeEnd: [Int32]
    /// Tokens ending at node n: `nodeTokens[nodeTokenStart[n] ..< nodeTokenStart[n + 1]]`.
    let nodeTokenStart: [Int32]
    let nodeTokens: [Int32]
    let maxTokenLength: Int

    /// `bodyCount[sub][token]`: characters the token starts when read inside a string from substate `sub`, or
    /// `bodyInvalid` / `bodyExits` (it closes the string: see `bodyExits`).
    let bodyCount: [[Int16]]
    /// `bodyPending[sub][token]`: for a token that stays inside the string, the bytes its last character still
    /// owes (`GrammarCompletion.pendingInString` of the substate it ends in).
    let bodyPending: [[UInt8]]
    /// Per substate, the tokens that close the string: where the closing quote is and characters started before.
    let bodyExits: [[(token: Int32, quote: Int16, count: Int16, suffix: Int32)]]
    /// Per substate, the distinct texts that follow the closing quote in exit tokens (`suffix` indexes them), so a
    /// mask steps each distinct continuation once.
    let exitSuffixes: [[[UInt8]]]
    static let bodyInvalid: Int16 = -1
    static let bodyExit: Int16 = -2

    public convenience init(tokenizer: any TextTokenizer) {
        let allowedTypes: Set<GGUFTokenType> = [.normal, .byte, .userDefined]
        let bytes: [[UInt8]] = (0..<tokenizer.vocabSize).map { i in
            guard let t = tokenizer.tokenType(Int32(i)), allowedTypes.contains(t) else { return [] }
            return tokenizer.pieceBytes(Int32(i), renderSpecial: false)
        }
        self.init(tokenBytes: bytes)
    }

    /// A vocabulary from raw token bytes (empty: never allowed); for tests and tokenizers of other kinds.
    public init(tokenBytes: [[UInt8]]) {
        vocabSize = tokenBytes.count
        self.tokenBytes = tokenBytes
        let order = tokenBytes.indices.filter { !tokenBytes[$0].isEmpty }
            .sorted { tokenBytes[$0].lexicographicallyPrecedes(tokenBytes[$1]) }
        var byte: [UInt8] = [0], depth: [UInt16] = [0], end: [Int32] = [0], tokenStart: [Int32] = [0], tokens: [Int32] = []
        var path: [Int] = [0]  // node index per depth
        var previous: [UInt8] = []
        for id in order {
            let t = tokenBytes[id]
            var common = 0
            while common < min(t.count, previous.count), t[common] == previous[common] { common += 1 }
            while path.count - 1 > common { end[path.removeLast()] = Int32(byte.count) }
            for k in common..<t.count {
                byte.append(t[k]); depth.append(UInt16(k + 1)); end.append(0); tokenStart.append(Int32(tokens.count))
                path.append(byte.count - 1)
            }
            tokens.append(Int32(id))
            previous = t
        }
        while let last = path.popLast() { end[last] = Int32(byte.count) }
        tokenStart.append(Int32(tokens.count))
        nodeByte = byte; nodeDepth = depth; nodeEnd = end; nodeTokenStart = tokenStart; nodeTokens = tokens
        maxTokenLength = tokenBytes.map(\.count).max() ?? 0

        var counts: [[Int16]] = []
        var pendings: [[UInt8]] = []
        var exits: [[(token: Int32, quote: Int16, count: Int16, suffix: Int32)]] = []
        var suffixes: [[[UInt8]]] = []
        for sub in 0..<StringBody.substates {
            var c = [Int16](repeating: GrammarVocabulary.bodyInvalid, count: tokenBytes.count)
            var pending = [UInt8](repeating: 0, count: tokenBytes.count)
            var e: [(token: Int32, quote: Int16, count: Int16, suffix: Int32)] = []
            var suffixIDs: [[UInt8]: Int32] = [:]
            var suffixList: [[UInt8]] = []
            for (id, t) in tokenBytes.enumerated() where !t.isEmpty {
                var s = Int32(sub), started = 0, result = Int16(0)
                for (k, b) in t.enumerated() {
                    let r = StringBody.step(s, b)
                    if r == StringBody.invalid { result = GrammarVocabulary.bodyInvalid; break }
                    if r == StringBody.close {
                        result = GrammarVocabulary.bodyExit
                        let rest = Array(t[(k + 1)...])
                        let sid: Int32
                        if let known = suffixIDs[rest] { sid = known } else {
                            sid = Int32(suffixList.count); suffixIDs[rest] = sid; suffixList.append(rest)
                        }
                        e.append((Int32(id), Int16(k), Int16(clamping: started), sid))
                        break
                    }
                    if r & StringBody.startsCharacter != 0 { started += 1 }
                    s = Int32(r & 0xFF)
                }
                c[id] = result == 0 ? Int16(clamping: started) : result
                if result == 0 { pending[id] = UInt8(GrammarCompletion.pendingInString[Int(s)]) }
            }
            counts.append(c)
            pendings.append(pending)
            exits.append(e)
            suffixes.append(suffixList)
        }
        bodyCount = counts
        bodyPending = pendings
        bodyExits = exits
        exitSuffixes = suffixes
    }

    /// The bytes a token stands for (empty for tokens never allowed).
    public func bytes(of token: Int32) -> [UInt8] {
        guard token >= 0, Int(token) < vocabSize else { return [] }
        return tokenBytes[Int(token)]
    }

    var nodeCount: Int { nodeByte.count }
}
