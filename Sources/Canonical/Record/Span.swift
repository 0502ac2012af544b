/// A stretch of `document.text`, in Unicode scalar offsets, with the text it covers (evidence for a claim).
public struct Span: Codable, Hashable, Sendable {
    public var start: Int
    public var end: Int
    public var text: String

    public init(start: Int, end: Int, text: String) {
        self.start = start; self.end = end; self.text = text
    }
}
