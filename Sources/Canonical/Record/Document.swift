/// The input document a record is about.
public struct Document: Codable, Hashable, Sendable {
    public var id: String
    public var text: String
    /// Path or URI the text came from.
    public var source: String
    public var mediaType: String
    /// BCP 47 language tag, when known.
    public var language: String?
    /// Free map carried along from the input (order kept).
    public var metadata: JSONObject

    public init(id: String, text: String, source: String, mediaType: String = "text/plain", language: String? = nil,
                metadata: JSONObject = JSONObject()) {
        self.id = id; self.text = text; self.source = source; self.mediaType = mediaType
        self.language = language; self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey { case id, text, source, mediaType, language, metadata }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        text = try c.decode(String.self, forKey: .text)
        source = try c.decode(String.self, forKey: .source)
        mediaType = try c.decode(String.self, forKey: .mediaType)
        language = try c.decodeIfPresent(String.self, forKey: .language)
        metadata = try c.decodeIfPresent(JSONObject.self, forKey: .metadata) ?? JSONObject()
    }
}
