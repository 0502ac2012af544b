import Yams

/// Reads `Chains/<name>.yaml` into a `ChainDefinition`, resolving step references (adapters, `needs`) and parsing
/// `when:` expressions, reporting every problem.
public struct ChainLoader {
    public let reader: NodeReader
    /// The file name without `.yaml`, which `chain:` must equal.
    public let stem: String
    /// Ids of every adapter file in the project, loaded or not (a broken adapter is reported in its own file).
    public let adapterIDs: [String]
    /// The adapters that loaded, for checks that need their content (fallback task).
    public let adapters: [String: AdapterDefinition]
    /// The canonical schema, for checking paths in `when:`.
    public let canonical: SchemaShape?

    public init(reader: NodeReader, stem: String, adapterIDs: [String], adapters: [String: AdapterDefinition],
                canonical: SchemaShape?) {
        self.reader = reader
        self.stem = stem
        self.adapterIDs = adapterIDs
        self.adapters = adapters
        self.canonical = canonical
    }

    public func load(_ root: Node) -> ChainDefinition? {
        let before = reader.log.count
        guard let f = reader.mapping(root, "chain", required: ["chain", "description", "input", "steps"],
                                     optional: ["output"]) else { return nil }
        let name = f["chain"].flatMap { reader.string($0, "chain") }
        if let name, let n = f["chain"] {
            if name != stem { reader.error(n, "chain name '\(name)' differs from the file name '\(stem).yaml'", expected: "chain: \(stem)") }
            if !Identifier.isValid(name) { reader.error(n, "chain name '\(name)' is not a valid name", expected: Identifier.expectation) }
        }
        let description = f["description"].flatMap { reader.string($0, "description") }
        let input = f["input"].flatMap(loadInput)
        let steps = f["steps"].flatMap(loadSteps)
        var output: ChainOutput? = ChainOutput(format: .jsonl)
        if let n = f["output"] {
            output = reader.mapping(n, "output", required: ["format"]).flatMap { of in
                of["format"].flatMap { reader.oneOf(ChainOutput.Format.self, $0, "output.format") }.map(ChainOutput.init)
            }
        }
        guard reader.log.count == before, let name, let description, let input, let steps, let output else { return nil }
        return ChainDefinition(name: name, description: description, input: input, steps: steps, output: output,
                               location: reader.location(root))
    }

    func loadInput(_ node: Node) -> ChainInput? {
        guard let f = reader.mapping(node, "input", required: ["format"], optional: ["id", "text"]) else { return nil }
        guard let format = f["format"].flatMap({ reader.oneOf(ChainInput.Format.self, $0, "input.format") }) else { return nil }
        var fields: [String: String] = [:]
        for key in ["id", "text"] {
            guard let n = f[key], let value = reader.string(n, "input.\(key)") else { continue }
            if format != .jsonl {
                reader.error(f.keyNode(key), "input.\(key) applies only to jsonl input, not \(format.rawValue)")
            }
            fields[key] = value
        }
        return ChainInput(format: format, idField: fields["id"] ?? "id", textField: fields["text"] ?? "text")
    }

    static let stepKeys = ["adapter", "check", "transform", "needs", "when", "fallback", "limits"]

    func loadSteps(_ node: Node) -> [ChainStep]? {
        guard let items = reader.sequence(node, "steps") else { return nil }
        if items.isEmpty { reader.error(node, "steps is empty", expected: "at least one step") }
        // Ids first, so `needs` can name a step defined further down.
        var idNodes: [String: Node] = [:]
        var ids: [String] = []
        for item in items {
            guard case .mapping(let m) = item, let n = m["id"], let id = n.scalar?.string else { continue }
            if idNodes[id] == nil { idNodes[id] = n; ids.append(id) }
        }
        var steps: [ChainStep] = []
        var seen: [String: Node] = [:]
        var needsNodes: [String: [(String, Node)]] = [:]
        for (i, item) in items.enumerated() {
            let what = "steps[\(i)]"
            guard let f = reader.mapping(item, what, required: ["id"], optional: Self.stepKeys) else { continue }
            guard let idNode = f["id"], let id = reader.string(idNode, "\(what).id") else { continue }
            if !Identifier.isValid(id) { reader.error(idNode, "step id '\(id)' is not a valid id", expected: Identifier.expectation) }
            let label = "step '\(id)'"
            if let first = seen[id] {
                // Still read the duplicate, so its other problems show too; it joins neither the steps nor the graph.
                reader.error(idNode, "duplicate step id '\(id)' (first defined at line \(first.mark?.line ?? 0))")
                var ignored: [String: [(String, Node)]] = [:]
                _ = loadStep(f, id: id, label: label, stepIDs: ids, needsNodes: &ignored)
                continue
            }
            seen[id] = idNode
            if let step = loadStep(f, id: id, label: label, stepIDs: ids, needsNodes: &needsNodes) { steps.append(step) }
        }
        reportCycles(ids: ids, needs: needsNodes)
        return steps.count == items.count && !items.isEmpty ? steps : nil
    }

    func loadStep(_ f: YAMLFields, id: String, label: String, stepIDs: [String],
                  needsNodes: inout [String: [(String, Node)]]) -> ChainStep? {
        let before = reader.log.count
        var action: StepAction?
        let kinds = ["adapter", "check", "transform"].filter { f.has($0) }
        if kinds.count > 1 {
            reader.error(f.keyNode(kinds[1]), "\(label) has both '\(kinds[0])' and '\(kinds[1])'", expected: "exactly one of adapter, check, transform")
        } else if let a = f["adapter"] {
            action = adapterReference(a, label).map(StepAction.adapter)
        } else if let c = f["check"] {
            action = reader.oneOf(CheckKind.self, c, "\(label) check").map(StepAction.check)
        } else if let t = f["transform"] {
            action = reader.oneOf(StepTransformKind.self, t, "\(label) transform").map(StepAction.transform)
        } else {
            reader.error(f.node, "\(label) has neither 'adapter' nor 'check'", expected: "adapter: <id>, check: <kind> or transform: <kind>")
        }
        var needs: [String] = []
        if let n = f["needs"], let list = reader.strings(n, "\(label) needs") {
            for (name, node) in list {
                if name == id {
                    reader.error(node, "\(label) needs itself")
                } else if !stepIDs.contains(name) {
                    reader.error(node, "\(label) needs unknown step '\(name)'", expected: "one of: \(stepIDs.joined(separator: ", "))",
                                 suggestion: Suggestions.closest(to: name, in: stepIDs.filter { $0 != id }))
                } else if needs.contains(name) {
                    reader.error(node, "\(label) lists '\(name)' twice in needs")
                } else {
                    needs.append(name)
                    needsNodes[id, default: []].append((name, node))
                }
            }
        }
        var when: WhenExpression?
        var whenSource: String?
        if let n = f["when"], let text = reader.string(n, "\(label) when") {
            whenSource = text
            switch WhenExpressionParser.parse(text) {
            case .failure(let e):
                reader.error(n, offset: e.offset, "\(label) when: \(e.message)",
                             expected: "an expression like entities.count > 0 and document.language == \"en\"")
            case .success(let expr):
                when = expr
                let checks = PathChecks(reader: reader)
                for path in expr.paths {
                    checks.exists(path, in: canonical, at: n, offset: Self.offset(of: path.description, in: text),
                                  "\(label) when", allowCount: true)
                }
            }
        }
        var fallback: String?
        if let n = f["fallback"] {
            fallback = adapterReference(n, "\(label) fallback")
            if case .check? = action { reader.error(n, "\(label) is a check; only adapter steps take a fallback") }
            if case .transform? = action { reader.error(n, "\(label) is a transform; only adapter steps take a fallback") }
            if let fallback, case .adapter(let primary)? = action {
                if fallback == primary {
                    reader.error(n, "\(label) falls back to its own adapter '\(primary)'", expected: "a different adapter")
                } else if let a = adapters[primary], let b = adapters[fallback], a.model.task != b.model.task {
                    reader.error(n, "\(label) fallback '\(fallback)' is a \(b.model.task.rawValue) adapter, but '\(primary)' is \(a.model.task.rawValue)",
                                 expected: "an adapter of the same task")
                }
            }
        }
        var limits = StepLimits()
        if let n = f["limits"], let lf = reader.mapping(n, "\(label) limits", optional: ["maxTokens", "timeout"]) {
            limits.maxTokens = lf["maxTokens"].flatMap { reader.int($0, "\(label) limits.maxTokens", minimum: 1) }
            if let tn = lf["timeout"], let text = reader.string(tn, "\(label) limits.timeout") {
                limits.timeout = DurationText.parse(text)
                if limits.timeout == nil {
                    reader.error(tn, "\(label) limits.timeout '\(text)' is not a duration", expected: "a duration like 500ms, 30s, 2m or 1m30s")
                }
            }
        }
        guard reader.log.count == before, let action else { return nil }
        return ChainStep(id: id, action: action, needs: needs, when: when, whenSource: whenSource, fallback: fallback,
                         limits: limits, location: reader.location(f.node))
    }

    /// An adapter id that must name a file in `Adapters/`.
    func adapterReference(_ node: Node, _ what: String) -> String? {
        guard let id = reader.string(node, what) else { return nil }
        guard adapterIDs.contains(id) else {
            reader.error(node, "\(what): unknown adapter '\(id)'",
                         expected: adapterIDs.isEmpty ? "an adapter file in Adapters/" : "one of: \(adapterIDs.joined(separator: ", "))",
                         suggestion: Suggestions.closest(to: id, in: adapterIDs))
            return nil
        }
        return id
    }

    /// Where a path first appears in an expression (for pointing at it), or 0.
    static func offset(of needle: String, in text: String) -> Int {
        guard let range = text.range(of: needle) else { return 0 }
        return text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: range.lowerBound)
    }

    /// Reports each dependency cycle once, at the `needs` entry that closes it.
    func reportCycles(ids: [String], needs: [String: [(String, Node)]]) {
        var state: [String: Int] = [:]  // 0 unvisited, 1 on stack, 2 done
        var stack: [String] = []
        func visit(_ id: String) {
            state[id] = 1
            stack.append(id)
            for (next, node) in needs[id] ?? [] {
                switch state[next] ?? 0 {
                case 0: visit(next)
                case 1:
                    let start = stack.lastIndex(of: next) ?? 0
                    let cycle = stack[start...] + [next]
                    reader.error(node, "steps form a dependency cycle: \(cycle.joined(separator: " → "))",
                                 expected: "needs that form no cycle")
                default: break
                }
            }
            stack.removeLast()
            state[id] = 2
        }
        for id in ids where (state[id] ?? 0) == 0 { visit(id) }
    }
}
