import Foundation

/// A `pattern` / `patternProperties` regular expression: ECMA-262 syntax run on ICU via NSRegularExpression.
///
/// The two dialects mostly agree; the differences that matter for schemas are rewritten before compiling:
/// ECMA `\d`, `\w` (and their negations) are ASCII-only while ICU's are Unicode-aware, and ECMA `$` matches only
/// at the very end of input while ICU's also matches before a final newline. Matching is an unanchored search,
/// as the specification requires.
final class SchemaRegex: @unchecked Sendable {  // NSRegularExpression is immutable and documented thread-safe.
    let source: String
    private let regex: NSRegularExpression

    init(_ source: String) throws {
        self.source = source
        regex = try NSRegularExpression(pattern: SchemaRegex.translate(source), options: [])
    }

    func matches(_ s: String) -> Bool {
        let ns = s as NSString
        return regex.firstMatch(in: s, options: [], range: NSRange(location: 0, length: ns.length)) != nil
    }

    /// Rewrites ECMA-262 constructs whose ICU meaning differs.
    static func translate(_ pattern: String) -> String {
        var out = ""
        var inClass = false
        var chars = Array(pattern)
        var i = 0
        chars.append("\0")  // sentinel so chars[i + 1] is always safe
        while i < chars.count - 1 {
            let c = chars[i]
            if c == "\\" {
                let n = chars[i + 1]
                switch n {
                case "d": out += inClass ? "0-9" : "[0-9]"
                case "D": out += inClass ? "\\D" : "[^0-9]"  // inside a class ICU's \D is close enough
                case "w": out += inClass ? "a-zA-Z0-9_" : "[a-zA-Z0-9_]"
                case "W": out += inClass ? "\\W" : "[^a-zA-Z0-9_]"
                default: out.append(c); if n != "\0" { out.append(n) }
                }
                i += 2
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
                out.append(c)
            } else if c == "[" {
                inClass = true
                out.append(c)
                // A leading ']' or '^]' is literal in ICU but ends an empty class in ECMA; rare, left as is.
            } else if c == "$" {
                out += "\\z"  // end of input only
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }
}
