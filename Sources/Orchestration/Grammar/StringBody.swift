/// Byte-level rules for the inside of a JSON string as the grammar writes it: well-formed UTF-8 (no overlongs,
/// no surrogates, nothing above U+10FFFF), no raw control characters, and the escapes `\" \\ \/ \b \f \n \r \t`
/// and `\uXXXX` for non-surrogates only (the first hex digit is never `d`/`D`, so no lone surrogates).
///
/// A substate says what the next byte must complete: 0 between characters, 1–7 inside a UTF-8 sequence (by how
/// many continuation bytes remain and their allowed range), 8 after `\`, 9–12 after `\u` and 0–3 hex digits.
enum StringBody {
    static let substates = 13
    static let clean: Int32 = 0
    static let invalid: Int16 = -1
    static let close: Int16 = -2
    /// Set in a table entry when the byte starts a new character (counts toward `maxLength`).
    static let startsCharacter: Int16 = 0x100

    /// `table[sub * 256 + byte]`: `invalid`, `close`, or the next substate (| `startsCharacter`).
    static let table: [Int16] = {
        var t = [Int16](repeating: invalid, count: substates * 256)
        func set(_ sub: Int, _ bytes: ClosedRange<Int>, _ value: Int16) { for b in bytes { t[sub * 256 + b] = value } }
        // Between characters.
        set(0, 0x20...0x7F, startsCharacter)
        t[0x22] = close
        t[0x5C] = startsCharacter | 8
        set(0, 0xC2...0xDF, startsCharacter | 1)
        t[0xE0] = startsCharacter | 3
        set(0, 0xE1...0xEC, startsCharacter | 2)
        t[0xED] = startsCharacter | 4
        set(0, 0xEE...0xEF, startsCharacter | 2)
        t[0xF0] = startsCharacter | 6
        set(0, 0xF1...0xF3, startsCharacter | 5)
        t[0xF4] = startsCharacter | 7
        // Continuation bytes.
        set(1, 0x80...0xBF, 0)
        set(2, 0x80...0xBF, 1)
        set(3, 0xA0...0xBF, 1)
        set(4, 0x80...0x9F, 1)
        set(5, 0x80...0xBF, 2)
        set(6, 0x90...0xBF, 2)
        set(7, 0x80...0x8F, 2)
        // Escapes.
        for c in "\"\\/bfnrt".utf8 { t[8 * 256 + Int(c)] = 0 }
        t[8 * 256 + 0x75] = 9
        for c in "0123456789abcefABCEF".utf8 { t[9 * 256 + Int(c)] = 10 }
        for c in "0123456789abcdefABCDEF".utf8 {
            t[10 * 256 + Int(c)] = 11
            t[11 * 256 + Int(c)] = 12
            t[12 * 256 + Int(c)] = 0
        }
        return t
    }()

    @inline(__always)
    static func step(_ sub: Int32, _ byte: UInt8) -> Int16 {
        table[Int(sub) &* 256 &+ Int(byte)]
    }

    /// The scalar a completed single-character escape stands for.
    static func escaped(_ byte: UInt8) -> UInt32 {
        switch byte {
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        default: return UInt32(byte)
        }
    }

    static func hexValue(_ byte: UInt8) -> Int64 {
        switch byte {
        case 0x30...0x39: return Int64(byte - 0x30)
        case 0x41...0x46: return Int64(byte - 0x41 + 10)
        default: return Int64(byte &- 0x61 &+ 10)
        }
    }
}
