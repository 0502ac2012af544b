/// Parses `when:` expressions. Grammar (lowest precedence first):
///
///     or      := and ("or" and)*
///     and     := not ("and" not)*
///     not     := "not" not | compare
///     compare := operand (("==" | "!=" | "<" | "<=" | ">" | ">=") operand)?
///     operand := number | string | "true" | "false" | path | "(" or ")"
///     path    := field ("." field | "[" digits? "]")*        e.g. entities.count, obligations[0].status
///
/// Strings are single- or double-quoted with `\` escaping the quote or backslash.
public enum WhenExpressionParser {
    public struct SyntaxError: Error, Hashable, Sendable {
        /// 0-based offset in Unicode scalars into the expression text.
        public var offset: Int
        public var message: String
    }

    public static func parse(_ text: String) -> Result<WhenExpression, SyntaxError> {
        var parser = Parser(tokens: [], position: 0)
        switch tokenize(text) {
        case .failure(let e): return .failure(e)
        case .success(let tokens): parser.tokens = tokens
        }
        do {
            let expr = try parser.parseOr()
            if let extra = parser.peek, extra.kind != .end {
                throw SyntaxError(offset: extra.offset, message: "unexpected \(extra.kind.display) after a complete expression")
            }
            return .success(expr)
        } catch let e as SyntaxError {
            return .failure(e)
        } catch {
            return .failure(SyntaxError(offset: 0, message: "\(error)"))
        }
    }

    // MARK: Tokens

    enum Kind: Hashable {
        case number(Double), string(String), word(String), op(WhenExpression.ComparisonOperator)
        case lparen, rparen, end

        var display: String {
            switch self {
            case .number(let n): return "number \(n)"
            case .string(let s): return "string \"\(s)\""
            case .word(let w): return "'\(w)'"
            case .op(let o): return "'\(o.rawValue)'"
            case .lparen: return "'('"
            case .rparen: return "')'"
            case .end: return "end of expression"
            }
        }
    }

    struct Token { var kind: Kind; var offset: Int }

    static func tokenize(_ text: String) -> Result<[Token], SyntaxError> {
        let s = Array(text.unicodeScalars)
        var i = 0
        var tokens: [Token] = []
        func isWordStart(_ c: Unicode.Scalar) -> Bool { c.isASCII && (c.properties.isAlphabetic || c == "_") }
        func isWordPart(_ c: Unicode.Scalar) -> Bool {
            isWordStart(c) || ("0"..."9").contains(c) || c == "-" || c == "." || c == "[" || c == "]"
        }
        while i < s.count {
            let c = s[i]
            let start = i
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            if c == "(" { tokens.append(Token(kind: .lparen, offset: i)); i += 1; continue }
            if c == ")" { tokens.append(Token(kind: .rparen, offset: i)); i += 1; continue }
            if "=!<>".unicodeScalars.contains(c) {
                let two = i + 1 < s.count ? String(String.UnicodeScalarView([c, s[i + 1]])) : ""
                if let op = WhenExpression.ComparisonOperator(rawValue: two) {
                    tokens.append(Token(kind: .op(op), offset: i)); i += 2; continue
                }
                if let op = WhenExpression.ComparisonOperator(rawValue: String(c)) {
                    tokens.append(Token(kind: .op(op), offset: i)); i += 1; continue
                }
                let hint = c == "=" ? "; use '==' to compare" : c == "!" ? "; use 'not' or '!='" : ""
                return .failure(SyntaxError(offset: i, message: "unexpected '\(c)'\(hint)"))
            }
            if c == "\"" || c == "'" {
                i += 1
                var value = ""
                var closed = false
                while i < s.count {
                    if s[i] == "\\", i + 1 < s.count { value.unicodeScalars.append(s[i + 1]); i += 2; continue }
                    if s[i] == c { closed = true; i += 1; break }
                    value.unicodeScalars.append(s[i]); i += 1
                }
                guard closed else { return .failure(SyntaxError(offset: start, message: "unterminated string")) }
                tokens.append(Token(kind: .string(value), offset: start))
                continue
            }
            if ("0"..."9").contains(c) || (c == "-" && i + 1 < s.count && ("0"..."9").contains(s[i + 1])) {
                i += 1
                while i < s.count, ("0"..."9").contains(s[i]) || s[i] == "." { i += 1 }
                let literal = String(String.UnicodeScalarView(s[start..<i]))
                guard let n = Double(literal) else {
                    return .failure(SyntaxError(offset: start, message: "malformed number '\(literal)'"))
                }
                tokens.append(Token(kind: .number(n), offset: start))
                continue
            }
            if isWordStart(c) {
                while i < s.count, isWordPart(s[i]) { i += 1 }
                tokens.append(Token(kind: .word(String(String.UnicodeScalarView(s[start..<i]))), offset: start))
                continue
            }
            return .failure(SyntaxError(offset: i, message: "unexpected '\(c)'"))
        }
        tokens.append(Token(kind: .end, offset: s.count))
        return .success(tokens)
    }

    // MARK: Recursive descent

    struct Parser {
        var tokens: [Token]
        var position: Int

        var peek: Token? { position < tokens.count ? tokens[position] : nil }

        mutating func next() -> Token {
            let t = peek ?? Token(kind: .end, offset: tokens.last?.offset ?? 0)
            position += 1
            return t
        }

        func isWord(_ w: String) -> Bool { if case .word(w)? = peek?.kind { return true } else { return false } }

        mutating func parseOr() throws -> WhenExpression {
            var left = try parseAnd()
            while isWord("or") { _ = next(); left = .or(left, try parseAnd()) }
            return left
        }

        mutating func parseAnd() throws -> WhenExpression {
            var left = try parseNot()
            while isWord("and") { _ = next(); left = .and(left, try parseNot()) }
            return left
        }

        mutating func parseNot() throws -> WhenExpression {
            if isWord("not") { _ = next(); return .not(try parseNot()) }
            return try parseCompare()
        }

        mutating func parseCompare() throws -> WhenExpression {
            let left = try parseOperand()
            if case .op(let op)? = peek?.kind {
                _ = next()
                let right = try parseOperand()
                if case .op? = peek?.kind, let t = peek {
                    throw SyntaxError(offset: t.offset, message: "comparisons do not chain; combine them with 'and'")
                }
                return .compare(left, op, right)
            }
            return left
        }

        mutating func parseOperand() throws -> WhenExpression {
            let token = next()
            switch token.kind {
            case .number(let n): return .number(n)
            case .string(let s): return .string(s)
            case .lparen:
                let inner = try parseOr()
                let close = next()
                guard close.kind == .rparen else {
                    throw SyntaxError(offset: close.offset, message: "expected ')', found \(close.kind.display)")
                }
                return inner
            case .word("true"): return .bool(true)
            case .word("false"): return .bool(false)
            case .word(let w) where ["and", "or", "not"].contains(w):
                throw SyntaxError(offset: token.offset, message: "expected a value, found '\(w)'")
            case .word(let w):
                switch CanonicalPath.parse(w) {
                case .success(let path): return .path(path)
                case .failure(let e): throw SyntaxError(offset: token.offset + e.offset, message: "in path '\(w)': \(e.message)")
                }
            default:
                throw SyntaxError(offset: token.offset, message: "expected a value, found \(token.kind.display)")
            }
        }
    }
}
