import Canonical

extension SchemaGrammarCompiler {
    /// The node for one JSON type, reading the keywords that apply to it.
    mutating func compileTyped(_ type: String, _ o: JSONObject, _ p: JSONPointer) -> GrammarNode? {
        switch type {
        case "null": return .literals(trie: literalTrieOf(["null"]))
        case "boolean": return .literals(trie: literalTrieOf(["true", "false"]))
        case "string": return compileString(o, p)
        case "integer", "number": return compileNumber(integer: type == "integer", o, p)
        case "array": return compileArray(o, p)
        default: return compileObject(o, p)
        }
    }

    private mutating func literalTrieOf(_ texts: [String]) -> Int {
        var trie = ByteTrie()
        for t in texts { trie.insert(Array(t.utf8), value: 0, cost: 0) }
        tries.append(trie)
        return tries.count - 1
    }

    private mutating func count(_ o: JSONObject, _ keyword: String, _ p: JSONPointer) -> Int?? {
        guard let v = o[keyword] else { return .some(nil) }
        guard let n = v.intValue, n >= 0 else {
            fail(.invalidValue, keyword, p.appending(keyword), "must be a non-negative integer"); return nil
        }
        return .some(n)
    }

    private mutating func compileString(_ o: JSONObject, _ p: JSONPointer) -> GrammarNode? {
        guard let minL = count(o, "minLength", p), let maxL = count(o, "maxLength", p) else { return nil }
        let minLength = minL ?? 0, maxLength = maxL ?? Int(Int32.max)
        guard minLength <= maxLength else {
            fail(.unsatisfiable, "minLength", p.appending("minLength"), "minLength \(minLength) is above maxLength \(maxLength)"); return nil
        }
        var regex: Int?
        if let pattern = o["pattern"] {
            guard let source = pattern.stringValue else { fail(.invalidValue, "pattern", p.appending("pattern"), "must be a string"); return nil }
            do {
                let tree = try RegexSubsetParser.parse(source)
                let automaton = try RegexAutomaton(tree: tree, minLength: minLength, maxLength: maxLength)
                guard automaton.feasible(RegexAutomaton.start, lo: minLength, hi: maxLength) else {
                    fail(.unsatisfiable, "pattern", p.appending("pattern"), "no string of \(minLength)...\(maxLength) characters matches \"\(source)\""); return nil
                }
                regexes.append(automaton)
                regex = regexes.count - 1
            } catch {
                fail(.unsupportedUse, "pattern", p.appending("pattern"), "\"\(source)\": \(error.message)"); return nil
            }
        }
        return .string(StringSpec(minLength: minLength, maxLength: maxLength, regex: regex))
    }

    private mutating func compileNumber(integer: Bool, _ o: JSONObject, _ p: JSONPointer) -> GrammarNode? {
        var bounds: [String: Double] = [:]
        for k in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] {
            guard let v = o[k] else { continue }
            guard let d = v.doubleValue, d.isFinite else { fail(.invalidValue, k, p.appending(k), "must be a number"); return nil }
            bounds[k] = d
        }
        guard let spec = DecimalSpec.make(integer: integer, minimum: bounds["minimum"], exclusiveMinimum: bounds["exclusiveMinimum"],
                                          maximum: bounds["maximum"], exclusiveMaximum: bounds["exclusiveMaximum"]) else {
            let k = bounds.keys.sorted().first ?? "type"
            fail(.unsatisfiable, k, p.appending(k), "no \(integer ? "integer" : "number") the grammar can write lies within the bounds")
            return nil
        }
        return .number(spec)
    }

    private mutating func compileArray(_ o: JSONObject, _ p: JSONPointer) -> GrammarNode? {
        guard let minI = count(o, "minItems", p), let maxI = count(o, "maxItems", p) else { return nil }
        let minItems = minI ?? 0, maxItems = maxI ?? Int(Int32.max)
        guard minItems <= maxItems else {
            fail(.unsatisfiable, "minItems", p.appending("minItems"), "minItems \(minItems) is above maxItems \(maxItems)"); return nil
        }
        guard o["items"] != nil else {
            if maxItems == 0 { return .array(item: 0, min: 0, max: 0) }
            fail(.unsupportedUse, "schema", p, "an array needs \"items\" (the schema of its elements) for generation"); return nil
        }
        if o["items"]?.boolValue == false {
            guard minItems == 0 else { fail(.unsatisfiable, "items", p.appending("items"), "items is false but minItems is \(minItems)"); return nil }
            return .array(item: 0, min: 0, max: 0)
        }
        return .array(item: compile(p.appending("items")), min: minItems, max: maxItems)
    }

    private mutating func compileObject(_ o: JSONObject, _ p: JSONPointer) -> GrammarNode? {
        var required: [String] = []
        if let r = o["required"] {
            guard let a = r.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else {
                fail(.invalidValue, "required", p.appending("required"), "must be an array of strings"); return nil
            }
            required = a.compactMap(\.stringValue)
        }
        var declared: [(String, JSONValue)] = []
        if let props = o["properties"] {
            guard case .object(let m) = props else { fail(.invalidValue, "properties", p.appending("properties"), "must be an object"); return nil }
            declared = m.map { ($0.key, $0.value) }
        }
        let names = Set(declared.map(\.0))
        for (i, r) in required.enumerated() where !names.contains(r) {
            fail(.unsupportedUse, "required", p.appending("required").appending(i),
                 "required property \"\(r)\" is not in \"properties\"; the grammar generates declared properties only")
        }
        var properties: [ObjectSpec.Property] = []
        for (name, schema) in declared {
            let isRequired = required.contains(name)
            if schema.boolValue == false {
                if isRequired { fail(.unsatisfiable, "properties", p.appending("properties").appending(name), "required property \"\(name)\" has the schema false") }
                continue
            }
            properties.append(ObjectSpec.Property(key: name, required: isRequired, node: compile(p.appending("properties").appending(name))))
        }
        return .object(ObjectSpec(properties: properties, keyTries: [], closable: []))
    }

    /// Least stack heights (fixpoint over recursion), then key tries that skip keys whose value cannot fit.
    mutating func finish(root: Int, maxDepth: Int) throws(GrammarCompileError) -> GrammarProgram {
        if var first = problems.first {
            first.additionalProblems = Array(problems.dropFirst())
            throw first
        }
        let resolved = nodes.compactMap { $0 }
        let infinite = Int.max / 4
        var depth = [Int](repeating: infinite, count: resolved.count)
        var changed = true
        while changed {
            changed = false
            for (i, n) in resolved.enumerated() {
                let d: Int
                switch n {
                case .alias(let t): d = depth[t]
                case .anyOf(let alts): d = alts.map { depth[$0] }.min() ?? infinite
                case .array(let item, let min, _): d = min > 0 ? 1 + depth[item] : 1
                case .object(let spec):
                    d = 1 + (spec.properties.filter(\.required).map { depth[$0.node] }.max() ?? 0)
                case .string, .number: d = 1
                case .literals(let t): d = tries[t].nodes.count > 1 ? 1 : infinite
                }
                let capped = min(d, infinite)
                if capped < depth[i] { depth[i] = capped; changed = true }
            }
        }
        if depth[root] > maxDepth {
            throw GrammarCompileError(.unsatisfiable, keyword: "$ref", pointer: "",
                 depth[root] >= infinite ? "the schema's recursion has no way to end (every branch recurses)"
                                         : "the smallest valid value nests \(depth[root]) levels, above the depth limit \(maxDepth)")
        }
        var out = resolved
        for (node, n) in resolved.enumerated() {
            guard case .object(let spec) = n else { continue }
            let properties = spec.properties
            var keyTries: [Int] = []
            var closable: [Bool] = []
            for start in 0...properties.count {
                var trie = ByteTrie()
                var j = start
                while j < properties.count {
                    let prop = properties[j]
                    let text = Array((JSONValue.string(prop.key).serialized() + ":").utf8)
                    trie.insert(text, value: Int32(j), cost: Int32(min(depth[prop.node], Int(Int32.max))))
                    if prop.required { break }
                    j += 1
                }
                tries.append(trie)
                keyTries.append(tries.count - 1)
                closable.append(!properties[start...].contains { $0.required })
            }
            out[node] = .object(ObjectSpec(properties: properties, keyTries: keyTries, closable: closable))
        }
        return GrammarProgram(nodes: out, tries: tries, regexes: regexes, minDepth: depth, root: root, maxDepth: maxDepth)
    }
}
