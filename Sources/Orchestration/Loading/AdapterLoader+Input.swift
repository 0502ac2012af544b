import Yams
import Canonical

extension AdapterLoader {
    /// `input:` takes one of three shapes, chosen by its keys: `text` (+ `window`) for encoders reading one field,
    /// `map` for models whose native input is JSON built from canonical fields, `template` for generators.
    func loadInput(_ node: Node, context: Context) -> InputSpec? {
        let checks = PathChecks(reader: reader)
        guard case .mapping(let m) = node else {
            reader.error(node, "input is \(NodeReader.kind(node))", expected: "a mapping")
            return nil
        }
        let keys = Set(m.keys.compactMap(\.string))
        let generation = context.task == .generation
        if keys.contains("template") || (generation && !keys.contains("text") && !keys.contains("map")) {
            if let task = context.task, !generation {
                reader.error(node, "input.template is for generation models, but model.task is \(task.rawValue)",
                             expected: "input.text (with window) or input.map")
            }
            return loadPrompt(node, context: context, checks: checks)
        }
        if generation {
            reader.error(node, "generation models take a prompt", expected: "input.template (and optionally system, chat, grammar)")
            return nil
        }
        if keys.contains("map") {
            guard let f = reader.mapping(node, "input (map)", required: ["map"]) else { return nil }
            guard let n = f["map"] else { return nil }
            let list = FieldMappingLoader(reader: reader, context: context).loadList(n, "input.map", direction: .canonicalToNative)
            return list.map(InputSpec.fields)
        }
        guard let f = reader.mapping(node, "input", required: ["text"], optional: ["window"]) else { return nil }
        var text: CanonicalPath?
        if let n = f["text"], let p = checks.canonicalPath(n, "input.text") {
            checks.exists(p, in: context.canonical, at: n, "input.text")
            text = p
        }
        var window: WindowSpec?
        if let n = f["window"], let wf = reader.mapping(n, "input.window", required: ["maxTokens"], optional: ["overlap"]) {
            let max = wf["maxTokens"].flatMap { reader.int($0, "input.window.maxTokens", minimum: 8) }
            let overlap = wf["overlap"].map { reader.int($0, "input.window.overlap", minimum: 0) } ?? 0
            if let max, let overlap, overlap >= max, let on = wf["overlap"] {
                reader.error(on, "input.window.overlap \(overlap) is not below maxTokens \(max)", expected: "overlap < maxTokens")
            } else if let max, let overlap {
                window = WindowSpec(maxTokens: max, overlap: overlap)
            }
        }
        guard let text else { return nil }
        return .text(TextInput(text: text, window: window))
    }

    func loadPrompt(_ node: Node, context: Context, checks: PathChecks) -> InputSpec? {
        guard let f = reader.mapping(node, "input (prompt)", required: ["template"],
                                     optional: ["system", "chat", "grammar", "answer", "quote"]) else {
            return nil
        }
        let main = f["template"].flatMap { promptTemplate($0, "input.template", context: context, checks: checks) }
        var system: PromptTemplate?
        var systemOK = true
        if let n = f["system"] {
            system = promptTemplate(n, "input.system", context: context, checks: checks)
            systemOK = system != nil
        }
        let chat = f["chat"].map { reader.oneOf(PromptInput.ChatMode.self, $0, "input.chat") } ?? .auto
        let answer = f["answer"].map { reader.oneOf(PromptInput.AnswerFormat.self, $0, "input.answer") } ?? .json
        // A code block is free text: no JSON grammar can produce it, so it decodes without one.
        let grammar = f["grammar"].map { reader.oneOf(PromptInput.GrammarMode.self, $0, "input.grammar") }
            ?? (answer == .codeBlock ? PromptInput.GrammarMode.none : .nativeOutput)
        if answer == .codeBlock, grammar == .nativeOutput, let n = f["grammar"] {
            reader.error(n, "input.grammar: native-output decodes JSON, but input.answer is code-block (free text with a fenced block)",
                         expected: "input.grammar: none (the default with code-block), or input.answer: json")
        }
        if let grammar, answer != .codeBlock { checkGrammar(grammar, context: context) }
        var quotes: [QuoteSpec]? = []
        if let n = f["quote"] {
            quotes = loadQuotes(n, context: context, checks: checks)
            if grammar == PromptInput.GrammarMode.none {
                reader.error(n, "input.quote is enforced by the output grammar, but input.grammar is none",
                             expected: "input.grammar: native-output, or no input.quote")
            }
        }
        guard let main, let chat, let grammar, let answer, let quotes, systemOK else { return nil }
        if answer == .codeBlock, grammar == .nativeOutput { return nil }
        return .prompt(PromptInput(system: system, template: main, chat: chat, grammar: grammar, answer: answer, quotes: quotes))
    }

    /// `input.quote: [{at, from, unit}]`: `at` a plain string of the native output schema (reached through
    /// `properties`/`items`, so it can be narrowed to an `enum` per record), `from` a string field of the record.
    func loadQuotes(_ node: Node, context: Context, checks: PathChecks) -> [QuoteSpec]? {
        guard let items = reader.sequence(node, "input.quote") else { return nil }
        if items.isEmpty { reader.error(node, "input.quote is empty", expected: "at least one {at, from, unit} entry") }
        var result: [QuoteSpec] = []
        var ok = !items.isEmpty
        for (i, item) in items.enumerated() {
            let what = "input.quote[\(i)]"
            guard let f = reader.mapping(item, what, required: ["at", "from"], optional: ["unit"]) else { ok = false; continue }
            var at: NativePointer?
            if let n = f["at"], let p = checks.nativePointer(n, "\(what).at") {
                at = p
                if checks.exists(p, in: context.nativeOutput, at: n, "\(what).at") != nil, let output = context.nativeOutput,
                   let problem = QuotedChoices.checkNarrowable(p, in: output.schema.root) {
                    reader.error(n, "\(what).at '\(p)' cannot be quoted in \(output.path): \(problem.message)",
                                 expected: "a pointer to a {\"type\": \"string\"} schema through properties and items")
                    at = nil
                }
                if let p = at, result.contains(where: { $0.at == p }) {
                    reader.error(n, "\(what).at '\(p)' is quoted twice", expected: "one entry per native string")
                    at = nil
                }
            }
            var from: CanonicalPath?
            if let n = f["from"], let p = checks.canonicalPath(n, "\(what).from") {
                from = p
                if let nodes = checks.exists(p, in: context.canonical, at: n, "\(what).from") {
                    let strings = nodes.allSatisfy { node in
                        guard case .schema(let o) = node, let types = SchemaShape.types(o) else { return true }
                        return types.contains("string")
                    }
                    if !strings {
                        reader.error(n, "\(what).from '\(p)' is not a string field of the canonical schema",
                                     expected: "a text field such as document.text or artifacts[].path")
                        from = nil
                    }
                } else if context.canonical != nil {
                    from = nil
                }
            }
            let unit = f["unit"].map { reader.oneOf(QuoteSpec.Unit.self, $0, "\(what).unit") } ?? .whole
            if let at, let from, let unit { result.append(QuoteSpec(at: at, from: from, unit: unit)) } else { ok = false }
        }
        return ok ? result : nil
    }

    func promptTemplate(_ node: Node, _ what: String, context: Context, checks: PathChecks) -> PromptTemplate? {
        guard let text = reader.string(node, what) else { return nil }
        switch PromptTemplateParser.parse(text) {
        case .failure(let e):
            reader.error(node, offset: e.offset, "\(what): \(e.message)", expected: "placeholders like {{document.text}}")
            return nil
        case .success(let (template, placed)):
            for (path, offset) in placed {
                checks.exists(path, in: context.canonical, at: node, offset: offset, "placeholder in \(what)")
            }
            return template
        }
    }
}
