/// Something a step made from the document: code, a diff, a summary, a redacted copy.
public struct Artifact: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Hashable, Sendable, CaseIterable {
        case code, diff, summary
        case redactedText = "redacted-text"
    }

    public var id: String
    public var kind: Kind
    /// Programming or natural language of `content`.
    public var language: String?
    public var path: String?
    public var content: String
    public var producedBy: String

    public init(id: String, kind: Kind, language: String? = nil, path: String? = nil, content: String, producedBy: String) {
        self.id = id; self.kind = kind; self.language = language; self.path = path
        self.content = content; self.producedBy = producedBy
    }
}
