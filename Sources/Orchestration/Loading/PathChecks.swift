import Yams

/// Parses the paths adapters write (canonical paths, native pointers) and checks that they exist in the schema
/// they point into, reporting at the YAML node that wrote them.
struct PathChecks {
    let reader: NodeReader

    /// A canonical path from a scalar, with syntax errors pointing at the offending character.
    func canonicalPath(_ node: Node, _ what: String) -> CanonicalPath? {
        guard let text = reader.string(node, what) else { return nil }
        switch CanonicalPath.parse(text) {
        case .success(let p): return p
        case .failure(let e):
            reader.error(node, offset: e.offset, "\(what) '\(text)' is not a canonical path: \(e.message)",
                         expected: "a path like document.text or obligations[].status")
            return nil
        }
    }

    func nativePointer(_ node: Node, _ what: String) -> NativePointer? {
        guard let text = reader.string(node, what) else { return nil }
        guard let p = NativePointer(text) else {
            reader.error(node, "\(what) '\(text)' is not a JSON Pointer",
                         expected: "'/' followed by names, '*' for every array element, e.g. /verdicts/*/clause")
            return nil
        }
        return p
    }

    /// Resolves a canonical path in the canonical schema (skipped when that schema did not load).
    @discardableResult
    func exists(_ path: CanonicalPath, in canonical: SchemaShape?, at node: Node, offset: Int? = nil, _ what: String,
                allowCount: Bool = false) -> [SchemaShape.Node]? {
        guard let canonical else { return nil }
        switch canonical.resolve(path, allowCount: allowCount) {
        case .success(let nodes): return nodes
        case .failure(let problem):
            let message = "\(what) '\(path)' is not in the canonical schema: \(problem.message)"
            if let offset {
                reader.error(node, offset: offset, message, expected: problem.expected, suggestion: problem.suggestion)
            } else {
                reader.error(node, message, expected: problem.expected, suggestion: problem.suggestion)
            }
            return nil
        }
    }

    /// Resolves a native pointer in a native schema (skipped when that schema did not load).
    @discardableResult
    func exists(_ pointer: NativePointer, in schema: LoadedSchema?, at node: Node, _ what: String) -> [SchemaShape.Node]? {
        guard let schema else { return nil }
        switch schema.shape.resolve(pointer) {
        case .success(let nodes): return nodes
        case .failure(let problem):
            reader.error(node, "\(what) '\(pointer)' is not in \(schema.path): \(problem.message)",
                         expected: problem.expected, suggestion: problem.suggestion)
            return nil
        }
    }

    /// A canonical path that must name an array (`into: entities`).
    func arrayField(_ node: Node, _ what: String, canonical: SchemaShape?) -> CanonicalPath? {
        guard let path = canonicalPath(node, what) else { return nil }
        guard let canonical, let nodes = exists(path, in: canonical, at: node, what) else { return path }
        if !canonical.mayBeArray(nodes) {
            reader.error(node, "\(what) '\(path)' is not an array in the canonical schema",
                         expected: "an array field such as entities, obligations, artifacts or findings")
            return nil
        }
        return path
    }
}
