/// Splits prompt templates into text and `{{canonical.path}}` placeholders (spaces inside the braces allowed).
public enum PromptTemplateParser {
    public struct SyntaxError: Error, Hashable, Sendable {
        /// 0-based offset in Unicode scalars into the template.
        public var offset: Int
        public var message: String
    }

    /// Parses a template; each placeholder's path is returned with its offset for positioned errors.
    public static func parse(_ text: String) -> Result<(PromptTemplate, [(path: CanonicalPath, offset: Int)]), SyntaxError> {
        let s = Array(text.unicodeScalars)
        var pieces: [PromptTemplate.Piece] = []
        var placed: [(path: CanonicalPath, offset: Int)] = []
        var literal = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            if s[i] == "{", i + 1 < s.count, s[i + 1] == "{" {
                let open = i
                var j = i + 2
                while j + 1 < s.count, !(s[j] == "}" && s[j + 1] == "}") { j += 1 }
                guard j + 1 < s.count else { return .failure(SyntaxError(offset: open, message: "'{{' is never closed by '}}'")) }
                var start = i + 2, end = j
                while start < end, s[start] == " " { start += 1 }
                while end > start, s[end - 1] == " " { end -= 1 }
                let name = String(String.UnicodeScalarView(s[start..<end]))
                guard !name.isEmpty else { return .failure(SyntaxError(offset: open, message: "empty placeholder '{{}}'")) }
                switch CanonicalPath.parse(name) {
                case .failure(let e):
                    return .failure(SyntaxError(offset: start + e.offset, message: "in placeholder '\(name)': \(e.message)"))
                case .success(let path):
                    if !literal.isEmpty { pieces.append(.text(String(literal))); literal = String.UnicodeScalarView() }
                    pieces.append(.placeholder(path))
                    placed.append((path, start))
                }
                i = j + 2
            } else {
                literal.append(s[i])
                i += 1
            }
        }
        if !literal.isEmpty { pieces.append(.text(String(literal))) }
        return .success((PromptTemplate(pieces: pieces, source: text), placed))
    }
}
