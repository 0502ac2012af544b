import Canonical

/// What a JSON Schema allows at one position, flattened over its alternatives (`$ref`, `allOf`/`anyOf`/`oneOf`):
/// the types, enumerated values, numeric/length/count bounds, and for objects the properties, the required ones
/// and whether other properties are allowed.
///
/// `franca validate` compares two facets (old and new schema at the same path) to classify a change, and compares
/// a native facet with the canonical facet a transform writes into. `nil` means "unconstrained".
public struct SchemaFacet: Sendable, Equatable {
    /// JSON type names (`string`, `integer`, `number`, `boolean`, `object`, `array`, `null`); nil = any type.
    public var types: Set<String>?
    /// The values allowed (`enum`, `const`), nil when not enumerated.
    public var values: [JSONValue]?
    /// Numeric and size bounds by keyword (`minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`,
    /// `minLength`, `maxLength`, `minItems`, `maxItems`).
    public var bounds: [String: Double]
    /// Property name → the schemas of that property (alternatives).
    public var properties: [String: [SchemaShape.Node]]
    /// Property names every object alternative requires.
    public var required: Set<String>
    /// False when every object alternative forbids unlisted properties (`additionalProperties: false`).
    public var open: Bool
    /// The schemas of array elements, when some alternative is an array with `items`/`prefixItems`.
    public var items: [SchemaShape.Node]?

    public static let boundKeywords = ["minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum",
                                       "minLength", "maxLength", "minItems", "maxItems"]
    /// Bounds where a larger number allows less.
    public static let lowerBounds: Set<String> = ["minimum", "exclusiveMinimum", "minLength", "minItems"]

    public static let anything = SchemaFacet(types: nil, values: nil, bounds: [:], properties: [:], required: [],
                                             open: true, items: nil)

    public static func == (a: SchemaFacet, b: SchemaFacet) -> Bool {
        a.types == b.types && a.values == b.values && a.bounds == b.bounds && a.required == b.required
            && a.open == b.open && Set(a.properties.keys) == Set(b.properties.keys)
    }

    /// The facet of a set of alternatives (already expanded by `SchemaShape.expand`).
    public init(_ nodes: [SchemaShape.Node], in shape: SchemaShape) {
        let expanded = shape.expand(nodes)
        var schemas: [JSONObject] = []
        for n in expanded {
            guard case .schema(let o) = n else { self = .anything; return }
            schemas.append(o)
        }
        // Alternatives without any constraint of their own (pure combinator wrappers) were already expanded.
        var types: Set<String>? = []
        var values: [JSONValue]? = []
        var bounds: [String: Double] = [:]
        var boundSeen: [String: Int] = [:]
        var properties: [String: [SchemaShape.Node]] = [:]
        var required: Set<String>?
        var open = false
        var sawObject = false
        var items: [SchemaShape.Node]?
        for o in schemas {
            let own = Self.ownTypes(o)
            if let own { types?.formUnion(own) } else { types = nil }
            if let e = o["enum"]?.arrayValue { values?.append(contentsOf: e) }
            else if let c = o["const"] { values?.append(c) }
            else { values = nil }
            for key in Self.boundKeywords {
                guard let v = o[key]?.doubleValue else { continue }
                boundSeen[key, default: 0] += 1
                if let old = bounds[key] {
                    // The union of alternatives allows the loosest bound.
                    bounds[key] = Self.lowerBounds.contains(key) ? min(old, v) : max(old, v)
                } else {
                    bounds[key] = v
                }
            }
            if own == nil || own?.contains("object") == true {
                sawObject = true
                for (name, sub) in o["properties"]?.objectValue ?? [:] {
                    properties[name, default: []].append(Self.node(sub))
                }
                let req = Set(o["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                required = required.map { $0.intersection(req) } ?? req
                if o["additionalProperties"]?.boolValue != false || o["patternProperties"] != nil { open = true }
            }
            if own == nil || own?.contains("array") == true {
                var elements: [SchemaShape.Node] = []
                if let i = o["items"] { elements.append(Self.node(i)) }
                for p in o["prefixItems"]?.arrayValue ?? [] { elements.append(Self.node(p)) }
                if !elements.isEmpty { items = (items ?? []) + elements }
            }
        }
        // A bound only some alternatives carry does not bind the union.
        for (key, count) in boundSeen where count < schemas.count { bounds[key] = nil }
        if values?.isEmpty == true && schemas.isEmpty { values = nil }
        self.types = types
        self.values = values
        self.bounds = bounds
        self.properties = properties
        self.required = required ?? []
        self.open = sawObject ? open : true
        self.items = items
    }

    public init(types: Set<String>?, values: [JSONValue]? = nil, bounds: [String: Double] = [:],
                properties: [String: [SchemaShape.Node]] = [:], required: Set<String> = [], open: Bool = true,
                items: [SchemaShape.Node]? = nil) {
        self.types = types
        self.values = values
        self.bounds = bounds
        self.properties = properties
        self.required = required
        self.open = open
        self.items = items
    }

    static func node(_ v: JSONValue) -> SchemaShape.Node {
        if case .object(let o) = v { return .schema(o) } else { return .any }
    }

    /// The types one schema object allows: `type`, else the types of its `enum`/`const` values, else nil.
    static func ownTypes(_ o: JSONObject) -> Set<String>? {
        switch o["type"] {
        case .string(let t)?: return [t]
        case .array(let ts)?: return Set(ts.compactMap(\.stringValue))
        default: break
        }
        if let e = o["enum"]?.arrayValue { return Set(e.map(Self.typeName)) }
        if let c = o["const"] { return [Self.typeName(c)] }
        return nil
    }

    /// The JSON Schema type name of a value (`integer` for whole numbers).
    public static func typeName(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "boolean"
        case .integer: return "integer"
        case .number(let d): return d.rounded() == d && d.isFinite ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The enumerated strings, if enumerated.
    public var strings: [String]? { values.map { $0.compactMap(\.stringValue) } }

    /// Whether this facet may hold `null`.
    public var mayBeNull: Bool { types?.contains("null") ?? true }

    /// Types spelled for people: `string`, `integer | null`, `any`.
    public static func describe(_ types: Set<String>?) -> String {
        guard let types else { return "any" }
        return types.isEmpty ? "nothing" : types.sorted().joined(separator: " | ")
    }
}

extension Set where Element == String {
    /// Whether a position of these types accepts a value of type `t` (`number` accepts `integer`).
    func accepts(_ t: String) -> Bool { contains(t) || (t == "integer" && contains("number")) }
}

/// Type-set relations with nil meaning "any type".
enum TypeRelation {
    /// Every type `inner` allows is allowed by `outer`.
    static func covers(_ outer: Set<String>?, _ inner: Set<String>?) -> Bool {
        guard let outer else { return true }
        guard let inner else { return false }
        return inner.allSatisfy { outer.accepts($0) }
    }
}

extension SchemaShape {
    /// Resolves a native pointer and returns the facet there, or the problem.
    public func facet(at pointer: NativePointer) -> Result<SchemaFacet, PathProblem> {
        resolve(pointer).map { SchemaFacet($0, in: self) }
    }

    public func facet(at path: CanonicalPath) -> Result<SchemaFacet, PathProblem> {
        resolve(path).map { SchemaFacet($0, in: self) }
    }

    /// Whether every step of the pointer is required in its parent object (so the value is always present).
    public func isRequired(_ pointer: NativePointer) -> Bool {
        var nodes = root
        for token in pointer.tokens {
            switch token {
            case .wildcard:
                guard case .success(let next) = elements(of: nodes, at: "") else { return false }
                nodes = next
            case .key(let k):
                let facet = SchemaFacet(nodes, in: self)
                if facet.types?.contains("array") == true, Int(k) != nil {
                    guard case .success(let next) = elements(of: nodes, at: "") else { return false }
                    nodes = next
                    continue
                }
                guard facet.required.contains(k), case .success(let next) = field(k, of: nodes, at: "") else { return false }
                nodes = next
            }
        }
        return true
    }

    /// Whether the last step of the pointer is required in its parent (the parent itself may be optional).
    public func isRequiredInParent(_ pointer: NativePointer) -> Bool {
        guard case .key(let last)? = pointer.tokens.last else { return false }
        let parent = NativePointer(tokens: Array(pointer.tokens.dropLast()))
        guard case .success(let nodes) = resolve(parent) else { return false }
        return SchemaFacet(nodes, in: self).required.contains(last)
    }
}

extension NativePointer {
    /// A pointer from tokens (its text rebuilt with RFC 6901 escapes).
    init(tokens: [Token]) {
        var text = ""
        for t in tokens {
            switch t {
            case .wildcard: text += "/*"
            case .key(let k): text += "/" + k.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            }
        }
        if let parsed = NativePointer(text) {
            self = parsed
        } else {
            // Unreachable: every key is escaped above. The empty pointer always parses.
            self = NativePointer("")!
            self.tokens = tokens
        }
    }
}
