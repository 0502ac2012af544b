import Canonical

/// Compares an example's `expect` with what the transforms produced: `expect` is a fragment, so every member it
/// lists must be there and equal, arrays must have the same length and match element by element, and members it
/// does not list (ids, scores, defaults) are not compared. Numbers compare by value (`1` equals `1.0`).
public enum FragmentMatch {
    /// One difference, at a JSON Pointer into the canonical record.
    public struct Mismatch: Sendable, Hashable, CustomStringConvertible {
        public var path: String
        public var expected: String
        public var actual: String
        public var description: String { "at \(path.isEmpty ? "/" : path): expected \(expected), got \(actual)" }
    }

    /// Differences between `expected` and `actual`; empty when the fragment matches.
    /// - Parameter caseInsensitive: string members with these names compare case-insensitively (span `text`
    ///   replayed from a lower-cased tokenizer's pieces, when the example does not carry the document).
    public static func mismatches(expected: JSONValue, actual: JSONValue?, at path: String = "",
                                  caseInsensitive: Set<String> = []) -> [Mismatch] {
        guard let actual else { return [Mismatch(path: path, expected: brief(expected), actual: "nothing")] }
        switch (expected, actual) {
        case (.object(let e), .object(let a)):
            return e.flatMap { key, value in
                mismatches(expected: value, actual: a[key], at: "\(path)/\(escape(key))", caseInsensitive: caseInsensitive)
            }
        case (.array(let e), .array(let a)):
            guard e.count == a.count else {
                return [Mismatch(path: path, expected: "\(e.count) element\(e.count == 1 ? "" : "s")",
                                 actual: "\(a.count): \(brief(actual))")]
            }
            return zip(e, a).enumerated().flatMap { i, pair in
                mismatches(expected: pair.0, actual: pair.1, at: "\(path)/\(i)", caseInsensitive: caseInsensitive)
            }
        case (.string(let e), .string(let a)):
            let name = path.split(separator: "/").last.map(String.init) ?? ""
            let same = caseInsensitive.contains(name) ? e.lowercased() == a.lowercased() : e == a
            return same ? [] : [Mismatch(path: path, expected: brief(expected), actual: brief(actual))]
        default:
            if let x = expected.doubleValue, let y = actual.doubleValue, abs(x - y) <= 1e-9 * max(1, abs(x)) { return [] }
            return expected == actual ? [] : [Mismatch(path: path, expected: brief(expected), actual: brief(actual))]
        }
    }

    static func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    static func brief(_ v: JSONValue) -> String {
        let s = v.serialized()
        return s.count > 80 ? String(s.prefix(77)) + "..." : s
    }
}
