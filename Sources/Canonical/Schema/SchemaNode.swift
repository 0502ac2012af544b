import Foundation

/// A compiled schema: nodes in an arena, children and `$ref` targets by index, so recursive schemas need no
/// reference cycles and the whole thing is a plain `Sendable` value.
struct SchemaProgram: Sendable {
    var nodes: [SchemaNode]
}

struct SchemaNode: Sendable {
    /// `<file name>#<pointer>`: the prefix of every schema path reported from this node.
    var location: String
    /// For boolean schemas: `true` accepts everything, `false` nothing. Nil for object schemas.
    var boolean: Bool?
    var keywords: [CompiledKeyword]
}

struct CompiledKeyword: Sendable {
    let name: String
    let check: Check
}

/// What one keyword checks, with its operands compiled (child schemas as node indices, regexes compiled).
enum Check: Sendable {
    case ref(Int)
    case type([String])
    case enumeration([JSONValue])
    case const(JSONValue)
    case multipleOf(JSONValue)
    case maximum(JSONValue)
    case exclusiveMaximum(JSONValue)
    case minimum(JSONValue)
    case exclusiveMinimum(JSONValue)
    case maxLength(Int)
    case minLength(Int)
    case pattern(SchemaRegex)
    case maxItems(Int)
    case minItems(Int)
    case uniqueItems
    case maxProperties(Int)
    case minProperties(Int)
    case required([String])
    case dependentRequired([(String, [String])])
    case properties([(String, Int)])
    case patternProperties([(SchemaRegex, Int)])
    /// `additionalProperties` sees only members not named in `properties` nor matched by `patternProperties`.
    case additionalProperties(Int, named: Set<String>, patterns: [SchemaRegex])
    case propertyNames(Int)
    case dependentSchemas([(String, Int)])
    case prefixItems([Int])
    /// `items` applies to elements after those covered by `prefixItems`.
    case items(Int, after: Int)
    case contains(Int, min: Int, max: Int?)
    case allOf([Int])
    case anyOf([Int])
    case oneOf([Int])
    case not(Int)
    case conditional(if: Int, then: Int?, else: Int?)
}

/// A schema document that was loaded: the root file or one reached by `$ref`.
public struct SchemaDocument: Sendable {
    /// File it was read from (nil for a schema given as a value without base URL).
    public let url: URL?
    /// Its `$id` (without fragment), if any.
    public let id: String?
    public let value: JSONValue
    let sourceMap: JSONSourceMap?

    /// Name used in schema paths: the file name, else the last segment of `$id`, else empty.
    var displayName: String {
        if let url { return url.lastPathComponent }
        if let id, let last = id.split(separator: "/").last { return String(last) }
        return ""
    }
}

/// The target of a `$ref`: the schema value, which document holds it and where.
public struct ResolvedSchema: Sendable {
    public let value: JSONValue
    /// The file holding the target (nil for an in-memory root schema without base URL).
    public let documentURL: URL?
    /// JSON Pointer to the target inside that document.
    public let pointer: String
}
