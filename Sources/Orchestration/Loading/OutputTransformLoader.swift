import Yams
import Canonical

/// Reads `output:`, the ordered list of transforms from native output to canonical fields. Each kind has its own
/// keys; an unknown kind or key is an error with a suggestion.
struct OutputTransformLoader {
    let reader: NodeReader
    let context: AdapterLoader.Context

    var checks: PathChecks { PathChecks(reader: reader) }

    static let keys: [OutputTransform.Kind: (required: [String], optional: [String])] = [
        .bioSpans: (["transform", "into", "labels"], ["from", "strategy", "threshold", "merge"]),
        .json: (["transform", "map"], []),
        .unifiedDiff: (["transform", "into"], ["from", "file", "path"]),
        .embedding: (["transform", "from", "into"], ["normalize"]),
    ]

    func loadList(_ node: Node) -> [OutputTransform]? {
        guard let items = reader.sequence(node, "output") else { return nil }
        if items.isEmpty { reader.error(node, "output is empty", expected: "at least one transform") }
        var result: [OutputTransform] = []
        for (i, item) in items.enumerated() {
            if let t = load(item, index: i) { result.append(t) }
        }
        return result.count == items.count && !items.isEmpty ? result : nil
    }

    func load(_ node: Node, index: Int) -> OutputTransform? {
        let what = "output[\(index)]"
        guard case .mapping(let m) = node else {
            reader.error(node, "\(what) is \(NodeReader.kind(node))", expected: "a mapping with 'transform'")
            return nil
        }
        guard let kindNode = m["transform"] else {
            reader.error(node, "missing required key 'transform' in \(what)",
                         expected: "one of: \(OutputTransform.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        guard let kind = reader.oneOf(OutputTransform.Kind.self, kindNode, "\(what).transform"),
              let keys = Self.keys[kind] else { return nil }
        let label = "\(what) (\(kind.rawValue))"
        guard let f = reader.mapping(node, label, required: keys.required, optional: keys.optional) else { return nil }
        let before = reader.log.count
        let result: OutputTransform?
        switch kind {
        case .bioSpans: result = bioSpans(f, what).map(OutputTransform.bioSpans)
        case .json: result = json(f, what).map(OutputTransform.json)
        case .unifiedDiff: result = unifiedDiff(f, what).map(OutputTransform.unifiedDiff)
        case .embedding: result = embedding(f, what).map(OutputTransform.embedding)
        }
        return reader.log.count == before ? result : nil
    }

    func requireTask(_ task: ModelTask, for kind: OutputTransform.Kind, at node: Node, _ what: String) {
        if let actual = context.task, actual != task {
            reader.error(node, "\(what): the \(kind.rawValue) transform needs a \(task.rawValue) model, but model.task is \(actual.rawValue)")
        }
    }

    // MARK: bio-spans

    func bioSpans(_ f: YAMLFields, _ what: String) -> BIOSpansTransform? {
        if let n = f["transform"] { requireTask(.tokenClassification, for: .bioSpans, at: n, what) }
        var from = NativePointer("/tokens")
        var emittable: [String]?
        let fromNode = f["from"] ?? f.node
        if let n = f["from"] { from = checks.nativePointer(n, "\(what).from") }
        if let from, let schema = context.nativeOutput,
           let tokens = checks.exists(from, in: schema, at: fromNode, "\(what).from") {
            switch schema.shape.elements(of: tokens, at: "'\(from)'") {
            case .failure(let problem):
                reader.error(fromNode, "\(what).from '\(from)' must be the token array: \(problem.message)")
            case .success(let token):
                switch schema.shape.field("label", of: token, at: "a token") {
                case .failure(let problem):
                    reader.error(fromNode, "\(what).from '\(from)': tokens need a 'label' field: \(problem.message)")
                case .success(let label):
                    emittable = schema.shape.enumeratedStrings(label).map(Self.entityLabels)
                }
            }
        }
        let into = f["into"].flatMap { checks.arrayField($0, "\(what).into", canonical: context.canonical) }
        let canonicalTypes = entityTypes(into)
        let strategy = f["strategy"].map { reader.oneOf(BIOSpansTransform.Strategy.self, $0, "\(what).strategy") } ?? .first
        let threshold = f["threshold"].map { reader.double($0, "\(what).threshold", range: 0...1) } ?? 0.5

        var labels: [(native: String, canonical: String)] = []
        if let n = f["labels"], let pairs = reader.pairs(n, "\(what).labels") {
            if pairs.isEmpty { reader.error(n, "\(what).labels is empty", expected: "model label → canonical type pairs") }
            for (key, keyNode, value) in pairs {
                checkEmittable(key, at: keyNode, emittable, "\(what).labels")
                guard let type = reader.string(value, "\(what).labels.\(key)") else { continue }
                checkCanonicalType(type, at: value, canonicalTypes, "\(what).labels.\(key)")
                labels.append((key, type))
            }
        }
        var merges: [LabelMerge] = []
        if let n = f["merge"], let items = reader.sequence(n, "\(what).merge") {
            for (i, item) in items.enumerated() {
                let mw = "\(what).merge[\(i)]"
                guard let mf = reader.mapping(item, mw, required: ["parts", "as"]) else { continue }
                let parts = mf["parts"].flatMap { reader.strings($0, "\(mw).parts") } ?? []
                if let pn = mf["parts"], parts.count < 2, case .sequence = pn {
                    reader.error(pn, "\(mw).parts lists \(parts.count) label(s)", expected: "at least two labels to merge")
                }
                for (label, node) in parts { checkEmittable(label, at: node, emittable, "\(mw).parts") }
                let type = mf["as"].flatMap { reader.string($0, "\(mw).as") }
                if let type, let an = mf["as"] { checkCanonicalType(type, at: an, canonicalTypes, "\(mw).as") }
                if let type { merges.append(LabelMerge(parts: parts.map(\.value), type: type)) }
            }
        }
        guard let from, let into, let strategy, let threshold else { return nil }
        return BIOSpansTransform(from: from, into: into, strategy: strategy, threshold: threshold, labels: labels,
                                 merge: merges, location: reader.location(f.node))
    }

    /// `B-GIVEN_NAME`, `I-GIVEN_NAME`, `O` → `GIVEN_NAME`: the entity labels a BIO tagger can emit.
    static func entityLabels(_ tags: [String]) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for tag in tags where tag != "O" {
            let stripped = tag.hasPrefix("B-") || tag.hasPrefix("I-") ? String(tag.dropFirst(2)) : tag
            if seen.insert(stripped).inserted { result.append(stripped) }
        }
        return result
    }

    func checkEmittable(_ label: String, at node: Node, _ emittable: [String]?, _ what: String) {
        guard let emittable, !emittable.contains(label) else { return }
        reader.error(node, "\(what): the model never emits label '\(label)'",
                     expected: "a label of the native output schema (\(emittable.joined(separator: ", ")))",
                     suggestion: Suggestions.closest(to: label, in: emittable))
    }

    /// The entity types the canonical schema allows at `<into>[].type`, when it enumerates them.
    func entityTypes(_ into: CanonicalPath?) -> [String]? {
        guard let into, let canonical = context.canonical else { return nil }
        let typePath = CanonicalPath(segments: into.segments + [.each, .field("type")])
        guard case .success(let nodes) = canonical.resolve(typePath) else { return nil }
        return canonical.enumeratedStrings(nodes)
    }

    func checkCanonicalType(_ type: String, at node: Node, _ allowed: [String]?, _ what: String) {
        guard let allowed, !allowed.contains(type) else { return }
        reader.error(node, "\(what): '\(type)' is not a canonical entity type",
                     expected: "one of: \(allowed.joined(separator: ", "))", suggestion: Suggestions.closest(to: type, in: allowed))
    }

    // MARK: json, unified-diff, embedding

    func json(_ f: YAMLFields, _ what: String) -> JSONMapTransform? {
        guard let n = f["map"] else { return nil }
        guard let map = FieldMappingLoader(reader: reader, context: context)
            .loadList(n, "\(what).map", direction: .nativeToCanonical) else { return nil }
        return JSONMapTransform(map: map, location: reader.location(f.node))
    }

    /// `from: /diff` (the model's diff) or `file: /content` (the model's changed file, diffed here against
    /// the code artifact at `path`, or without `path` the record's first code artifact).
    func unifiedDiff(_ f: YAMLFields, _ what: String) -> UnifiedDiffTransform? {
        if f.has("from") == f.has("file") {
            reader.error(f.node, f.has("from") ? "\(what) has both 'from' and 'file'" : "\(what) has neither 'from' nor 'file'",
                         expected: "exactly one of 'from' (a diff) or 'file' (the changed file, diffed against the record's code)")
        }
        let source: UnifiedDiffTransform.Source = f.has("file") ? .file : .diff
        let from = f[source == .file ? "file" : "from"].flatMap { n in
            checks.nativePointer(n, "\(what).\(source.rawValue)").map { p in
                checks.exists(p, in: context.nativeOutput, at: n, "\(what).\(source.rawValue)"); return p } }
        var path: NativePointer??
        if let n = f["path"] {
            path = .some(checks.nativePointer(n, "\(what).path").map { p in
                checks.exists(p, in: context.nativeOutput, at: n, "\(what).path"); return p })
        }
        let into = f["into"].flatMap { checks.arrayField($0, "\(what).into", canonical: context.canonical) }
        guard let from, let into, path != .some(nil) else { return nil }
        return UnifiedDiffTransform(from: from, source: source, path: path ?? nil, into: into, location: reader.location(f.node))
    }

    func embedding(_ f: YAMLFields, _ what: String) -> EmbeddingTransform? {
        if let n = f["transform"] { requireTask(.embedding, for: .embedding, at: n, what) }
        let from = f["from"].flatMap { n in checks.nativePointer(n, "\(what).from").map { p in
            checks.exists(p, in: context.nativeOutput, at: n, "\(what).from"); return p } }
        let into = f["into"].flatMap { n in checks.canonicalPath(n, "\(what).into").map { p in
            checks.exists(p, in: context.canonical, at: n, "\(what).into"); return p } }
        let normalize = f["normalize"].map { reader.bool($0, "\(what).normalize") } ?? true
        guard let from, let into, let normalize else { return nil }
        return EmbeddingTransform(from: from, into: into, normalize: normalize, location: reader.location(f.node))
    }
}
