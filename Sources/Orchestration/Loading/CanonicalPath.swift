/// A path into the canonical record, as adapters and chains write it: `document.text`, `obligations[].action`
/// (every element), `artifacts[0].content` (one element), `entities.count` (an array's length, in `when:`).
public struct CanonicalPath: Hashable, Sendable, CustomStringConvertible {
    public enum Segment: Hashable, Sendable {
        case field(String)
        /// `[]`: every element of an array.
        case each
        /// `[n]`: one element of an array.
        case index(Int)
    }

    public var segments: [Segment]

    public init(segments: [Segment]) { self.segments = segments }

    /// Why a path does not parse, and at which character (0-based, in Unicode scalars).
    public struct SyntaxError: Error, Hashable, Sendable {
        public var offset: Int
        public var message: String
    }

    /// Parses a path. The first segment is a field; fields are `[A-Za-z_][A-Za-z0-9_-]*`.
    public static func parse(_ text: String) -> Result<CanonicalPath, SyntaxError> {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        var segments: [Segment] = []
        func isStart(_ c: Unicode.Scalar) -> Bool { c.isASCII && (c.properties.isAlphabetic || c == "_") }
        func isPart(_ c: Unicode.Scalar) -> Bool { isStart(c) || ("0"..."9").contains(c) || c == "-" }
        func field() -> Result<Void, SyntaxError> {
            guard i < scalars.count, isStart(scalars[i]) else {
                return .failure(SyntaxError(offset: i, message: "expected a field name"))
            }
            let start = i
            while i < scalars.count, isPart(scalars[i]) { i += 1 }
            segments.append(.field(String(String.UnicodeScalarView(scalars[start..<i]))))
            return .success(())
        }
        if case .failure(let e) = field() { return .failure(e) }
        while i < scalars.count {
            switch scalars[i] {
            case ".":
                i += 1
                if case .failure(let e) = field() { return .failure(e) }
            case "[":
                i += 1
                let start = i
                while i < scalars.count, ("0"..."9").contains(scalars[i]) { i += 1 }
                guard i < scalars.count, scalars[i] == "]" else {
                    return .failure(SyntaxError(offset: i, message: "expected ']' or an index"))
                }
                let digits = String(String.UnicodeScalarView(scalars[start..<i]))
                if digits.isEmpty {
                    segments.append(.each)
                } else if let n = Int(digits) {
                    segments.append(.index(n))
                } else {
                    return .failure(SyntaxError(offset: start, message: "index too large"))
                }
                i += 1
            default:
                return .failure(SyntaxError(offset: i, message: "unexpected '\(scalars[i])'"))
            }
        }
        return .success(CanonicalPath(segments: segments))
    }

    /// The number of `[]` segments: how many arrays the path fans out over.
    public var fanOut: Int { segments.filter { $0 == .each }.count }

    public var description: String {
        var s = ""
        for segment in segments {
            switch segment {
            case .field(let name): s += s.isEmpty ? name : ".\(name)"
            case .each: s += "[]"
            case .index(let n): s += "[\(n)]"
            }
        }
        return s
    }
}

/// A JSON Pointer into a model's native JSON where a `*` token stands for every element of an array:
/// `/obligations/*/duty`.
public struct NativePointer: Hashable, Sendable, CustomStringConvertible {
    public enum Token: Hashable, Sendable {
        case key(String)
        case wildcard
    }

    public var tokens: [Token]
    public let text: String

    /// Parses RFC 6901 syntax (`~0`, `~1` escapes), treating a lone `*` token as the wildcard.
    public init?(_ text: String) {
        self.text = text
        if text.isEmpty { tokens = []; return }
        guard text.hasPrefix("/") else { return nil }
        var result: [Token] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            if raw == "*" { result.append(.wildcard); continue }
            var token = ""
            var it = raw.makeIterator()
            while let c = it.next() {
                guard c == "~" else { token.append(c); continue }
                switch it.next() {
                case "0": token.append("~")
                case "1": token.append("/")
                default: return nil
                }
            }
            result.append(.key(token))
        }
        tokens = result
    }

    /// The number of `*` tokens.
    public var fanOut: Int { tokens.filter { $0 == .wildcard }.count }

    public var description: String { text }
}
