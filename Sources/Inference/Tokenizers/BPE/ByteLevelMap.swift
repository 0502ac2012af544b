/// GPT-2's reversible byte ↔ printable-character map used by byte-level BPE vocabularies.
///
/// Bytes `!`…`~`, 0xA1…0xAC and 0xAE…0xFF stand for themselves; the other 68 bytes map, in increasing order,
/// to U+0100, U+0101, … (so space 0x20 is `Ġ` U+0120 and `\n` is `Ċ` U+010A). FORMATS.md section 8.
enum ByteLevelMap {
    /// Code point standing for each byte.
    static let scalarForByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var n: UInt32 = 0
        for b in 0..<256 {
            if (33...126).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b) {
                table[b] = UInt32(b)
            } else {
                table[b] = 256 + n
                n += 1
            }
        }
        return table
    }()

    /// UTF-8 of the character standing for each byte.
    static let utf8ForByte: [[UInt8]] = scalarForByte.map { cp in
        Array(String(Unicode.Scalar(cp).map(Character.init) ?? " ").utf8)
    }

    /// Inverse map: code point → byte.
    static let byteForScalar: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (b, cp) in scalarForByte.enumerated() { map[cp] = UInt8(b) }
        return map
    }()

    /// The original bytes behind a token's byte-level text; a character outside the map keeps its own UTF-8.
    static func decode(_ tokenText: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(tokenText.utf8.count)
        for scalar in tokenText.unicodeScalars {
            if let b = byteForScalar[scalar.value] {
                out.append(b)
            } else {
                out += Array(String(scalar).utf8)
            }
        }
        return out
    }
}
