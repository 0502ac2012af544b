import Canonical

/// The static half of `franca validate`: without running anything, does the adapter still fit the (new) native
/// schemas and the canonical schema?
///
/// - every native output path a transform reads exists, with types, values and bounds the transform accepts;
/// - every native input path the adapter writes exists and accepts what the canonical source can hold, and every
///   property the model requires is written;
/// - every canonical value a transform produces (constants, entity types, artifact kinds) is allowed.
///
/// Assumption shared with the executor: a `null` canonical value written through `input.map` into a native
/// property that is not required is left out rather than written as `null`.
public struct StaticCheck: Sendable {
    /// Nil for a bare surface: then only the surface is checked, not what the transforms produce on their own.
    public let adapter: AdapterDefinition?
    public let surface: AdapterSurface
    public let input: SchemaShape
    public let output: SchemaShape
    public let canonical: SchemaShape?

    public init(adapter: AdapterDefinition, surface: AdapterSurface, input: SchemaShape, output: SchemaShape,
                canonical: SchemaShape?) {
        self.adapter = adapter
        self.surface = surface
        self.input = input
        self.output = output
        self.canonical = canonical
    }

    /// A bare surface against native schemas (no adapter, no canonical schema).
    public init(surface: AdapterSurface, input: SchemaShape, output: SchemaShape) {
        self.adapter = nil
        self.surface = surface
        self.input = input
        self.output = output
        self.canonical = nil
    }

    public func findings() -> [ValidationFinding] {
        var result: [ValidationFinding] = []
        for read in surface.reads { result += problems(read) }
        for write in surface.writes { result += problems(write) }
        result += requiredCoverage()
        result += canonicalProblems()
        return result
    }

    // MARK: Output edge

    /// What is wrong with one read against the native output schema.
    public func problems(_ read: AdapterSurface.NativeRead) -> [ValidationFinding] {
        let path = read.pointer.description
        func brk(_ m: String) -> ValidationFinding { ValidationFinding(.breaking, .output, path: path, "\(read.reader): \(m)") }
        func warn(_ m: String) -> ValidationFinding { ValidationFinding(.warning, .output, path: path, "\(read.reader): \(m)") }
        let facet: SchemaFacet
        switch output.facet(at: read.pointer) {
        case .failure(let problem):
            let hint = problem.suggestion.map { " (did you mean '\($0)'?)" } ?? ""
            return [brk("reads a path the native output schema does not have: \(problem.message)\(hint)")]
        case .success(let f): facet = f
        }
        var result: [ValidationFinding] = []
        if let accepts = read.accepts {
            if let types = facet.types {
                let rejected = types.filter { !accepts.accepts($0) }.sorted()
                if rejected == ["null"] {
                    result.append(brk("the model may write null here; the transform needs \(SchemaFacet.describe(accepts))"))
                } else if !rejected.isEmpty {
                    result.append(brk("the model may write \(rejected.joined(separator: " or ")) here; the transform accepts \(SchemaFacet.describe(accepts))"))
                }
            } else {
                result.append(warn("the native schema leaves this unconstrained; the transform needs \(SchemaFacet.describe(accepts))"))
            }
        }
        if let values = facet.strings, facet.values?.count == values.count {
            if let kept = read.keptLabels {
                let emitted = Set(values)
                for label in kept where label.hasPrefix("B-") && !emitted.contains(label) && !emitted.contains("I-" + label.dropFirst(2)) {
                    result.append(warn("label '\(label.dropFirst(2))' is mapped but the model no longer emits it"))
                }
            }
            if let allowed = read.allowed {
                let target = read.target.map { "canonical '\($0)'" } ?? "the target"
                for v in values {
                    let out = read.renames[v] ?? v
                    guard !allowed.contains(out) else { continue }
                    let how = read.renames[v] == nil ? "is not renamed under values" : "is renamed to '\(out)'"
                    result.append(brk("the model may emit '\(v)', which \(how) and \(target) allows only \(allowed.joined(separator: ", "))"))
                }
            }
            for key in read.renames.keys.sorted() where !values.contains(key) {
                result.append(warn("values renames '\(key)', which the model no longer emits"))
            }
        } else if let allowed = read.allowed, read.accepts?.contains("string") ?? true, facet.values == nil {
            result.append(warn("any string may reach canonical '\(read.target?.description ?? "")', which allows only \(allowed.joined(separator: ", "))"))
        }
        result += boundProblems(facet.bounds, against: read.targetBounds, describe: "canonical '\(read.target?.description ?? "")'",
                                make: { sev, m in ValidationFinding(sev, .output, path: path, "\(read.reader): \(m)") })
        return result
    }

    /// Native bounds must be at least as strict as the canonical target's: looser is a break, missing a warning.
    func boundProblems(_ native: [String: Double], against target: [String: Double], describe: String,
                       make: (ValidationFinding.Severity, String) -> ValidationFinding) -> [ValidationFinding] {
        var result: [ValidationFinding] = []
        for key in SchemaFacet.boundKeywords {
            guard let t = target[key] else { continue }
            let lower = SchemaFacet.lowerBounds.contains(key)
            guard let n = native[key] else {
                result.append(make(.warning, "the native schema sets no \(key); \(describe) needs \(key) \(SchemaDiff.number(t))"))
                continue
            }
            if lower ? n < t : n > t {
                result.append(make(.breaking, "the model may write values beyond \(key) \(SchemaDiff.number(t)) of \(describe) (native \(key) is \(SchemaDiff.number(n)))"))
            }
        }
        return result
    }

    // MARK: Input edge

    /// What is wrong with one write against the native input schema.
    public func problems(_ write: AdapterSurface.NativeWrite) -> [ValidationFinding] {
        let path = write.pointer.description
        func brk(_ m: String) -> ValidationFinding { ValidationFinding(.breaking, .input, path: path, "\(write.writer): \(m)") }
        func warn(_ m: String) -> ValidationFinding { ValidationFinding(.warning, .input, path: path, "\(write.writer): \(m)") }
        let facet: SchemaFacet
        switch input.facet(at: write.pointer) {
        case .failure(let problem):
            let hint = problem.suggestion.map { " (did you mean '\($0)'?)" } ?? ""
            return [brk("writes \(write.source) to a path the native input schema does not accept: \(problem.message)\(hint)")]
        case .success(let f): facet = f
        }
        var result: [ValidationFinding] = []
        if let accepted = facet.types {
            if let source = write.facet.types {
                var rejected = source.filter { !accepted.accepts($0) }
                if rejected.contains("null"), !input.isRequiredInParent(write.pointer) { rejected.remove("null") }
                if !rejected.isEmpty {
                    result.append(brk("\(write.source) may be \(rejected.sorted().joined(separator: " or ")); the model accepts \(SchemaFacet.describe(accepted))"))
                }
            } else {
                result.append(warn("\(write.source) is unconstrained; the model accepts \(SchemaFacet.describe(accepted))"))
            }
        }
        if let allowed = facet.values {
            let list = SchemaDiff.list(allowed)
            if let source = write.facet.values {
                let extra = source.filter { !allowed.contains($0) }
                if !extra.isEmpty {
                    result.append(brk("\(write.source) may hold \(SchemaDiff.list(extra)), which the model does not accept (allowed: \(list))"))
                }
            } else {
                result.append(brk("\(write.source) may hold any value; the model accepts only \(list)"))
            }
        }
        for key in SchemaFacet.boundKeywords {
            guard let t = facet.bounds[key] else { continue }
            let lower = SchemaFacet.lowerBounds.contains(key)
            let s = write.facet.bounds[key]
            if let s, lower ? s >= t : s <= t { continue }
            result.append(brk("the model requires \(key) \(SchemaDiff.number(t)); \(write.source) does not guarantee it"))
        }
        return result
    }

    /// Every property the native input requires — at the top and inside every object the adapter writes into —
    /// must be written.
    func requiredCoverage() -> [ValidationFinding] {
        var result: [ValidationFinding] = []
        let writes = surface.writes.map(\.pointer.tokens)
        func walk(_ nodes: [SchemaShape.Node], _ tokens: [NativePointer.Token], depth: Int) {
            guard depth < 16 else { return }
            let facet = SchemaFacet(nodes, in: input)
            for name in facet.required.sorted() {
                let child = tokens + [.key(name)]
                let below = writes.filter { $0.count >= child.count && Array($0.prefix(child.count)) == child }
                guard !below.isEmpty else {
                    result.append(ValidationFinding(.breaking, .input, path: NativePointer(tokens: child).description,
                                                    "the model requires '\(name)', which the adapter does not write"))
                    continue
                }
                guard below.contains(where: { $0.count > child.count }),
                      case .success(let sub) = input.field(name, of: nodes, at: "") else { continue }
                if below.contains(where: { $0.count > child.count && $0[child.count] == .wildcard }),
                   case .success(let elements) = input.elements(of: sub, at: "") {
                    walk(elements, child + [.wildcard], depth: depth + 1)
                } else {
                    walk(sub, child, depth: depth + 1)
                }
            }
        }
        walk(input.root, [], depth: 0)
        return result
    }

    // MARK: Canonical

    /// Values the transforms produce on their own (constants, entity types, artifact kinds) must be allowed.
    func canonicalProblems() -> [ValidationFinding] {
        guard let canonical, let adapter else { return [] }
        var result: [ValidationFinding] = []
        func allowed(_ path: CanonicalPath) -> SchemaFacet? { try? canonical.facet(at: path).get() }
        for (i, transform) in adapter.output.enumerated() {
            let name = "output[\(i)] \(transform.kind.rawValue)"
            switch transform {
            case .json(let t):
                for (j, m) in t.map.enumerated() {
                    guard case .canonical(let target) = m.to else { continue }
                    guard let facet = allowed(target) else {
                        result.append(ValidationFinding(.breaking, .canonical, path: target.description,
                                                        "\(name) map[\(j)] writes a field the canonical schema does not have"))
                        continue
                    }
                    guard case .constant(let v) = m.from else { continue }
                    if let types = facet.types, !types.accepts(SchemaFacet.typeName(v)) {
                        result.append(ValidationFinding(.breaking, .canonical, path: target.description,
                                                        "\(name) map[\(j)] writes \(v.serialized()), but the field is \(SchemaFacet.describe(types))"))
                    } else if let values = facet.values, !values.contains(v) {
                        result.append(ValidationFinding(.breaking, .canonical, path: target.description,
                                                        "\(name) map[\(j)] writes \(v.serialized()), allowed: \(SchemaDiff.list(values))"))
                    }
                }
            case .bioSpans(let b):
                let typePath = AdapterSurface.appending(b.into, "type")
                if let values = allowed(typePath)?.strings {
                    let produced = b.labels.map(\.canonical) + b.merge.map(\.type)
                    for type in Set(produced).sorted() where !values.contains(type) {
                        result.append(ValidationFinding(.breaking, .canonical, path: typePath.description,
                                                        "\(name) produces entity type '\(type)', which the canonical schema does not allow"))
                    }
                }
            case .unifiedDiff(let u):
                let kindPath = AdapterSurface.appending(u.into, "kind")
                if let values = allowed(kindPath)?.strings, !values.contains("diff") {
                    result.append(ValidationFinding(.breaking, .canonical, path: kindPath.description,
                                                    "\(name) produces artifacts of kind 'diff', which the canonical schema does not allow"))
                }
            case .embedding(let e):
                if allowed(e.into) == nil {
                    result.append(ValidationFinding(.breaking, .canonical, path: e.into.description,
                                                    "\(name) writes a field the canonical schema does not have"))
                }
            }
        }
        return result
    }
}
