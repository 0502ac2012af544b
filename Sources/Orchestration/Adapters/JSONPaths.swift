import Canonical

/// One value found by a path that fans out: the array indices its `[]` (canonical) or `*` (native) segments bound,
/// in order, and a concrete JSON Pointer to it for messages (`/verdicts/1/verdict`).
public struct PathMatch: Sendable, Equatable {
    public var indices: [Int]
    public var pointer: String
    public var value: JSONValue

    public init(indices: [Int], pointer: String, value: JSONValue) {
        self.indices = indices
        self.pointer = pointer
        self.value = value
    }
}

/// Reading and writing canonical paths and native pointers over JSON values: the plumbing under `input.map`,
/// prompt placeholders, `when:` and the `json` transform.
public enum JSONPaths {
    // MARK: Reading

    /// Every value at a canonical path (`obligations[].action`), in document order. A missing member or index
    /// yields nothing (not null), so optional fields simply are not copied.
    public static func values(at path: CanonicalPath, in root: JSONValue) -> [PathMatch] {
        var out: [PathMatch] = []
        func walk(_ value: JSONValue, _ i: Int, _ indices: [Int], _ pointer: String) {
            guard i < path.segments.count else {
                out.append(PathMatch(indices: indices, pointer: pointer, value: value))
                return
            }
            switch path.segments[i] {
            case .field(let name):
                guard let next = value[name] else { return }
                walk(next, i + 1, indices, pointer + "/" + JSONPointer.escape(name))
            case .index(let n):
                guard let next = value[n] else { return }
                walk(next, i + 1, indices, pointer + "/\(n)")
            case .each:
                guard let items = value.arrayValue else { return }
                for (k, item) in items.enumerated() { walk(item, i + 1, indices + [k], pointer + "/\(k)") }
            }
        }
        walk(root, 0, [], "")
        return out
    }

    /// Every value at a native pointer with `*` wildcards (`/verdicts/*/verdict`).
    public static func values(at pointer: NativePointer, in root: JSONValue) -> [PathMatch] {
        var out: [PathMatch] = []
        func walk(_ value: JSONValue, _ i: Int, _ indices: [Int], _ concrete: String) {
            guard i < pointer.tokens.count else {
                out.append(PathMatch(indices: indices, pointer: concrete, value: value))
                return
            }
            switch pointer.tokens[i] {
            case .key(let key):
                if case .array(let items) = value, let n = Int(key), items.indices.contains(n) {
                    walk(items[n], i + 1, indices, concrete + "/\(n)")
                } else if let next = value[key] {
                    walk(next, i + 1, indices, concrete + "/" + JSONPointer.escape(key))
                }
            case .wildcard:
                guard let items = value.arrayValue else { return }
                for (k, item) in items.enumerated() { walk(item, i + 1, indices + [k], concrete + "/\(k)") }
            }
        }
        walk(root, 0, [], "")
        return out
    }

    // MARK: Writing

    /// A concrete step of a write: an object member or an array element.
    public enum Step: Hashable, Sendable {
        case field(String)
        case index(Int)
    }

    /// Canonical path segments with every `[]` bound to the next of `indices` (missing ones bind to 0: a target
    /// with more `[]` than its source has wildcards writes one element there).
    public static func steps(_ path: CanonicalPath, indices: [Int]) -> [Step] {
        var k = 0
        return path.segments.map { segment in
            switch segment {
            case .field(let name): return .field(name)
            case .index(let n): return .index(n)
            case .each:
                defer { k += 1 }
                return .index(k < indices.count ? indices[k] : 0)
            }
        }
    }

    /// Native pointer tokens with every `*` bound to the next of `indices` (missing ones bind to 0).
    public static func steps(_ pointer: NativePointer, indices: [Int]) -> [Step] {
        var k = 0
        return pointer.tokens.map { token in
            switch token {
            case .key(let key): return .field(key)
            case .wildcard:
                defer { k += 1 }
                return .index(k < indices.count ? indices[k] : 0)
            }
        }
    }

    /// Writes `value` at `steps`, creating objects and arrays on the way (an array grows with empty objects up to
    /// the index written). A step that meets a value of the wrong kind replaces it.
    public static func write(_ value: JSONValue, at steps: ArraySlice<Step>, into root: inout JSONValue) {
        guard let step = steps.first else { root = value; return }
        let rest = steps.dropFirst()
        switch step {
        case .field(let name):
            var object = root.objectValue ?? JSONObject()
            var child = object[name] ?? .null
            write(value, at: rest, into: &child)
            object[name] = child
            root = .object(object)
        case .index(let n):
            var items = root.arrayValue ?? []
            while items.count <= n { items.append(.object(JSONObject())) }
            write(value, at: rest, into: &items[n])
            root = .array(items)
        }
    }

    public static func write(_ value: JSONValue, at steps: [Step], into root: inout JSONValue) {
        write(value, at: steps[...], into: &root)
    }

    /// The value at concrete steps, or nil.
    public static func value(at steps: [Step], in root: JSONValue) -> JSONValue? {
        var v = root
        for step in steps {
            switch step {
            case .field(let name): guard let next = v[name] else { return nil }; v = next
            case .index(let n): guard let next = v[n] else { return nil }; v = next
            }
        }
        return v
    }

    /// A JSON Pointer rendering of concrete steps, for messages.
    public static func pointer(_ steps: [Step]) -> String {
        steps.map { step -> String in
            switch step {
            case .field(let name): return "/" + JSONPointer.escape(name)
            case .index(let n): return "/\(n)"
            }
        }.joined()
    }
}
