import Foundation

/// GPT-2 style byte-level BPE from GGUF metadata (`tokenizer.ggml.model = gpt2`: SmolLM2, Qwen, Llama 3).
///
/// Steps, as in llama.cpp `llama_tokenize`: cut special tokens out; split each remaining fragment into words
/// with the `tokenizer.ggml.pre` rules; map each word's bytes to byte-level characters; merge by rank.
public final class ByteLevelBPETokenizer: TextTokenizer, @unchecked Sendable {
    public let vocabSize: Int
    public let bosID: Int32?
    public let eosID: Int32?
    public let unknownID: Int32?
    public let endOfGenerationIDs: Set<Int32>
    public let preTokenizer: BPEPreTokenizer
    public let addBOS: Bool
    public let addEOS: Bool
    public var decodeStripsLeadingSpace: Bool { false }

    private let vocabulary: TokenVocabulary
    private let mergeTable: BPEMergeTable
    private let splitter: SpecialTokenSplitter

    /// Merged ids per word (UTF-8 bytes); guarded by `cacheLock`.
    private var cache: [[UInt8]: [Int32]] = [:]
    private let cacheLock = NSLock()
    private static let cacheLimit = 100_000

    public init(metadata: GGUFTokenizerMetadata) throws {
        let vocabulary = try TokenVocabulary(tokens: metadata.tokens, tokenTypes: metadata.tokenTypes)
        guard let merges = metadata.merges else {
            throw GGUFTokenizerError.missingKey(key: "tokenizer.ggml.merges", model: metadata.model)
        }
        self.vocabulary = vocabulary
        vocabSize = vocabulary.count
        preTokenizer = try BPEPreTokenizer(ggufName: metadata.pre ?? "default")
        mergeTable = try BPEMergeTable(merges: merges, vocabulary: vocabulary)
        bosID = try vocabulary.checked(metadata.bosID, key: "tokenizer.ggml.bos_token_id")
        eosID = try vocabulary.checked(metadata.eosID, key: "tokenizer.ggml.eos_token_id")
        unknownID = try vocabulary.checked(metadata.unknownID, key: "tokenizer.ggml.unknown_token_id")
        let eot = try vocabulary.checked(metadata.eotID, key: "tokenizer.ggml.eot_token_id")
        let eom = try vocabulary.checked(metadata.eomID, key: "tokenizer.ggml.eom_token_id")
        endOfGenerationIDs = vocabulary.endOfGenerationIDs(eos: eosID, eot: eot, eom: eom)
        // llama.cpp: Llama-3 style vocabularies add BOS unless the file says otherwise; others don't.
        addBOS = (metadata.addBOS ?? (preTokenizer == .llama3)) && bosID != nil
        addEOS = (metadata.addEOS ?? false) && eosID != nil
        splitter = SpecialTokenSplitter(vocabulary: vocabulary)
    }

    public func tokenText(_ id: Int32) -> String? { vocabulary.contains(id) ? vocabulary.text(Int(id)) : nil }
    public func tokenType(_ id: Int32) -> GGUFTokenType? { vocabulary.type(id) }

    public func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [Int32] {
        let bytes = Array(text.utf8)
        var out: [Int32] = []
        if addSpecial, addBOS, let bosID { out.append(bosID) }
        for fragment in splitter.split(bytes, parseSpecial: parseSpecial) {
            switch fragment {
            case let .token(id): out.append(id)
            case let .text(range): encodeFragment(bytes[range], into: &out)
            }
        }
        if addSpecial, addEOS, let eosID { out.append(eosID) }
        return out
    }

    private func encodeFragment(_ bytes: ArraySlice<UInt8>, into out: inout [Int32]) {
        // Code points with the byte offset where each starts (the fragment is valid UTF-8: it came from a String).
        var cps: [UInt32] = []
        var starts: [Int] = []
        cps.reserveCapacity(bytes.count)
        starts.reserveCapacity(bytes.count + 1)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b0 = bytes[i]
            let len = b0 < 0x80 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4
            var cp = len == 1 ? UInt32(b0) : len == 2 ? UInt32(b0 & 0x1F) : len == 3 ? UInt32(b0 & 0x0F) : UInt32(b0 & 0x07)
            var j = i + 1
            while j < min(i + len, bytes.endIndex) {
                cp = cp << 6 | UInt32(bytes[j] & 0x3F)
                j += 1
            }
            cps.append(cp)
            starts.append(i)
            i = j
        }
        starts.append(bytes.endIndex)
        for word in preTokenizer.split(cps) {
            let wordBytes = Array(bytes[starts[word.lowerBound]..<starts[word.upperBound]])
            out += encodeWord(wordBytes)
        }
    }

    private func encodeWord(_ word: [UInt8]) -> [Int32] {
        cacheLock.lock()
        let cached = cache[word]
        cacheLock.unlock()
        if let cached { return cached }
        let ids = mergeWord(word)
        cacheLock.lock()
        if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[word] = ids
        cacheLock.unlock()
        return ids
    }

    private func mergeWord(_ word: [UInt8]) -> [Int32] {
        if preTokenizer.ignoresMerges {
            let text = word.flatMap { ByteLevelMap.utf8ForByte[Int($0)] }
            if let id = vocabulary.id(of: text) { return [id] }
        }
        var out: [Int32] = []
        for symbol in mergeTable.apply(to: word.map { mergeTable.byteSymbols[Int($0)] }) {
            if Int(symbol) < vocabSize {
                out.append(symbol)
            } else {
                // Not a token: llama.cpp looks up each byte of its byte-level text as a token, dropping misses.
                for b in mergeTable.extraPiece(symbol) {
                    if let id = vocabulary.id(of: [b]) { out.append(id) }
                }
            }
        }
        return out
    }

    public func pieceBytes(_ id: Int32, renderSpecial: Bool) -> [UInt8] {
        guard let type = vocabulary.type(id) else { return [] }
        switch type {
        case .control, .unknown: return renderSpecial ? vocabulary.piece(Int(id)) : []
        case .userDefined: return vocabulary.piece(Int(id))
        case .normal: return ByteLevelMap.decode(vocabulary.text(Int(id)))
        case .undefined, .unused, .byte: return []
        }
    }
}
