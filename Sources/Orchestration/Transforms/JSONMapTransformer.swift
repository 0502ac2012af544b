import Canonical

/// Where canonical fields land and who wrote them, for every transform of one adapter run.
public struct CanonicalWriteContext: Sendable {
    public var adapter: String
    /// The chain step id written into `producedBy`.
    public var step: String
    /// Top-level canonical arrays the adapter's input read element by element (`obligations` when `input.map`
    /// reads `obligations[]…`). Their n-th native element updates the n-th existing element in place; every
    /// other target array gets new elements appended.
    public var inPlace: Set<String>

    public init(adapter: String, step: String, inPlace: Set<String> = []) {
        self.adapter = adapter
        self.step = step
        self.inPlace = inPlace
    }
}

/// The `json` output transform: native JSON → canonical fields by declared paths.
///
/// Rules, in order:
/// 1. Each mapping reads every value at its native pointer; `*` binds, one for one, the leading `[]` of its
///    canonical target (`/verdicts/*/verdict` → `obligations[].status`: verdict n → obligation n). A target `[]`
///    with no `*` left to bind writes element 0 (`/verdicts/*/evidence/start` → `obligations[].evidence[].start`:
///    one evidence span per obligation).
/// 2. A source with no `*` (a constant `value:` or a plain pointer) writing into `X[]…` is copied into every
///    element of `X` that the transform's other mappings write (`value: obligation-compliance` →
///    `findings[].rule` on every finding); alone, it writes one element.
/// 3. Values are renamed (`values:`) then coerced (`coerce:`); a failed coercion is an error naming the concrete
///    native pointer. Absent and null values are not written.
/// 4. Elements built for an array are merged into the record: in place by index for arrays the adapter's input
///    read (`CanonicalWriteContext.inPlace`; an index past the end appends), appended otherwise.
/// 5. New elements get `id` (`ent-3`, `obl-1`, `art-2`, `fnd-4`: one more than the highest of that kind),
///    `producedBy` (the step) and defaults (`status: unknown`, `deadline: null`, `evidence: []`, `score: 1`);
///    spans given by `start`/`end` get their `text` from the document (empty when out of range, for the
///    `evidence-exists` check to report).
public enum JSONMapTransformer {
    public static func apply(_ transform: JSONMapTransform, index: Int, native: JSONValue, to record: inout JSONValue,
                             context: CanonicalWriteContext) throws(TransformError) {
        struct Write { var top: String?; var topIndex: Int?; var steps: [JSONPaths.Step]; var value: JSONValue; var broadcast: Bool }
        var writes: [Write] = []
        for mapping in transform.map {
            guard case .canonical(let target) = mapping.to else { continue }
            let matches: [PathMatch]
            switch mapping.from {
            case .native(let p): matches = JSONPaths.values(at: p, in: native)
            case .constant(let v): matches = [PathMatch(indices: [], pointer: "(value)", value: v)]
            case .canonical: continue
            }
            for match in matches {
                let value: JSONValue
                switch ValueConversion.convert(match.value, renames: mapping.values, coerce: mapping.coerce) {
                case .success(let v): value = v
                case .failure(let f):
                    throw TransformError(adapter: context.adapter, transform: index, path: match.pointer,
                                         kind: .coercion(expected: f.expected, found: f.found))
                }
                if value.isNull { continue }
                let segs = target.segments
                if segs.count >= 2, case .field(let top) = segs[0], segs[1] == .each {
                    let rest = CanonicalPath(segments: Array(segs.dropFirst(2)))
                    let restSteps = JSONPaths.steps(rest, indices: Array(match.indices.dropFirst()))
                    writes.append(Write(top: top, topIndex: match.indices.first, steps: restSteps, value: value,
                                        broadcast: match.indices.isEmpty))
                } else {
                    writes.append(Write(top: nil, topIndex: nil, steps: JSONPaths.steps(target, indices: match.indices),
                                        value: value, broadcast: false))
                }
            }
        }
        // Build one fragment per (array, index); broadcast sources fill every index the others wrote.
        var order: [String] = []
        var fragments: [String: [Int: JSONValue]] = [:]
        for w in writes where w.top != nil && !w.broadcast {
            guard let top = w.top, let i = w.topIndex else { continue }
            if fragments[top] == nil { order.append(top); fragments[top] = [:] }
            var frag = fragments[top]?[i] ?? .object(JSONObject())
            JSONPaths.write(w.value, at: w.steps, into: &frag)
            fragments[top]?[i] = frag
        }
        for w in writes where w.top != nil && w.broadcast {
            guard let top = w.top else { continue }
            if fragments[top] == nil { order.append(top); fragments[top] = [:] }
            let targets = fragments[top]?.keys.sorted() ?? []
            for i in targets.isEmpty ? [0] : targets {
                var frag = fragments[top]?[i] ?? .object(JSONObject())
                JSONPaths.write(w.value, at: w.steps, into: &frag)
                fragments[top]?[i] = frag
            }
        }
        for w in writes where w.top == nil { JSONPaths.write(w.value, at: w.steps, into: &record) }
        let text = record["document"]?["text"]?.stringValue ?? ""
        for top in order {
            guard let byIndex = fragments[top] else { continue }
            try merge(byIndex, into: top, record: &record, inPlace: context.inPlace.contains(top), text: text,
                      step: context.step)
        }
    }

    /// Adds or merges elements into a top-level canonical array, completing what is new.
    public static func merge(_ byIndex: [Int: JSONValue], into top: String, record: inout JSONValue, inPlace: Bool,
                             text: String, step: String) throws(TransformError) {
        var items = record[top]?.arrayValue ?? []
        let scalars = Array(text.unicodeScalars)
        for i in byIndex.keys.sorted() {
            guard let frag = byIndex[i] else { continue }
            if inPlace, i < items.count {
                items[i] = CanonicalDefaults.fillSpans(deepMerge(items[i], frag), scalars: scalars)
            } else {
                let id = CanonicalDefaults.nextID(for: top, in: items)
                items.append(CanonicalDefaults.complete(frag, array: top, id: id, step: step, scalars: scalars))
            }
        }
        var object = record.objectValue ?? JSONObject()
        object[top] = .array(items)
        record = .object(object)
    }

    /// `b` over `a`: objects member by member, arrays element by element, anything else replaced by `b`.
    public static func deepMerge(_ a: JSONValue, _ b: JSONValue) -> JSONValue {
        switch (a, b) {
        case let (.object(x), .object(y)):
            var out = x
            for (k, v) in y { out[k] = x[k].map { deepMerge($0, v) } ?? v }
            return .object(out)
        case let (.array(x), .array(y)):
            var out = x
            for (k, v) in y.enumerated() {
                if k < out.count { out[k] = deepMerge(out[k], v) } else { out.append(v) }
            }
            return .array(out)
        default:
            return b
        }
    }
}

/// Ids, `producedBy` and defaults for canonical items an adapter creates, so models only say what they know.
public enum CanonicalDefaults {
    static let prefixes = ["entities": "ent", "obligations": "obl", "artifacts": "art", "findings": "fnd"]

    /// One more than the highest `<prefix>-<n>` id in `items`.
    public static func nextID(for array: String, in items: [JSONValue]) -> String {
        let prefix = (prefixes[array] ?? String(array.prefix(3))) + "-"
        var highest = 0
        for item in items {
            if let id = item["id"]?.stringValue, id.hasPrefix(prefix), let n = Int(id.dropFirst(prefix.count)) {
                highest = max(highest, n)
            }
        }
        return prefix + String(highest + 1)
    }

    public static func complete(_ fragment: JSONValue, array: String, id: String, step: String,
                                scalars: [Unicode.Scalar]) -> JSONValue {
        var o = JSONObject()
        o["id"] = .string(id)
        for (k, v) in fragment.objectValue ?? JSONObject() where k != "id" { o[k] = v }
        switch array {
        case "entities":
            if o["score"] == nil { o["score"] = .number(1) }
            if o["text"] == nil { o["text"] = .string(slice(o["start"], o["end"], scalars) ?? "") }
        case "obligations":
            if o["deadline"] == nil { o["deadline"] = .null }
            if o["status"] == nil { o["status"] = .string("unknown") }
            if o["evidence"] == nil { o["evidence"] = .array([]) }
        case "findings":
            if o["evidence"] == nil { o["evidence"] = .array([]) }
        default:
            break
        }
        if o["producedBy"] == nil { o["producedBy"] = .string(step) }
        return fillSpans(.object(o), scalars: scalars)
    }

    /// Gives every `evidence[]` span lacking `text` the document text it covers ("" when out of range).
    public static func fillSpans(_ item: JSONValue, scalars: [Unicode.Scalar]) -> JSONValue {
        guard var o = item.objectValue, let spans = o["evidence"]?.arrayValue else { return item }
        o["evidence"] = .array(spans.map { span in
            guard var s = span.objectValue, s["text"] == nil else { return span }
            s["text"] = .string(slice(s["start"], s["end"], scalars) ?? "")
            return .object(s)
        })
        return .object(o)
    }

    static func slice(_ start: JSONValue?, _ end: JSONValue?, _ scalars: [Unicode.Scalar]) -> String? {
        guard let a = start?.intValue, let b = end?.intValue, 0 <= a, a <= b, b <= scalars.count else { return nil }
        return String(String.UnicodeScalarView(scalars[a..<b]))
    }
}
