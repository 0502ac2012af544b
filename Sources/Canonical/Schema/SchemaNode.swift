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
    /// The names (for messages) and the same set as `SchemaTypes` bits (for checking).
    case type([String], SchemaTypes)
    /// The values, and the same as a set when there are many (JSONValue hashes agree with its equality).
    case enumeration([JSONValue], Set<JSONValue>?)
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
    case additionalProperties(Int, named: KeyList, patterns: [SchemaRegex])
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

/// A set of JSON Schema type names as bits, so a `type` check compares no strings.
struct SchemaTypes: Sendable {
    let bits: UInt8

    static let null: UInt8 = 1, boolean: UInt8 = 2, integer: UInt8 = 4, number: UInt8 = 8
    static let string: UInt8 = 16, array: UInt8 = 32, object: UInt8 = 64

    init(_ names: [String]) {
        var b: UInt8 = 0
        for n in names {
            switch n {
            case "null": b |= Self.null
            case "boolean": b |= Self.boolean
            case "integer": b |= Self.integer
            case "number": b |= Self.number | Self.integer  // every integer is a number
            case "string": b |= Self.string
            case "array": b |= Self.array
            case "object": b |= Self.object
            default: break
            }
        }
        bits = b
    }

    /// The instance's type is named (`JSONValue.typeName`: an integral `.number` is an integer).
    func accepts(_ instance: JSONValue) -> Bool {
        let t: UInt8
        switch instance {
        case .null: t = Self.null
        case .bool: t = Self.boolean
        case .integer: t = Self.integer
        case .number(let d): t = d.isFinite && d.rounded(.towardZero) == d ? Self.integer : Self.number
        case .string: t = Self.string
        case .array: t = Self.array
        case .object: t = Self.object
        }
        return bits & t != 0
    }
}

/// Property names to test membership in: scanned when few (comparing short keys is cheaper than hashing
/// one), hashed when many.
struct KeyList: Sendable {
    private let list: [String]
    private let set: Set<String>?

    init<S: Sequence>(_ names: S) where S.Element == String {
        list = Array(Set(names))
        set = list.count > 12 ? Set(list) : nil
    }

    func contains(_ name: String) -> Bool { set?.contains(name) ?? list.contains(name) }
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
