/// A JSON value from a safetensors header.
///
/// Numbers keep their literal text so offsets and shapes are converted exactly (no trip through `Double`),
/// and objects keep their key order so errors can follow the file.
enum SafetensorsJSONValue: Equatable {
    case object([(key: String, value: SafetensorsJSONValue)])
    case array([SafetensorsJSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    static func == (a: SafetensorsJSONValue, b: SafetensorsJSONValue) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.array(x), .array(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    /// A short name of the JSON type, for error messages.
    var kind: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number(let text): return "the number \(text)"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    /// The value as an exact unsigned integer, or nil for anything else (negative, fraction, exponent, too large).
    var unsignedInteger: UInt64? {
        if case .number(let text) = self { return UInt64(text) }
        return nil
    }
}

/// Why header JSON could not be parsed; `offset` is relative to the start of the JSON text.
struct SafetensorsJSONSyntaxError: Error {
    var offset: Int
    var reason: String
}

/// A strict RFC 8259 parser for the safetensors header (no library parser is available to `Inference`).
///
/// Strict on purpose: duplicate keys, invalid UTF-8, lone surrogates, control characters and trailing garbage
/// are all errors, because a header that two readers could understand differently must not load.
struct SafetensorsHeaderJSONParser {
    private let bytes: UnsafeRawBufferPointer
    private var pos = 0
    private let maxDepth = 64

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Parses one value followed only by whitespace (writers pad the header with spaces).
    static func parse(_ bytes: UnsafeRawBufferPointer) throws -> SafetensorsJSONValue {
        var parser = SafetensorsHeaderJSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.pos == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private func error(_ reason: String) -> SafetensorsJSONSyntaxError {
        SafetensorsJSONSyntaxError(offset: pos, reason: reason)
    }

    private var current: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    private mutating func skipWhitespace() {
        while let c = current, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { pos += 1 }
    }

    private mutating func expect(_ literal: StaticString) throws {
        let n = literal.utf8CodeUnitCount
        guard pos + n <= bytes.count else { throw error("unexpected end of header, expected \(literal)") }
        let lit = UnsafeRawBufferPointer(start: literal.utf8Start, count: n)
        for i in 0..<n where bytes[pos + i] != lit[i] { throw error("invalid literal, expected \(literal)") }
        pos += n
    }

    private mutating func parseValue(depth: Int) throws -> SafetensorsJSONValue {
        guard depth < maxDepth else { throw error("JSON nested deeper than \(maxDepth) levels") }
        guard let c = current else { throw error("unexpected end of header, expected a value") }
        switch c {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected character \(Self.show(c)), expected a value")
        }
    }

    private mutating func parseObject(depth: Int) throws -> SafetensorsJSONValue {
        pos += 1  // {
        var members: [(key: String, value: SafetensorsJSONValue)] = []
        var seen = Set<String>()
        skipWhitespace()
        if current == UInt8(ascii: "}") { pos += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let keyOffset = pos
            let key = try parseString()
            guard seen.insert(key).inserted else {
                throw SafetensorsJSONSyntaxError(offset: keyOffset, reason: "duplicate key \"\(key)\"")
            }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':' after key \"\(key)\"") }
            pos += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            guard let c = current else { throw error("unexpected end of header inside an object") }
            pos += 1
            if c == UInt8(ascii: "}") { return .object(members) }
            guard c == UInt8(ascii: ",") else { pos -= 1; throw error("expected ',' or '}' in an object") }
        }
    }

    private mutating func parseArray(depth: Int) throws -> SafetensorsJSONValue {
        pos += 1  // [
        var items: [SafetensorsJSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { pos += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard let c = current else { throw error("unexpected end of header inside an array") }
            pos += 1
            if c == UInt8(ascii: "]") { return .array(items) }
            guard c == UInt8(ascii: ",") else { pos -= 1; throw error("expected ',' or ']' in an array") }
        }
    }

    private mutating func parseNumber() throws -> String {
        let start = pos
        if current == UInt8(ascii: "-") { pos += 1 }
        guard let first = current, Self.isDigit(first) else { throw error("invalid number") }
        pos += 1
        if first != UInt8(ascii: "0") { while let c = current, Self.isDigit(c) { pos += 1 } }
        if current == UInt8(ascii: ".") {
            pos += 1
            guard let c = current, Self.isDigit(c) else { throw error("invalid number: digits expected after '.'") }
            while let c = current, Self.isDigit(c) { pos += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            pos += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { pos += 1 }
            guard let c = current, Self.isDigit(c) else { throw error("invalid number: digits expected in exponent") }
            while let c = current, Self.isDigit(c) { pos += 1 }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
    }

    private mutating func parseString() throws -> String {
        pos += 1  // opening quote
        var out: [UInt8] = []
        while true {
            guard let c = current else { throw error("unterminated string") }
            switch c {
            case UInt8(ascii: "\""):
                pos += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                pos += 1
                try parseEscape(into: &out)
            case 0..<0x20:
                throw error("control character \(Self.show(c)) inside a string")
            case 0x80...:
                try copyUTF8Sequence(into: &out)
            default:
                out.append(c)
                pos += 1
            }
        }
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws {
        guard let e = current else { throw error("unterminated escape") }
        pos += 1
        let simple: UInt8?
        switch e {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "/"): simple = 0x2F
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default: pos -= 1; throw error("invalid escape \\\(Self.show(e))")
        }
        if let simple { out.append(simple); return }
        var scalar = try parseHex4()
        if (0xD800..<0xDC00).contains(scalar) {
            guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                throw error("lone high surrogate in \\u escape")
            }
            pos += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("invalid low surrogate in \\u escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(scalar) {
            throw error("lone low surrogate in \\u escape")
        }
        guard let u = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
        out.append(contentsOf: Array(String(Character(u)).utf8))
    }

    private mutating func parseHex4() throws -> UInt32 {
        guard pos + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[pos]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit \(Self.show(c)) in \\u escape")
            }
            v = v << 4 | d
            pos += 1
        }
        return v
    }

    /// Validates one multi-byte UTF-8 sequence (no overlongs, no surrogates, ≤ U+10FFFF) and copies it.
    private mutating func copyUTF8Sequence(into out: inout [UInt8]) throws {
        let lead = bytes[pos]
        let length: Int
        var lowerBound: UInt8 = 0x80, upperBound: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upperBound = 0x9F
        case 0xF0: length = 4; lowerBound = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upperBound = 0x8F
        default: throw error("invalid UTF-8 byte \(Self.show(lead))")
        }
        guard pos + length <= bytes.count else { throw error("truncated UTF-8 sequence") }
        for i in 1..<length {
            let b = bytes[pos + i]
            let lo: UInt8 = i == 1 ? lowerBound : 0x80
            let hi: UInt8 = i == 1 ? upperBound : 0xBF
            guard b >= lo && b <= hi else { throw SafetensorsJSONSyntaxError(offset: pos + i, reason: "invalid UTF-8 sequence") }
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[pos..<pos + length]))
        pos += length
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    private static func show(_ c: UInt8) -> String {
        (0x20..<0x7F).contains(c) ? "'\(Character(Unicode.Scalar(c)))'" : "0x" + String(c, radix: 16)
    }
}
