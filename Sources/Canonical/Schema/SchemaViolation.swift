/// One way an instance fails a schema.
public struct SchemaViolation: Hashable, Sendable, CustomStringConvertible {
    /// JSON Pointer into the instance (`""` is the instance itself).
    public let instancePath: String
    /// Where the failing keyword lives: `<schema file name>#<pointer>/<keyword>`,
    /// e.g. `canonical.schema.json#/$defs/entity/required`.
    public let schemaPath: String
    /// The keyword that failed (`required`, `type`, `$ref` is never reported: its target's keywords are).
    public let keyword: String
    public let message: String

    public init(instancePath: String, schemaPath: String, keyword: String, message: String) {
        self.instancePath = instancePath; self.schemaPath = schemaPath; self.keyword = keyword; self.message = message
    }

    /// `/entities/0/end: must be >= 0 (schema: canonical.schema.json#/$defs/entity/properties/end/minimum)`.
    public var description: String {
        "\(instancePath.isEmpty ? "(root)" : instancePath): \(message) (schema: \(schemaPath))"
    }
}
