import Canonical

/// Reads the JSON document out of a generator's text. Under a grammar the text is exactly one JSON value; without
/// one, small models like to wrap it in a Markdown fence or a sentence, so the outermost `{…}` is taken.
public enum GeneratedJSON {
    public static func parse(_ text: String, adapter: String) throws -> JSONValue {
        let trimmed = text.trimmingWhitespace
        if let v = try? JSONValue.parse(trimmed) { return v }
        if let open = trimmed.firstIndex(of: "{"), let close = trimmed.lastIndex(of: "}"), open < close {
            do {
                return try JSONValue.parse(String(trimmed[open...close]))
            } catch {
                throw AdapterError.unparsableOutput(adapter: adapter, message: "\(error)", text: text)
            }
        }
        throw AdapterError.unparsableOutput(adapter: adapter, message: "no JSON object in the text", text: text)
    }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
