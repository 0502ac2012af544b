import Foundation

/// A JSON Pointer (RFC 6901): `""` is the whole document, `/a/0/b~1c` walks keys and indices.
public struct JSONPointer: Hashable, Sendable, CustomStringConvertible {
    public var tokens: [String]

    public init(tokens: [String] = []) { self.tokens = tokens }

    /// Parses pointer text. Throws when it does not start with `/` (and is not empty) or has a bad `~` escape.
    public init(parsing text: String) throws(JSONPointerError) {
        if text.isEmpty { tokens = []; return }
        guard text.hasPrefix("/") else { throw JSONPointerError(pointer: text, message: "a JSON Pointer must be empty or start with '/'") }
        var result: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var it = raw.makeIterator()
            while let c = it.next() {
                guard c == "~" else { token.append(c); continue }
                switch it.next() {
                case "0": token.append("~")
                case "1": token.append("/")
                default: throw JSONPointerError(pointer: text, message: "'~' must be followed by '0' or '1'")
                }
            }
            result.append(token)
        }
        tokens = result
    }

    public var description: String { tokens.map { "/" + JSONPointer.escape($0) }.joined() }

    public func appending(_ token: String) -> JSONPointer { JSONPointer(tokens: tokens + [token]) }
    public func appending(_ index: Int) -> JSONPointer { appending(String(index)) }

    /// Escapes one reference token: `~` → `~0`, `/` → `~1`.
    public static func escape(_ token: String) -> String {
        guard token.contains("~") || token.contains("/") else { return token }
        return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}

public struct JSONPointerError: Error, Sendable, Equatable, CustomStringConvertible {
    public let pointer: String
    public let message: String
    public var description: String { "invalid JSON Pointer \"\(pointer)\": \(message)" }
}

extension JSONValue {
    /// The value a JSON Pointer designates, or nil when the pointer is malformed or leads nowhere.
    /// Array tokens must be canonical indices (`0`, `12`; not `01` or `-`).
    public func value(atPointer pointer: String) -> JSONValue? {
        guard let p = try? JSONPointer(parsing: pointer) else { return nil }
        return value(at: p)
    }

    public func value(at pointer: JSONPointer) -> JSONValue? {
        var current = self
        for token in pointer.tokens {
            switch current {
            case .object(let o):
                guard let next = o[token] else { return nil }
                current = next
            case .array(let a):
                guard let index = JSONPointer.arrayIndex(token), index < a.count else { return nil }
                current = a[index]
            default:
                return nil
            }
        }
        return current
    }
}

extension JSONPointer {
    static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if token.count > 1 && token.hasPrefix("0") { return nil }
        return Int(token)
    }
}
