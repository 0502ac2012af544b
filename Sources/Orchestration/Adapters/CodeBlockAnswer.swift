import Canonical

/// Reads a generator's free-text answer that holds a Markdown fenced code block (`input.answer: code-block`) as
/// native output `{"code": …, "language": …, "text": …}`:
/// - `code`: the lines of the first fenced block (opened by a line of three or more backticks or tildes, indented
///   at most three spaces, closed by a line of at least as many of the same character and nothing else), each
///   ending with a line break;
/// - `language`: the first word of the opening fence's info string (```` ```python ````), absent when there is none;
/// - `text`: the whole answer, as the model wrote it.
/// An answer with no fence, or whose first block is never closed (the token limit cut it off), is an error: a
/// half file must never become a diff.
public enum CodeBlockAnswer {
    public static func parse(_ text: String, adapter: String) throws -> JSONValue {
        // "\r\n" is one Character in Swift, so both line ends are separators.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        guard let open = lines.firstIndex(where: { fence($0) != nil }), let opening = fence(lines[open]) else {
            throw AdapterError.noCodeBlock(adapter: adapter, message: "no line opens a ``` fence", text: text)
        }
        let rest = lines[(open + 1)...]
        guard let close = rest.firstIndex(where: { closes($0, opening) }) else {
            throw AdapterError.noCodeBlock(adapter: adapter, message: "the code block opened on line \(open + 1) is never closed",
                                           text: text)
        }
        let code = lines[(open + 1)..<close].map { String(dropCarriageReturn($0)) + "\n" }.joined()
        var object: JSONObject = ["code": .string(code)]
        if let language = opening.info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first {
            object["language"] = .string(String(language))
        }
        object["text"] = .string(text)
        return .object(object)
    }

    struct Fence {
        var character: Character
        var length: Int
        var info: Substring
    }

    /// The fence a line opens, if it is one: up to three spaces, then three or more backticks or tildes, then an
    /// info string (which, for backticks, holds no backtick).
    static func fence(_ raw: Substring) -> Fence? {
        let line = dropCarriageReturn(raw)
        let indent = line.prefix { $0 == " " }.count
        guard indent <= 3 else { return nil }
        let body = line.dropFirst(indent)
        guard let c = body.first, c == "`" || c == "~" else { return nil }
        let run = body.prefix { $0 == c }.count
        guard run >= 3 else { return nil }
        let info = body.dropFirst(run).drop { $0 == " " || $0 == "\t" }
        if c == "`", info.contains("`") { return nil }
        return Fence(character: c, length: run, info: info)
    }

    /// Whether a line closes `opening`: up to three spaces, at least as many fence characters, then only blanks.
    static func closes(_ raw: Substring, _ opening: Fence) -> Bool {
        let line = dropCarriageReturn(raw)
        let indent = line.prefix { $0 == " " }.count
        guard indent <= 3 else { return false }
        let body = line.dropFirst(indent)
        let run = body.prefix { $0 == opening.character }.count
        return run >= opening.length && body.dropFirst(run).allSatisfy { $0 == " " || $0 == "\t" }
    }

    static func dropCarriageReturn(_ line: Substring) -> Substring {
        line.last == "\r" ? line.dropLast() : line
    }
}
