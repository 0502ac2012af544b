import Canonical

/// Answers "does this path exist in that schema, and what is there?" by walking a JSON Schema document:
/// `properties`, `items`, local `$ref`s and the `allOf`/`anyOf`/`oneOf` branches.
///
/// Used to cross-check adapters before anything runs: a template placeholder naming a canonical field that does
/// not exist, or a transform reading a native field the model never emits, is a load error. Where a schema
/// leaves a shape open (no `properties`, `additionalProperties` allowed, a reference to another file), the walk
/// accepts anything below it rather than guess.
public struct SchemaShape: Sendable {
    public let document: JSONValue

    public init(document: JSONValue) { self.document = document }

    /// A position in the schema: a set of alternatives, each an object schema or "anything".
    public enum Node: Sendable, Hashable {
        case any
        case schema(JSONObject)
    }

    public struct PathProblem: Error, Sendable, Hashable {
        /// E.g. `'entites' is not a field of the record`.
        public var message: String
        /// Expected alternatives, for the diagnostic's "expected".
        public var expected: String?
        public var suggestion: String?
    }

    public var root: [Node] { expand([node(document)]) }

    // MARK: Walking

    func node(_ value: JSONValue) -> Node {
        switch value {
        case .bool: return .any
        case .object(let o): return .schema(o)
        default: return .any
        }
    }

    /// Resolves `$ref` and splits combinators until every alternative is a plain schema or `any`.
    public func expand(_ nodes: [Node], depth: Int = 0) -> [Node] {
        guard depth < 32 else { return [.any] }
        var result: [Node] = []
        for n in nodes {
            guard case .schema(let o) = n else { result.append(.any); continue }
            var branches: [Node] = []
            if let ref = o["$ref"]?.stringValue {
                if ref.hasPrefix("#"), let target = document.value(atPointer: String(ref.dropFirst())) {
                    branches.append(contentsOf: expand([node(target)], depth: depth + 1))
                } else {
                    branches.append(.any)
                }
            }
            for key in ["allOf", "anyOf", "oneOf"] {
                for sub in o[key]?.arrayValue ?? [] {
                    branches.append(contentsOf: expand([node(sub)], depth: depth + 1))
                }
            }
            // Conditional branches may add properties; treat them as alternatives.
            for key in ["then", "else"] {
                if let sub = o[key] { branches.append(contentsOf: expand([node(sub)], depth: depth + 1)) }
            }
            let hasShape = o["type"] != nil || o["properties"] != nil || o["items"] != nil || o["enum"] != nil
                || o["const"] != nil
            if hasShape || branches.isEmpty { result.append(hasShape ? n : .any) }
            result.append(contentsOf: branches)
        }
        return result.isEmpty ? [.any] : result
    }

    static func types(_ o: JSONObject) -> Set<String>? {
        switch o["type"] {
        case .string(let t)?: return [t]
        case .array(let ts)?: return Set(ts.compactMap(\.stringValue))
        default: return nil
        }
    }

    /// The schemas of field `name` below `nodes`.
    public func field(_ name: String, of nodes: [Node], at where_: String) -> Result<[Node], PathProblem> {
        var found: [Node] = []
        var known: [String] = []
        var sawObject = false
        for n in nodes {
            guard case .schema(let o) = n else { return .success([.any]) }
            let types = Self.types(o)
            if let types, !types.contains("object") { continue }
            sawObject = true
            if let props = o["properties"]?.objectValue {
                known.append(contentsOf: props.keys)
                if let sub = props[name] { found.append(contentsOf: expand([node(sub)])); continue }
            }
            switch o["additionalProperties"] {
            case .bool(false)?: break
            case .object(let extra)?: found.append(contentsOf: expand([.schema(extra)]))
            case .bool(true)?: found.append(.any)
            default:
                // Unspecified: open only when the schema lists no properties at all (a free map like `metadata`).
                if o["properties"] == nil && o["patternProperties"] == nil { found.append(.any) }
            }
            if let pattern = o["patternProperties"]?.objectValue, !pattern.isEmpty { found.append(.any) }
        }
        if !found.isEmpty { return .success(found) }
        guard sawObject else {
            return .failure(PathProblem(message: "\(where_) is not an object, so it has no field '\(name)'"))
        }
        let unique = Array(NSOrderedSetLike(known))
        return .failure(PathProblem(
            message: "'\(name)' is not a field of \(where_)",
            expected: unique.isEmpty ? nil : "one of: \(unique.joined(separator: ", "))",
            suggestion: Suggestions.closest(to: name, in: unique)))
    }

    /// The schemas of the elements of the arrays at `nodes`.
    public func elements(of nodes: [Node], at where_: String) -> Result<[Node], PathProblem> {
        var found: [Node] = []
        for n in nodes {
            guard case .schema(let o) = n else { return .success([.any]) }
            if let types = Self.types(o), !types.contains("array") { continue }
            if let items = o["items"] { found.append(contentsOf: expand([node(items)])) }
            for item in o["prefixItems"]?.arrayValue ?? [] { found.append(contentsOf: expand([node(item)])) }
            if o["items"] == nil && o["prefixItems"] == nil && Self.types(o) != nil { found.append(.any) }
        }
        if found.isEmpty { return .failure(PathProblem(message: "\(where_) is not an array")) }
        return .success(found)
    }

    /// True when some alternative may be an array.
    public func mayBeArray(_ nodes: [Node]) -> Bool {
        nodes.contains { n in
            guard case .schema(let o) = n else { return true }
            return Self.types(o)?.contains("array") ?? (o["items"] != nil)
        }
    }

    /// The strings an enum-like position can hold (`enum`/`const`), or nil when unconstrained.
    public func enumeratedStrings(_ nodes: [Node]) -> [String]? {
        var result: [String] = []
        for n in nodes {
            guard case .schema(let o) = n else { return nil }
            if let values = o["enum"]?.arrayValue {
                result.append(contentsOf: values.compactMap(\.stringValue))
            } else if let c = o["const"]?.stringValue {
                result.append(c)
            } else {
                return nil
            }
        }
        return result
    }

    // MARK: Paths

    /// Resolves a canonical path. With `allowCount`, a final `count` after an array is its length (for `when:`).
    public func resolve(_ path: CanonicalPath, allowCount: Bool = false) -> Result<[Node], PathProblem> {
        var nodes = root
        var walked = ""
        for (i, segment) in path.segments.enumerated() {
            let here = walked.isEmpty ? "the record" : "'\(walked)'"
            let step: Result<[Node], PathProblem>
            switch segment {
            case .field(let name):
                if allowCount, name == "count", i == path.segments.count - 1, !walked.isEmpty, mayBeArray(nodes) {
                    return .success([.any])
                }
                step = field(name, of: nodes, at: here)
                walked += walked.isEmpty ? name : ".\(name)"
            case .each, .index:
                step = elements(of: nodes, at: here)
                walked += segment == .each ? "[]" : "[\(segmentIndex(segment))]"
            }
            switch step {
            case .success(let next): nodes = next
            case .failure(let problem): return .failure(problem)
            }
        }
        return .success(nodes)
    }

    private func segmentIndex(_ s: CanonicalPath.Segment) -> Int { if case .index(let n) = s { return n } else { return 0 } }

    /// Resolves a native pointer; a `*` or a numeric token steps into array elements.
    public func resolve(_ pointer: NativePointer) -> Result<[Node], PathProblem> {
        var nodes = root
        var walked = ""
        for token in pointer.tokens {
            let here = walked.isEmpty ? "the native document" : "'\(walked)'"
            let step: Result<[Node], PathProblem>
            switch token {
            case .wildcard:
                step = elements(of: nodes, at: here)
                walked += "/*"
            case .key(let k):
                if k.allSatisfy({ $0.isASCII && $0.isNumber }), !k.isEmpty, mayBeArray(nodes) {
                    step = elements(of: nodes, at: here)
                } else {
                    step = field(k, of: nodes, at: here)
                }
                walked += "/\(k)"
            }
            switch step {
            case .success(let next): nodes = next
            case .failure(let problem): return .failure(problem)
            }
        }
        return .success(nodes)
    }
}

/// Order-preserving de-duplication.
private func NSOrderedSetLike(_ items: [String]) -> [String] {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
}
