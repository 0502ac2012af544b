import Yams
import Canonical

extension AdapterLoader {
    /// `examples:` golden pairs. Each `native` must validate against the native output schema (violations point at
    /// the offending YAML line); each `expect` may only name canonical record fields.
    func loadExamples(_ node: Node, context: Context) -> [AdapterExample] {
        guard let items = reader.sequence(node, "examples") else { return [] }
        var result: [AdapterExample] = []
        var names: [String: Node] = [:]
        for (i, item) in items.enumerated() {
            let what = "examples[\(i)]"
            guard let f = reader.mapping(item, what, required: ["name", "native", "expect"], optional: ["record"]) else { continue }
            let name = f["name"].flatMap { reader.string($0, "\(what).name") }
            if let name, let n = f["name"] {
                if let first = names[name] {
                    reader.error(n, "duplicate example name '\(name)' (first at line \(first.mark?.line ?? 0))")
                } else {
                    names[name] = n
                }
            }
            var native: JSONValue?
            if let n = f["native"], let value = YAMLSource.json(n, "\(what).native", reader: reader) {
                native = value
                if let schema = context.nativeOutput {
                    for violation in schema.schema.validate(value) {
                        let at = Self.node(in: n, atPointer: violation.instancePath)
                        let place = violation.instancePath.isEmpty ? "" : " at \(violation.instancePath)"
                        reader.error(at, "\(what).native does not match \(schema.path)\(place): \(violation.message)")
                    }
                }
            }
            let expect = f["expect"].flatMap { fragment($0, "\(what).expect", context: context) }
            var record: JSONObject? = [:]
            if let n = f["record"] { record = fragment(n, "\(what).record", context: context) }
            if let name, let native, let expect, let record {
                result.append(AdapterExample(name: name, native: native, expect: expect, record: record,
                                             location: reader.location(item)))
            }
        }
        return result
    }

    /// A canonical record fragment (`expect`, `record`): a mapping whose keys are fields of the record.
    func fragment(_ n: Node, _ what: String, context: Context) -> JSONObject? {
        guard let pairs = reader.pairs(n, what) else { return nil }
        var ok = true
        if let canonical = context.canonical {
            for (key, keyNode, _) in pairs {
                if case .failure(let problem) = canonical.field(key, of: canonical.root, at: "the record") {
                    reader.error(keyNode, "\(what): \(problem.message)", expected: problem.expected,
                                 suggestion: problem.suggestion)
                    ok = false
                }
            }
        }
        guard ok, case .object(let o)? = YAMLSource.json(n, what, reader: reader) else { return nil }
        return o
    }

    /// The YAML node a JSON Pointer designates inside inline data, or the deepest node reached on the way.
    static func node(in root: Node, atPointer pointer: String) -> Node {
        guard let parsed = try? JSONPointer(parsing: pointer) else { return root }
        var current = root
        for token in parsed.tokens {
            switch current {
            case .mapping(let m):
                guard let next = m.first(where: { $0.key.string == token })?.value else { return current }
                current = next
            case .sequence(let s):
                guard let i = Int(token), i >= 0, i < s.count else { return current }
                current = s[s.index(s.startIndex, offsetBy: i)]
            default:
                return current
            }
        }
        return current
    }
}
