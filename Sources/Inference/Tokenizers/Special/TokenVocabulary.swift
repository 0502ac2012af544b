import Foundation

/// Token texts as bytes with a byte-exact text → id lookup, shared by the GGUF tokenizers.
///
/// Works on bytes, not `String`, because llama.cpp compares `std::string` bytes: two texts that are
/// canonically equivalent Unicode but spelled differently are different tokens.
struct TokenVocabulary: Sendable {
    /// Every token's bytes, back to back: token i is `bytes[starts[i] ..< starts[i + 1]]`. One buffer and an offset
    /// table instead of an array (and a dictionary key) per token: Gemma 3's 262,144 tokens took 45 MB of heap as
    /// `[[UInt8]]` + `[ArraySlice<UInt8>: Int32]` + `[String]`, and take about 6 MB this way.
    private let bytes: [UInt8]
    private let starts: [Int]
    let types: [GGUFTokenType]
    /// Open-addressing hash table (linear probing) of token ids by their bytes' FNV-1a hash; −1 marks an empty slot.
    /// Later ids overwrite earlier ones for a repeated text, like llama.cpp's `token_to_id[text] = id`.
    private let slots: [Int32]

    var count: Int { types.count }

    init(tokens: [String], tokenTypes: [Int32]?) throws {
        guard !tokens.isEmpty else { throw GGUFTokenizerError.missingTokens }
        if let tokenTypes, tokenTypes.count != tokens.count {
            throw GGUFTokenizerError.lengthMismatch(
                key: "tokenizer.ggml.token_type", expected: tokens.count, actual: tokenTypes.count)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(tokens.reduce(0) { $0 + $1.utf8.count })
        var starts: [Int] = [0]
        starts.reserveCapacity(tokens.count + 1)
        for t in tokens {
            bytes.append(contentsOf: t.utf8)
            starts.append(bytes.count)
        }
        types = tokenTypes.map { $0.map(GGUFTokenType.init(raw:)) } ?? Array(repeating: .normal, count: tokens.count)
        var capacity = 16
        while capacity < 2 * tokens.count { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        bytes.withUnsafeBufferPointer { all in
            for i in 0 ..< tokens.count {
                let piece = UnsafeBufferPointer(rebasing: all[starts[i] ..< starts[i + 1]])
                var h = Self.hash(piece) & (capacity - 1)
                while slots[h] >= 0 {
                    let other = Int(slots[h])
                    if Self.equal(piece, UnsafeBufferPointer(rebasing: all[starts[other] ..< starts[other + 1]])) { break }
                    h = (h + 1) & (capacity - 1)
                }
                slots[h] = Int32(i)
            }
        }
        self.bytes = bytes
        self.starts = starts
        self.slots = slots
    }

    /// Token `id`'s bytes.
    func piece(_ id: Int) -> [UInt8] { Array(bytes[starts[id] ..< starts[id + 1]]) }

    /// Token `id`'s byte length.
    func pieceLength(_ id: Int) -> Int { starts[id + 1] - starts[id] }

    /// Token `id`'s text as stored in the GGUF file.
    func text(_ id: Int) -> String { String(decoding: bytes[starts[id] ..< starts[id + 1]], as: UTF8.self) }

    func id(of text: ArraySlice<UInt8>) -> Int32? { text.withUnsafeBufferPointer { lookup($0) } }
    func id(of text: [UInt8]) -> Int32? { text.withUnsafeBufferPointer { lookup($0) } }

    private func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        let mask = slots.count - 1
        return bytes.withUnsafeBufferPointer { all in
            var h = Self.hash(key) & mask
            while slots[h] >= 0 {
                let id = Int(slots[h])
                if Self.equal(key, UnsafeBufferPointer(rebasing: all[starts[id] ..< starts[id + 1]])) { return Int32(id) }
                h = (h + 1) & mask
            }
            return nil
        }
    }

    private static func hash(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in p { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return true }  // both empty
        return memcmp(pa, pb, a.count) == 0
    }

    func contains(_ id: Int32) -> Bool { id >= 0 && Int(id) < count }

    func type(_ id: Int32) -> GGUFTokenType? { contains(id) ? types[Int(id)] : nil }

    /// Checks an optional special-token id key against the vocabulary size.
    func checked(_ id: Int32?, key: String) throws -> Int32? {
        guard let id else { return nil }
        guard contains(id) else { throw GGUFTokenizerError.tokenIDOutOfRange(key: key, id: id, vocabSize: count) }
        return id
    }

    /// Ids that end a generation: eos/eot/eom plus control tokens whose text llama.cpp treats as end-of-generation.
    func endOfGenerationIDs(eos: Int32?, eot: Int32?, eom: Int32?) -> Set<Int32> {
        let names: Set<String> = [
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<EOT>", "_<EOT>",
            "<|end_of_text|>", "<end_of_utterance>",
        ]
        var ids = Set([eos, eot, eom].compactMap { $0 })
        for i in 0 ..< count where types[i] == .control && names.contains(text(i)) { ids.insert(Int32(i)) }
        return ids
    }
}
