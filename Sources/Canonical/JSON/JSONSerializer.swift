import Foundation

/// How `JSONValue.serialized(options:)` lays out text.
public struct JSONWriteOptions: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// Two-space indentation, one member or element per line, `"key": value`.
    public static let pretty = JSONWriteOptions(rawValue: 1)
    /// Object keys in ascending code-unit order instead of insertion order (stable diffs, hashing).
    public static let sortedKeys = JSONWriteOptions(rawValue: 2)
}

extension JSONValue {
    /// JSON text for this value (RFC 8259). Non-ASCII characters are written as UTF-8, control characters,
    /// `"` and `\` are escaped. A non-finite double (never produced by parsing) is written as `null`.
    public func serialized(options: JSONWriteOptions = []) -> String {
        var out = ""
        write(to: &out, options: options, indent: 0)
        return out
    }

    /// UTF-8 bytes of `serialized(options:)`.
    public func serializedData(options: JSONWriteOptions = []) -> Data {
        Data(serialized(options: options).utf8)
    }

    private func write(to out: inout String, options: JSONWriteOptions, indent: Int) {
        let pretty = options.contains(.pretty)
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let i): out += String(i)
        case .number(let d): out += JSONValue.format(d)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            out += "["
            for (n, element) in a.enumerated() {
                if n > 0 { out += "," }
                if pretty { out += "\n"; out += String(repeating: "  ", count: indent + 1) }
                element.write(to: &out, options: options, indent: indent + 1)
            }
            if pretty { out += "\n"; out += String(repeating: "  ", count: indent) }
            out += "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            out += "{"
            let keys = options.contains(.sortedKeys) ? o.keys.sorted() : o.keys
            for (n, key) in keys.enumerated() {
                guard let value = o[key] else { continue }
                if n > 0 { out += "," }
                if pretty { out += "\n"; out += String(repeating: "  ", count: indent + 1) }
                JSONValue.writeString(key, to: &out)
                out += pretty ? ": " : ":"
                value.write(to: &out, options: options, indent: indent + 1)
            }
            if pretty { out += "\n"; out += String(repeating: "  ", count: indent) }
            out += "}"
        }
    }

    /// Shortest text that reads back as the same double; integral values keep a `.0` so they stay `.number`.
    static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        return d.description  // "1.0", "0.1", "1e-07", "1e+16": all valid JSON numbers.
    }

    /// A string without characters to escape (`"`, `\` and control characters) is copied whole; otherwise the runs
    /// between them are. (Those characters are ASCII, so a run never splits a multi-byte character; runs are cut
    /// as UTF-8, not as `Character`s, which could round a cut back to a grapheme boundary.)
    static func writeString(_ s: String, to out: inout String) {
        func needsEscape(_ b: UInt8) -> Bool { b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b == 0x7F }
        out += "\""
        let utf8 = s.utf8
        guard utf8.contains(where: needsEscape) else {
            out += s
            out += "\""
            return
        }
        var runStart = utf8.startIndex
        var i = runStart
        while i != utf8.endIndex {
            let b = utf8[i]
            guard needsEscape(b) else {
                utf8.formIndex(after: &i)
                continue
            }
            if runStart != i { out += String(decoding: utf8[runStart ..< i], as: UTF8.self) }
            switch b {
            case UInt8(ascii: "\""): out += "\\\""
            case UInt8(ascii: "\\"): out += "\\\\"
            case UInt8(ascii: "\n"): out += "\\n"
            case UInt8(ascii: "\r"): out += "\\r"
            case UInt8(ascii: "\t"): out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            default: out += "\\u" + hex4(UInt32(b)).lowercased()
            }
            utf8.formIndex(after: &i)
            runStart = i
        }
        if runStart != i { out += String(decoding: utf8[runStart ..< i], as: UTF8.self) }
        out += "\""
    }
}
