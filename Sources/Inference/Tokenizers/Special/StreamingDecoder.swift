/// Turns token ids into text one token at a time, for streaming generation.
///
/// A token may end in the middle of a UTF-8 character (byte-fallback tokens `<0xE2>`, or a byte-level BPE
/// token holding half of an emoji). The decoder holds such an incomplete tail back until the next tokens
/// complete it, so every returned chunk is whole characters and the concatenation of all chunks plus
/// `finish()` equals the one-shot `decode` of the same ids.
public struct StreamingDecoder {
    public let tokenizer: any TextTokenizer
    public let renderSpecial: Bool
    private var pending: [UInt8] = []
    private var isFirst = true

    public init(tokenizer: any TextTokenizer, renderSpecial: Bool = false) {
        self.tokenizer = tokenizer
        self.renderSpecial = renderSpecial
    }

    /// Adds one token; returns the text it completes (possibly empty).
    public mutating func append(_ id: Int32) -> String {
        var piece = tokenizer.pieceBytes(id, renderSpecial: renderSpecial)
        if isFirst, tokenizer.decodeStripsLeadingSpace, piece.first == 0x20 { piece.removeFirst() }
        isFirst = false
        pending += piece
        let cut = Self.completePrefixLength(pending)
        guard cut > 0 else { return "" }
        let text = String(decoding: pending[..<cut], as: UTF8.self)
        pending.removeFirst(cut)
        return text
    }

    /// Flushes whatever is held back (an unfinished character becomes U+FFFD, as in one-shot decoding).
    public mutating func finish() -> String {
        defer { pending = [] }
        return pending.isEmpty ? "" : String(decoding: pending, as: UTF8.self)
    }

    /// Length of the prefix that can be decoded now: everything except a trailing valid-but-incomplete sequence.
    ///
    /// Only a tail that could still become a valid character is held back; invalid bytes are released at once
    /// (their U+FFFD does not depend on what follows), which keeps the chunks equal to one-shot decoding.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        var start = n - 1
        // Find the last non-continuation byte among the final 4.
        while start >= 0, start > n - 4, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        guard start >= 0 else { return n }
        let lead = bytes[start]
        let need: Int
        switch lead {
        case 0xC2...0xDF: need = 2
        case 0xE0...0xEF: need = 3
        case 0xF0...0xF4: need = 4
        default: return n
        }
        let have = n - start
        guard have < need else { return n }
        if have >= 2 {
            // The second byte's allowed range depends on the lead (no overlongs, surrogates or > U+10FFFF).
            let second = bytes[start + 1]
            let ok: Bool
            switch lead {
            case 0xE0: ok = second >= 0xA0
            case 0xED: ok = second <= 0x9F
            case 0xF0: ok = second >= 0x90
            case 0xF4: ok = second <= 0x8F
            default: ok = true
            }
            if !ok { return n }
        }
        return start
    }
}
