import Canonical

/// Why an example's native JSON could not be turned into canonical fields.
public struct ReplayError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `output[0] json map[1]`.
    public var transform: String
    /// The native pointer where it failed.
    public var path: String
    public var message: String

    public var description: String { "\(transform) at \(path.isEmpty ? "/" : path): \(message)" }
}

/// Re-runs an adapter's output transforms on a native JSON (a golden example or a live model output) and returns
/// the canonical fragment they produce — the one function `franca validate` replays examples through.
///
/// The rules follow the executor's `json` transform (see `JSONMapTransformer`): each `*` of a source binds the
/// next `[]` of the target; a target `[]` left unbound writes element 0; a source with no `*` (a constant) is
/// copied into every element the transform's other mappings wrote; values are renamed, then coerced; absent and
/// null values are not written. `bio-spans` aggregates the native tokens' arg-max labels (the label gets its score,
/// the other labels share the rest); `unified-diff` yields one `diff` artifact; `embedding` copies the vector.
///
/// It builds a fragment (only what the transforms write: no ids, defaults or `producedBy`), so the comparison with
/// `expect` checks exactly the fields the adapter is responsible for.
public enum ExampleReplay {
    /// The canonical fragment for one native output. `documentText` is the text the model read; for token
    /// classifiers without it, the text is rebuilt from the tokens (gaps become spaces).
    public static func canonicalFragment(adapter: AdapterDefinition, native: JSONValue,
                                         documentText: String? = nil) throws(ReplayError) -> JSONObject {
        var fragment = JSONValue.object([:])
        for (i, transform) in adapter.output.enumerated() {
            let name = "output[\(i)] \(transform.kind.rawValue)"
            switch transform {
            case .json(let t):
                try applyJSON(t, name: name, native: native, into: &fragment)
            case .bioSpans(let b):
                try applyBIO(b, name: name, native: native, text: documentText, into: &fragment)
            case .unifiedDiff(let u):
                guard let diff = values(at: u.from, in: native).first?.value.stringValue else {
                    throw ReplayError(transform: name, path: u.from.text, message: "no diff string here")
                }
                var artifact: JSONObject = ["kind": "diff"]
                if let p = u.path, let path = values(at: p, in: native).first?.value.stringValue { artifact["path"] = .string(path) }
                artifact["content"] = .string(diff)
                append(.object(artifact), to: u.into, in: &fragment)
            case .embedding(let e):
                guard let vector = values(at: e.from, in: native).first?.value.arrayValue,
                      vector.allSatisfy({ $0.doubleValue != nil }) else {
                    throw ReplayError(transform: name, path: e.from.text, message: "no array of numbers here")
                }
                var out = vector.compactMap(\.doubleValue)
                if e.normalize {
                    let norm = out.reduce(0) { $0 + $1 * $1 }.squareRoot()
                    if norm > 0 { out = out.map { $0 / norm } }
                }
                write(.array(out.map { .number($0) }), at: steps(e.into, indices: []), into: &fragment)
            }
        }
        return fragment.objectValue ?? [:]
    }

    // MARK: json

    static func applyJSON(_ t: JSONMapTransform, name: String, native: JSONValue,
                          into fragment: inout JSONValue) throws(ReplayError) {
        var broadcasts: [(FieldMapping, JSONValue, CanonicalPath)] = []
        var written: [String: Set<Int>] = [:]
        for (j, m) in t.map.enumerated() {
            guard case .canonical(let target) = m.to else { continue }
            let matches: [(indices: [Int], pointer: String, value: JSONValue)]
            switch m.from {
            case .native(let p): matches = values(at: p, in: native)
            case .constant(let v): matches = [([], "(value)", v)]
            case .canonical: continue
            }
            for match in matches {
                guard let value = try convert(match.value, m, name: "\(name) map[\(j)]", at: match.pointer), !value.isNull else { continue }
                if match.indices.isEmpty, target.fanOut > 0 {
                    broadcasts.append((m, value, target))
                    continue
                }
                if case .field(let top)? = target.segments.first, target.segments.count > 1, target.segments[1] == .each,
                   let first = match.indices.first {
                    written[top, default: []].insert(first)
                }
                write(value, at: steps(target, indices: match.indices), into: &fragment)
            }
        }
        for (_, value, target) in broadcasts {
            guard case .field(let top)? = target.segments.first else { continue }
            let indices = written[top].map { $0.sorted() } ?? [0]
            for i in indices { write(value, at: steps(target, indices: [i]), into: &fragment) }
        }
    }

    /// Renames, then coerces; nil when the value is absent after conversion.
    static func convert(_ value: JSONValue, _ m: FieldMapping, name: String, at pointer: String) throws(ReplayError) -> JSONValue? {
        var v = value
        if let s = v.stringValue, let renamed = m.values.first(where: { $0.from == s }) { v = .string(renamed.to) }
        guard let c = m.coerce, !v.isNull else { return v }
        func fail() -> ReplayError {
            ReplayError(transform: name, path: pointer, message: "cannot coerce \(v.serialized()) to \(c.rawValue)")
        }
        switch c {
        case .string:
            switch v {
            case .string: return v
            case .integer(let i): return .string(String(i))
            case .number(let d): return .string(SchemaDiff.number(d))
            case .bool(let b): return .string(b ? "true" : "false")
            default: throw fail()
            }
        case .number:
            if let d = v.doubleValue { return .number(d) }
            if let s = v.stringValue, let d = Double(s) { return .number(d) }
            throw fail()
        case .integer:
            if let i = v.int64Value { return .integer(i) }
            if let s = v.stringValue, let i = Int64(s) { return .integer(i) }
            throw fail()
        case .boolean:
            if let b = v.boolValue { return .bool(b) }
            if v.stringValue == "true" { return .bool(true) }
            if v.stringValue == "false" { return .bool(false) }
            throw fail()
        }
    }

    // MARK: bio-spans

    static func applyBIO(_ b: BIOSpansTransform, name: String, native: JSONValue, text: String?,
                         into fragment: inout JSONValue) throws(ReplayError) {
        guard let items = values(at: b.from, in: native).first?.value.arrayValue else {
            throw ReplayError(transform: name, path: b.from.text, message: "no token array here")
        }
        var labels = ["O"]
        for item in items { if let l = item["label"]?.stringValue, !labels.contains(l) { labels.append(l) } }
        var tokens: [TaggedToken] = []
        var pieces: [(start: Int, end: Int, text: String)] = []
        for (k, item) in items.enumerated() {
            guard let start = item["start"]?.intValue, let end = item["end"]?.intValue, start <= end,
                  let label = item["label"]?.stringValue, let li = labels.firstIndex(of: label) else {
                throw ReplayError(transform: name, path: "\(b.from.text)/\(k)", message: "a token needs start ≤ end and a label")
            }
            let score = Float(item["score"]?.doubleValue ?? 1)
            var p = [Float](repeating: labels.count > 1 ? (1 - score) / Float(labels.count - 1) : 0, count: labels.count)
            p[li] = score
            tokens.append(TaggedToken(start: start, end: end, wordIndex: item["word"]?.intValue, probabilities: p))
            pieces.append((start, end, item["text"]?.stringValue ?? ""))
        }
        let document = text ?? rebuiltText(pieces)
        let aggregator = BIOSpanAggregator(transform: b, labels: labels)
        for e in aggregator.entities(tokens: tokens, text: document) {
            let entity: JSONObject = ["type": .string(e.type), "text": .string(e.text), "start": .integer(Int64(e.start)),
                                      "end": .integer(Int64(e.end)), "score": .number((e.score * 1e6).rounded() / 1e6)]
            append(.object(entity), to: b.into, in: &fragment)
        }
    }

    /// A document rebuilt from token pieces placed at their offsets (in Unicode scalars), spaces elsewhere.
    public static func rebuiltText(_ pieces: [(start: Int, end: Int, text: String)]) -> String {
        let length = pieces.map(\.end).max() ?? 0
        var scalars = [Unicode.Scalar](repeating: " ", count: length)
        for p in pieces {
            let s = Array(p.text.unicodeScalars)
            guard s.count == p.end - p.start else { continue }
            for (k, c) in s.enumerated() where p.start + k < length { scalars[p.start + k] = c }
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }

    // MARK: JSON paths

    /// Every value at a native pointer, with the array indices each `*` took.
    public static func values(at pointer: NativePointer, in root: JSONValue) -> [(indices: [Int], pointer: String, value: JSONValue)] {
        var current: [(indices: [Int], pointer: String, value: JSONValue)] = [([], "", root)]
        for token in pointer.tokens {
            var next: [(indices: [Int], pointer: String, value: JSONValue)] = []
            for (indices, path, value) in current {
                switch token {
                case .wildcard:
                    for (i, element) in (value.arrayValue ?? []).enumerated() {
                        next.append((indices + [i], "\(path)/\(i)", element))
                    }
                case .key(let k):
                    if let o = value.objectValue, let v = o[k] {
                        next.append((indices, "\(path)/\(k)", v))
                    } else if let a = value.arrayValue, let i = Int(k), i >= 0, i < a.count {
                        next.append((indices, "\(path)/\(k)", a[i]))
                    }
                }
            }
            current = next
        }
        return current
    }

    enum Step: Equatable { case key(String); case index(Int) }

    /// A canonical path made concrete: the n-th `[]` takes the n-th index (0 when there are fewer indices).
    static func steps(_ path: CanonicalPath, indices: [Int]) -> [Step] {
        var k = 0
        return path.segments.map { s in
            switch s {
            case .field(let f): return .key(f)
            case .index(let n): return .index(n)
            case .each:
                defer { k += 1 }
                return .index(k < indices.count ? indices[k] : 0)
            }
        }
    }

    static func write(_ value: JSONValue, at steps: [Step], into node: inout JSONValue) {
        guard let first = steps.first else { node = value; return }
        let rest = Array(steps.dropFirst())
        switch first {
        case .key(let k):
            var o = node.objectValue ?? [:]
            var child = o[k] ?? .null
            write(value, at: rest, into: &child)
            o[k] = child
            node = .object(o)
        case .index(let i):
            var a = node.arrayValue ?? []
            while a.count <= i { a.append(.null) }
            var child = a[i]
            write(value, at: rest, into: &child)
            a[i] = child
            node = .array(a)
        }
    }

    static func append(_ value: JSONValue, to path: CanonicalPath, in fragment: inout JSONValue) {
        var existing: JSONValue = .null
        let keySteps = path.segments.compactMap { s -> Step? in if case .field(let f) = s { return .key(f) } else { return nil } }
        var probe = fragment
        for case .key(let k) in keySteps { probe = probe[k] ?? .null }
        existing = probe
        let count = existing.arrayValue?.count ?? 0
        write(value, at: keySteps + [.index(count)], into: &fragment)
    }
}
