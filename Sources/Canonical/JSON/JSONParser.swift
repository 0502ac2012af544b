import Foundation

extension JSONValue {
    /// Parses one JSON text (RFC 8259). Duplicate keys, trailing content, lone surrogates and integers that would
    /// silently lose precision are errors.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var p = JSONParser(bytes: Array(text.utf8), recordPositions: false)
        return try p.parseDocument().value
    }

    public static func parse(_ data: Data) throws(JSONParseError) -> JSONValue {
        try parse(bytes: [UInt8](data))
    }

    public static func parse(bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var p = JSONParser(bytes: bytes, recordPositions: false)
        return try p.parseDocument().value
    }

    /// Parses and also returns where every value starts, for error messages with `line:column`.
    public static func parseWithSourceMap(bytes: [UInt8]) throws(JSONParseError) -> (value: JSONValue, sourceMap: JSONSourceMap) {
        var p = JSONParser(bytes: bytes, recordPositions: true)
        let (v, map) = try p.parseDocument()
        return (v, map ?? JSONSourceMap(bytes: bytes))
    }
}

/// A recursive-descent parser over UTF-8 bytes.
struct JSONParser {
    static let maxDepth = 512

    let bytes: [UInt8]
    var i = 0
    var depth = 0
    var map: JSONSourceMap?

    init(bytes: [UInt8], recordPositions: Bool) {
        // A leading byte-order mark is allowed and ignored (RFC 8259 §8.1).
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        map = recordPositions ? JSONSourceMap(bytes: bytes) : nil
    }

    mutating func parseDocument() throws(JSONParseError) -> (value: JSONValue, map: JSONSourceMap?) {
        if let bad = UTF8Check.firstInvalidOffset(bytes) { throw error(.invalidUTF8, at: bad) }
        skipWhitespace()
        let v = try parseValue(pointer: "")
        skipWhitespace()
        if i < bytes.count { throw unexpected("end of input") }
        return (v, map)
    }

    // MARK: Values

    /// `record`: note where this value starts (object members record their key's position instead).
    mutating func parseValue(pointer: String, record: Bool = true) throws(JSONParseError) -> JSONValue {
        guard i < bytes.count else { throw unexpected("a value") }
        if record { map?.record(pointer, offset: i) }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try parseObject(pointer: pointer)
        case UInt8(ascii: "["): return try parseArray(pointer: pointer)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw unexpected("a value")
        }
    }

    mutating func literal(_ word: String) throws(JSONParseError) {
        let start = i
        for b in word.utf8 {
            guard i < bytes.count, bytes[i] == b else { i = start; throw unexpected("a value") }
            i += 1
        }
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > JSONParser.maxDepth { throw error(.nestingTooDeep(limit: JSONParser.maxDepth), at: i) }
    }

    mutating func parseObject(pointer: String) throws(JSONParseError) -> JSONValue {
        try enter()
        i += 1
        var object = JSONObject()
        // Where each key starts, in `object.keys` order (for a duplicate key's error).
        var keyOffsets: [Int] = []
        skipWhitespace()
        if peek(UInt8(ascii: "}")) { i += 1; depth -= 1; return .object(object) }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else { throw unexpected(object.isEmpty ? "a string key or '}'" : "a string key") }
            let keyStart = i
            let key = try parseString()
            if object.contains(key: key) {
                let first = object.keys.firstIndex(of: key).map { keyOffsets[$0] } ?? keyStart
                let (l, c) = JSONSourceMap.location(ofOffset: first, in: bytes)
                throw error(.duplicateKey(key, firstLine: l, firstColumn: c), at: keyStart)
            }
            keyOffsets.append(keyStart)
            // Pointers are spelled out only for a source map: most parses have none, and building one per value
            // cost more than the parse.
            let childPointer = map == nil ? "" : pointer + "/" + JSONPointer.escape(key)
            map?.record(childPointer, offset: keyStart)
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { throw unexpected("':' after key") }
            i += 1
            skipWhitespace()
            object[key] = try parseValue(pointer: childPointer, record: false)
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { i += 1; continue }
            if peek(UInt8(ascii: "}")) { i += 1; break }
            throw unexpected("',' or '}'")
        }
        depth -= 1
        return .object(object)
    }

    mutating func parseArray(pointer: String) throws(JSONParseError) -> JSONValue {
        try enter()
        i += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) { i += 1; depth -= 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseValue(pointer: map == nil ? "" : pointer + "/" + String(elements.count)))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { i += 1; continue }
            if peek(UInt8(ascii: "]")) { i += 1; break }
            throw unexpected("',' or ']'")
        }
        depth -= 1
        return .array(elements)
    }

    // MARK: Strings

    mutating func parseString() throws(JSONParseError) -> String {
        i += 1  // opening quote
        var out = [UInt8]()
        var runStart = i
        while true {
            guard i < bytes.count else { throw unexpected("'\"' to close the string") }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                if out.isEmpty { let s = String(decoding: bytes[runStart..<i], as: UTF8.self); i += 1; return s }
                out.append(contentsOf: bytes[runStart..<i]); i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 { throw error(.controlCharacterInString(b), at: i) }
            if b == UInt8(ascii: "\\") {
                out.append(contentsOf: bytes[runStart..<i])
                try parseEscape(into: &out)
                runStart = i
                continue
            }
            i += 1
        }
    }

    mutating func parseEscape(into out: inout [UInt8]) throws(JSONParseError) {
        let start = i
        i += 1
        guard i < bytes.count else { throw unexpected("an escape character") }
        let c = bytes[i]
        i += 1
        switch c {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            let first = try hex4Digits(escapeStart: start)
            var scalarValue = first
            if (0xD800...0xDBFF).contains(first) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                    throw error(.loneSurrogate("\\u" + hex4(first)), at: start)
                }
                let secondStart = i
                i += 2
                let second = try hex4Digits(escapeStart: secondStart)
                guard (0xDC00...0xDFFF).contains(second) else { throw error(.loneSurrogate("\\u" + hex4(first)), at: start) }
                scalarValue = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(first) {
                throw error(.loneSurrogate("\\u" + hex4(first)), at: start)
            }
            guard let scalar = Unicode.Scalar(scalarValue) else { throw error(.loneSurrogate("\\u" + hex4(first)), at: start) }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw error(.invalidEscape("\\" + String(decoding: [c], as: UTF8.self)), at: start)
        }
    }

    mutating func hex4Digits(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard i < bytes.count, let d = JSONParser.hexValue(bytes[i]) else {
                let end = min(i + 1, bytes.count)
                throw error(.invalidEscape(String(decoding: bytes[escapeStart..<end], as: UTF8.self)), at: escapeStart)
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    // MARK: Numbers

    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = i
        if peek(UInt8(ascii: "-")) { i += 1 }
        guard i < bytes.count, isDigit(bytes[i]) else { throw unexpected("a digit") }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < bytes.count, isDigit(bytes[i]) { throw unexpected("'.', 'e' or the end of the number (no leading zeros)") }
        } else {
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        var integral = true
        if peek(UInt8(ascii: ".")) {
            integral = false
            i += 1
            guard i < bytes.count, isDigit(bytes[i]) else { throw unexpected("a digit after '.'") }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            integral = false
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, isDigit(bytes[i]) else { throw unexpected("a digit in the exponent") }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if integral, let n = Int64(text) { return .integer(n) }
        guard let d = Double(text), d.isFinite else { throw error(.numberOutOfRange(text), at: start) }
        if integral {
            // An integer beyond Int64: accept it only if the double holds it exactly.
            let exact = String(format: "%.0f", d)
            if exact != text { throw error(.numberOutOfRange(text), at: start) }
        }
        return .number(d)
    }

    // MARK: Helpers

    func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    func peek(_ b: UInt8) -> Bool { i < bytes.count && bytes[i] == b }

    mutating func skipWhitespace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    func error(_ kind: JSONParseError.Kind, at offset: Int) -> JSONParseError {
        let (l, c) = JSONSourceMap.location(ofOffset: offset, in: bytes)
        return JSONParseError(kind: kind, line: l, column: c, offset: offset)
    }

    func unexpected(_ expected: String) -> JSONParseError {
        error(.unexpected(expected: expected, found: describeFound()), at: i)
    }

    func describeFound() -> String {
        guard i < bytes.count else { return "end of input" }
        // Show the offending character (a whole UTF-8 sequence), never a partial byte.
        var end = i + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        let s = String(decoding: bytes[i..<end], as: UTF8.self)
        switch s {
        case "\n": return "end of line"
        case "\t": return "a tab"
        default: return "'\(s)'"
        }
    }
}
