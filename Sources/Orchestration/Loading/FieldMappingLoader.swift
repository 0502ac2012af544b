import Yams
import Canonical

/// Reads `{from|value, to, coerce?, values?}` lists — `input.map` (canonical → native input) and the `json` output
/// transform (native output → canonical) — checking both ends against their schemas, the array fan-out, and that
/// every enumerated source value lands on an allowed target value.
struct FieldMappingLoader {
    let reader: NodeReader
    let context: AdapterLoader.Context

    var checks: PathChecks { PathChecks(reader: reader) }

    enum MappingDirection {
        /// `input.map`: `from` is canonical, `to` native input.
        case canonicalToNative
        /// The `json` output transform: `from` is native output (or a constant), `to` canonical.
        case nativeToCanonical
    }

    /// A list of `{from|value, to, coerce?, values?}` entries.
    func loadList(_ node: Node, _ what: String, direction: MappingDirection) -> [FieldMapping]? {
        guard let items = reader.sequence(node, what) else { return nil }
        if items.isEmpty { reader.error(node, "\(what) is empty", expected: "at least one {from, to} entry") }
        var result: [FieldMapping] = []
        var ok = !items.isEmpty
        for (i, item) in items.enumerated() {
            if let m = load(item, "\(what)[\(i)]", direction: direction) {
                result.append(m)
            } else {
                ok = false
            }
        }
        return ok ? result : nil
    }

    func load(_ node: Node, _ what: String, direction: MappingDirection) -> FieldMapping? {
        let before = reader.log.count
        let optional = direction == .nativeToCanonical ? ["from", "value", "coerce", "values"] : ["from", "coerce", "values"]
        guard let f = reader.mapping(node, what, required: ["to"], optional: optional) else { return nil }
        if direction == .nativeToCanonical, f.has("from") == f.has("value") {
            reader.error(node, f.has("from") ? "\(what) has both 'from' and 'value'" : "\(what) has neither 'from' nor 'value'",
                         expected: "exactly one of 'from' (a native pointer) or 'value' (a constant)")
        }
        if direction == .canonicalToNative, !f.has("from") { reader.error(node, "missing required key 'from' in \(what)") }

        var source: FieldMapping.Source?
        var sourceEnum: [String]?
        var sourceFanOut = 0
        var target: FieldMapping.Target?
        var targetEnum: [String]?
        var targetFanOut = 0

        switch direction {
        case .canonicalToNative:
            if let n = f["from"], let p = checks.canonicalPath(n, "\(what).from") {
                if let nodes = checks.exists(p, in: context.canonical, at: n, "\(what).from") {
                    sourceEnum = context.canonical?.enumeratedStrings(nodes)
                }
                source = .canonical(p); sourceFanOut = p.fanOut
            }
            if let n = f["to"], let p = checks.nativePointer(n, "\(what).to") {
                if let nodes = checks.exists(p, in: context.nativeInput, at: n, "\(what).to") {
                    targetEnum = context.nativeInput?.shape.enumeratedStrings(nodes)
                }
                target = .native(p); targetFanOut = p.fanOut
            }
        case .nativeToCanonical:
            if let n = f["from"], let p = checks.nativePointer(n, "\(what).from") {
                if let nodes = checks.exists(p, in: context.nativeOutput, at: n, "\(what).from") {
                    sourceEnum = context.nativeOutput?.shape.enumeratedStrings(nodes)
                }
                source = .native(p); sourceFanOut = p.fanOut
            }
            if let n = f["value"], let v = YAMLSource.json(n, "\(what).value", reader: reader) {
                source = .constant(v)
                if let s = v.stringValue { sourceEnum = [s] }
            }
            if let n = f["to"], let p = checks.canonicalPath(n, "\(what).to") {
                if let nodes = checks.exists(p, in: context.canonical, at: n, "\(what).to") {
                    targetEnum = context.canonical?.enumeratedStrings(nodes)
                }
                target = .canonical(p); targetFanOut = p.fanOut
            }
        }
        if source != nil, target != nil, sourceFanOut > targetFanOut, let n = f["to"] {
            reader.error(n, "\(what) reads \(sourceFanOut) nested array(s) but writes into \(targetFanOut)",
                         expected: "as many '[]' in 'to' as '*' in 'from'")
        }
        let coerce = f["coerce"].flatMap { reader.oneOf(FieldMapping.Coercion.self, $0, "\(what).coerce") }

        var values: [(from: String, to: String)] = []
        if let n = f["values"], let pairs = reader.pairs(n, "\(what).values") {
            for (key, keyNode, value) in pairs {
                guard let to = reader.string(value, "\(what).values.\(key)") else { continue }
                if let sourceEnum, !sourceEnum.contains(key) {
                    reader.error(keyNode, "\(what).values renames '\(key)', which the source never holds",
                                 expected: "one of: \(sourceEnum.joined(separator: ", "))",
                                 suggestion: Suggestions.closest(to: key, in: sourceEnum))
                }
                if let targetEnum, !targetEnum.contains(to) {
                    reader.error(value, "\(what).values maps '\(key)' to '\(to)', which the target does not allow",
                                 expected: "one of: \(targetEnum.joined(separator: ", "))",
                                 suggestion: Suggestions.closest(to: to, in: targetEnum))
                }
                values.append((key, to))
            }
        }
        // Every value the source can hold must land on an allowed target value.
        if let sourceEnum, let targetEnum, let n = f["from"] ?? f["value"] {
            let renamed = Dictionary(values.map { ($0.from, $0.to) }, uniquingKeysWith: { a, _ in a })
            for value in sourceEnum where renamed[value] == nil && !targetEnum.contains(value) {
                reader.error(n, "\(what): source value '\(value)' is not allowed in the target",
                             expected: "one of: \(targetEnum.joined(separator: ", ")) — add '\(value): …' under values",
                             suggestion: Suggestions.closest(to: value, in: targetEnum))
            }
        }
        guard reader.log.count == before, let source, let target else { return nil }
        return FieldMapping(from: source, to: target, coerce: coerce, values: values, location: reader.location(node))
    }
}
