import Foundation

/// SentencePiece BPE from GGUF metadata (`tokenizer.ggml.model = llama`: Gemma 3, Llama 2).
///
/// llama.cpp `llm_tokenizer_spm`: spaces become `▁` (U+2581), each UTF-8 character starts as a symbol, and
/// the adjacent pair whose concatenation is the highest-scoring vocabulary token merges first (leftmost on ties).
/// A character that ends up as no token is emitted as byte tokens `<0xXX>`.
public final class SentencePieceTokenizer: TextTokenizer, @unchecked Sendable {
    public let vocabSize: Int
    public let bosID: Int32?
    public let eosID: Int32?
    public let unknownID: Int32?
    public let endOfGenerationIDs: Set<Int32>
    public let addBOS: Bool
    public let addEOS: Bool
    /// Prepend a space to text that starts the input or follows a special token (Gemma 3: false).
    public let addSpacePrefix: Bool
    public var decodeStripsLeadingSpace: Bool { addSpacePrefix }

    private let vocabulary: TokenVocabulary
    private let scores: [Float]
    private let splitter: SpecialTokenSplitter
    /// Token for each byte: `<0xXX>`, else the one-byte text.
    private let byteTokens: [Int32?]

    public init(metadata: GGUFTokenizerMetadata) throws {
        let vocabulary = try TokenVocabulary(tokens: metadata.tokens, tokenTypes: metadata.tokenTypes)
        self.vocabulary = vocabulary
        vocabSize = vocabulary.count
        if let s = metadata.scores {
            guard s.count == vocabulary.count else {
                throw GGUFTokenizerError.lengthMismatch(key: "tokenizer.ggml.scores", expected: vocabulary.count, actual: s.count)
            }
            scores = s
        } else {
            scores = Array(repeating: 0, count: vocabulary.count)  // llama.cpp reads missing scores as 0
        }
        bosID = try vocabulary.checked(metadata.bosID, key: "tokenizer.ggml.bos_token_id")
        eosID = try vocabulary.checked(metadata.eosID, key: "tokenizer.ggml.eos_token_id")
        unknownID = try vocabulary.checked(metadata.unknownID, key: "tokenizer.ggml.unknown_token_id")
        let eot = try vocabulary.checked(metadata.eotID, key: "tokenizer.ggml.eot_token_id")
        let eom = try vocabulary.checked(metadata.eomID, key: "tokenizer.ggml.eom_token_id")
        endOfGenerationIDs = vocabulary.endOfGenerationIDs(eos: eosID, eot: eot, eom: eom)
        addBOS = (metadata.addBOS ?? true) && bosID != nil
        addEOS = (metadata.addEOS ?? false) && eosID != nil
        addSpacePrefix = metadata.addSpacePrefix ?? true
        let hex = Array("0123456789ABCDEF".utf8)
        byteTokens = (0..<256).map { b in
            let name: [UInt8] = [0x3C, 0x30, 0x78, hex[b >> 4], hex[b & 15], 0x3E]  // "<0xXX>"
            return vocabulary.id(of: name) ?? vocabulary.id(of: [UInt8(b)])
        }
        splitter = SpecialTokenSplitter(vocabulary: vocabulary)
    }

    public func tokenText(_ id: Int32) -> String? { vocabulary.contains(id) ? vocabulary.text(Int(id)) : nil }
    public func tokenType(_ id: Int32) -> GGUFTokenType? { vocabulary.type(id) }

    public func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [Int32] {
        let bytes = Array(text.utf8)
        var out: [Int32] = []
        if addSpecial, addBOS, let bosID { out.append(bosID) }
        var previousWasSpecial = true
        for fragment in splitter.split(bytes, parseSpecial: parseSpecial) {
            switch fragment {
            case let .token(id):
                out.append(id)
                previousWasSpecial = true
            case let .text(range):
                var escaped: [UInt8] = []
                escaped.reserveCapacity(range.count + 8)
                if addSpacePrefix, previousWasSpecial { escaped += [0xE2, 0x96, 0x81] }
                for b in bytes[range] {
                    if b == 0x20 { escaped += [0xE2, 0x96, 0x81] } else { escaped.append(b) }
                }
                encodeEscaped(escaped, into: &out)
                previousWasSpecial = false
            }
        }
        if addSpecial, addEOS, let eosID { out.append(eosID) }
        return out
    }

    /// One bigram candidate: higher score first, leftmost on ties (llama.cpp `llm_bigram_spm::comparator`).
    private struct Bigram: HeapOrdered {
        let score: Float
        let left: Int32
        let right: Int32
        let size: Int32

        static func precedes(_ a: Bigram, _ b: Bigram) -> Bool { a.score != b.score ? a.score > b.score : a.left < b.left }
    }

    private func encodeEscaped(_ text: [UInt8], into out: inout [Int32]) {
        guard !text.isEmpty else { return }
        // Symbols: [start, start + length) in `text`, linked left/right; length 0 = merged away.
        var start: [Int] = []
        var length: [Int] = []
        var offset = 0
        while offset < text.count {
            let b0 = text[offset]
            let len = min(b0 < 0xC0 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4, text.count - offset)
            start.append(offset)
            length.append(len)
            offset += len
        }
        let n = start.count
        var prev = Array(-1..<(n - 1))
        var next = Array(1...n)
        next[n - 1] = -1
        var queue = PriorityHeap<Bigram>()
        func tryAdd(_ l: Int, _ r: Int) {
            guard l >= 0, r >= 0 else { return }
            let size = length[l] + length[r]
            guard let id = vocabulary.id(of: text[start[l]..<(start[l] + size)]) else { return }
            queue.push(Bigram(score: scores[Int(id)], left: Int32(l), right: Int32(r), size: Int32(size)))
        }
        for i in 1..<max(n, 1) { tryAdd(i - 1, i) }
        while let top = queue.pop() {
            let l = Int(top.left), r = Int(top.right)
            if length[l] == 0 || length[r] == 0 || length[l] + length[r] != Int(top.size) { continue }
            length[l] += length[r]
            length[r] = 0
            next[l] = next[r]
            if next[r] >= 0 { prev[next[r]] = l }
            tryAdd(prev[l], l)
            tryAdd(l, next[l])
        }
        var i = 0
        while i >= 0 {
            let piece = text[start[i]..<(start[i] + length[i])]
            if let id = vocabulary.id(of: piece) {
                out.append(id)
            } else {
                for b in piece {
                    if let id = byteTokens[Int(b)] ?? unknownID { out.append(id) }
                }
            }
            i = next[i]
        }
    }

    public func pieceBytes(_ id: Int32, renderSpecial: Bool) -> [UInt8] {
        guard let type = vocabulary.type(id) else { return [] }
        let piece = vocabulary.piece(Int(id))
        switch type {
        case .control, .unknown: return renderSpecial ? piece : []
        case .userDefined: return piece
        case .normal: return Self.unescapeSpaces(piece)
        case .byte: return Self.byteValue(piece).map { [$0] } ?? []
        case .undefined, .unused: return []
        }
    }

    /// `▁` → space.
    static func unescapeSpaces(_ piece: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(piece.count)
        var i = 0
        while i < piece.count {
            if i + 2 < piece.count, piece[i] == 0xE2, piece[i + 1] == 0x96, piece[i + 2] == 0x81 {
                out.append(0x20)
                i += 3
            } else {
                out.append(piece[i])
                i += 1
            }
        }
        return out
    }

    /// The byte behind a `<0xXX>` token (llama.cpp `token_to_byte`: hex digits after "<0x").
    static func byteValue(_ piece: [UInt8]) -> UInt8? {
        guard piece.count >= 5, piece[0] == 0x3C, piece[1] == 0x30, piece[2] == 0x78 else { return nil }
        let digits = String(decoding: piece[3...].prefix { $0 != 0x3E }, as: UTF8.self)
        return UInt8(digits, radix: 16)
    }
}
