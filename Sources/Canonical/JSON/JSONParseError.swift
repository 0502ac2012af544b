/// Why a JSON text could not be parsed, and where: 1-based line and column (columns count Unicode scalars).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Something else was found where `expected` was required.
        case unexpected(expected: String, found: String)
        /// An object repeats a key; the first occurrence is at `firstLine:firstColumn`.
        case duplicateKey(String, firstLine: Int, firstColumn: Int)
        case invalidEscape(String)
        case invalidUTF8
        case controlCharacterInString(UInt8)
        case loneSurrogate(String)
        /// A number that cannot be held exactly (an integer beyond 64 bits that a double would round) or overflows.
        case numberOutOfRange(String)
        case nestingTooDeep(limit: Int)
    }

    public let kind: Kind
    public let line: Int
    public let column: Int
    /// Byte offset into the UTF-8 text.
    public let offset: Int

    public init(kind: Kind, line: Int, column: Int, offset: Int) {
        self.kind = kind; self.line = line; self.column = column; self.offset = offset
    }

    public var message: String {
        switch kind {
        case let .unexpected(expected, found): return "expected \(expected), found \(found)"
        case let .duplicateKey(k, l, c): return "duplicate key \"\(k)\" (first defined at \(l):\(c))"
        case .invalidEscape(let e): return "invalid escape sequence \(e) in string"
        case .invalidUTF8: return "invalid UTF-8 byte sequence"
        case .controlCharacterInString(let b): return "unescaped control character U+\(hex4(UInt32(b))) in string (write it as \\u\(hex4(UInt32(b))))"
        case .loneSurrogate(let e): return "unpaired UTF-16 surrogate \(e) in string"
        case .numberOutOfRange(let n): return "number \(n) cannot be represented exactly (beyond 64-bit integer / double precision)"
        case .nestingTooDeep(let limit): return "arrays and objects nested deeper than \(limit) levels"
        }
    }

    public var description: String { "\(line):\(column): \(message)" }
}

func hex4(_ v: UInt32) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - s.count)) + s
}
