import Foundation

/// Applies a compiled schema to an instance and collects violations.
struct SchemaEvaluator {
    static let maxDepth = 400

    let program: SchemaProgram
    /// True for `isValid` and for sub-schemas of `anyOf`/`oneOf`/`not`/`if`, where only pass or fail matters.
    var stopAtFirst: Bool
    var depth = 0
    /// Where in the instance evaluation is: kept as steps and spelled out as a JSON pointer only for a violation
    /// (most values pass, and a path string built per value cost more than checking the value).
    private var steps: [PathStep] = []

    enum PathStep {
        case key(String)
        case index(Int)
    }

    init(program: SchemaProgram, stopAtFirst: Bool) {
        self.program = program
        self.stopAtFirst = stopAtFirst
    }

    /// The JSON pointer of the current instance location (with `step` appended).
    func path(_ step: PathStep? = nil) -> String {
        var out = ""
        for s in steps + (step.map { [$0] } ?? []) {
            switch s {
            case .key(let k): out += "/" + JSONPointer.escape(k)
            case .index(let i): out += "/\(i)"
            }
        }
        return out
    }

    /// Evaluates a child of the current instance.
    private mutating func child(_ step: PathStep, _ node: Int, _ instance: JSONValue, quickly: Bool = false) -> [SchemaViolation] {
        steps.append(step)
        defer { steps.removeLast() }
        return quickly ? quick(node, instance) : evaluate(node: node, instance: instance)
    }

    mutating func evaluate(node index: Int, instance: JSONValue) -> [SchemaViolation] {
        // The node is read in place, not copied (a copy retains its location and keyword list on every value).
        if let b = program.nodes[index].boolean {
            return b ? [] : [SchemaViolation(instancePath: path(), schemaPath: program.nodes[index].location, keyword: "false",
                                             message: "no value is allowed here (the schema is false)")]
        }
        depth += 1
        defer { depth -= 1 }
        if depth > SchemaEvaluator.maxDepth {
            return [SchemaViolation(instancePath: path(), schemaPath: program.nodes[index].location, keyword: "$ref",
                                    message: "schema recursion deeper than \(SchemaEvaluator.maxDepth) levels (a $ref cycle that never descends into the instance?)")]
        }
        var out: [SchemaViolation] = []
        for k in 0..<program.nodes[index].keywords.count {
            apply(program.nodes[index].keywords[k].check, node: index, keyword: k, instance: instance, into: &out)
            if stopAtFirst && !out.isEmpty { break }
        }
        return out
    }

    /// Pass/fail evaluation of a sub-schema; returns at most the first violations found.
    mutating func quick(_ node: Int, _ instance: JSONValue) -> [SchemaViolation] {
        let saved = stopAtFirst
        stopAtFirst = true
        defer { stopAtFirst = saved }
        return evaluate(node: node, instance: instance)
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    /// Applies keyword `keyword` of node `node` (its name and location are looked up only to report a violation).
    mutating func apply(_ check: Check, node: Int, keyword k: Int, instance: JSONValue,
                        into out: inout [SchemaViolation]) {
        func fail(_ message: String, at step: PathStep? = nil) {
            let keyword = program.nodes[node].keywords[k].name
            out.append(SchemaViolation(instancePath: path(step), schemaPath: program.nodes[node].location + "/" + JSONPointer.escape(keyword),
                                       keyword: keyword, message: message))
        }
        switch check {
        case .ref(let target):
            let r = evaluate(node: target, instance: instance)
            if !r.isEmpty { out += r }

        case .type(let names, let types):
            if !types.accepts(instance) {
                fail("must be \(names.joined(separator: " or ")), found \(instance.typeName)")
            }
        case .enumeration(let values, let set):
            if !(set?.contains(instance) ?? values.contains(instance)) {
                fail("must be one of \(SchemaEvaluator.list(values)), found \(SchemaEvaluator.brief(instance))")
            }
        case .const(let value):
            if instance != value { fail("must be \(SchemaEvaluator.brief(value)), found \(SchemaEvaluator.brief(instance))") }

        case .multipleOf(let m):
            if instance.doubleValue != nil, !SchemaNumbers.isMultiple(instance, of: m) {
                fail("must be a multiple of \(m), found \(instance)")
            }
        case .maximum(let limit):
            if let c = SchemaNumbers.compare(instance, limit), c > 0 { fail("must be <= \(limit), found \(instance)") }
        case .exclusiveMaximum(let limit):
            if let c = SchemaNumbers.compare(instance, limit), c >= 0 { fail("must be < \(limit), found \(instance)") }
        case .minimum(let limit):
            if let c = SchemaNumbers.compare(instance, limit), c < 0 { fail("must be >= \(limit), found \(instance)") }
        case .exclusiveMinimum(let limit):
            if let c = SchemaNumbers.compare(instance, limit), c <= 0 { fail("must be > \(limit), found \(instance)") }

        case .maxLength(let n):
            if let s = instance.stringValue, s.unicodeScalars.count > n {
                fail("must be at most \(n) characters long, found \(s.unicodeScalars.count)")
            }
        case .minLength(let n):
            if let s = instance.stringValue, s.unicodeScalars.count < n {
                fail("must be at least \(n) characters long, found \(s.unicodeScalars.count)")
            }
        case .pattern(let regex):
            if let s = instance.stringValue, !regex.matches(s) {
                fail("must match pattern \(JSONValue.string(regex.source)), found \(SchemaEvaluator.brief(instance))")
            }

        case .maxItems(let n):
            if let a = instance.arrayValue, a.count > n { fail("must have at most \(n) items, found \(a.count)") }
        case .minItems(let n):
            if let a = instance.arrayValue, a.count < n { fail("must have at least \(n) items, found \(a.count)") }
        case .uniqueItems:
            if let a = instance.arrayValue {
                var seen: [JSONValue: Int] = [:]
                for (i, v) in a.enumerated() {
                    if let first = seen[v] { fail("items must be unique, but items \(first) and \(i) are equal"); break }
                    seen[v] = i
                }
            }
        case .prefixItems(let nodes):
            if let a = instance.arrayValue {
                for (i, node) in nodes.enumerated() where i < a.count {
                    let r = child(.index(i), node, a[i])
                    if !r.isEmpty { out += r }
                    if stopAtFirst && !out.isEmpty { return }
                }
            }
        case .items(let node, let after):
            if let a = instance.arrayValue, a.count > after {
                if program.nodes[node].boolean == false {
                    fail("array must have at most \(after) items, found \(a.count)", at: .index(after))
                    return
                }
                for i in after..<a.count {
                    let r = child(.index(i), node, a[i])
                    if !r.isEmpty { out += r }
                    if stopAtFirst && !out.isEmpty { return }
                }
            }
        case .contains(let node, let minC, let maxC):
            if let a = instance.arrayValue {
                var matches = 0
                for (i, v) in a.enumerated() where child(.index(i), node, v, quickly: true).isEmpty { matches += 1 }
                if matches < minC { fail("must contain at least \(minC) item(s) matching \"contains\", found \(matches)") }
                if let maxC, matches > maxC { fail("must contain at most \(maxC) item(s) matching \"contains\", found \(matches)") }
            }

        case .maxProperties(let n):
            if let o = instance.objectValue, o.count > n { fail("must have at most \(n) properties, found \(o.count)") }
        case .minProperties(let n):
            if let o = instance.objectValue, o.count < n { fail("must have at least \(n) properties, found \(o.count)") }
        case .required(let names):
            if let o = instance.objectValue {
                for name in names where !o.contains(key: name) { fail("missing required property \"\(name)\"") }
            }
        case .dependentRequired(let pairs):
            if let o = instance.objectValue {
                for (key, needed) in pairs where o.contains(key: key) {
                    for n in needed where !o.contains(key: n) { fail("property \"\(key)\" requires property \"\(n)\"") }
                }
            }
        case .properties(let pairs):
            if let o = instance.objectValue {
                for (name, node) in pairs {
                    guard let v = o[name] else { continue }
                    let r = child(.key(name), node, v)
                    if !r.isEmpty { out += r }
                    if stopAtFirst && !out.isEmpty { return }
                }
            }
        case .patternProperties(let pairs):
            if let o = instance.objectValue {
                for (regex, node) in pairs {
                    for name in o.keys where regex.matches(name) {
                        guard let v = o[name] else { continue }
                        out += child(.key(name), node, v)
                        if stopAtFirst && !out.isEmpty { return }
                    }
                }
            }
        case .additionalProperties(let node, let named, let patterns):
            if let o = instance.objectValue {
                // Keys first: most members are named, and their values need no lookup.
                for name in o.keys where !named.contains(name) && !patterns.contains(where: { $0.matches(name) }) {
                    guard let v = o[name] else { continue }
                    if program.nodes[node].boolean == false {
                        fail("property \"\(name)\" is not allowed (additionalProperties is false)", at: .key(name))
                    } else {
                        out += child(.key(name), node, v)
                    }
                    if stopAtFirst && !out.isEmpty { return }
                }
            }
        case .propertyNames(let node):
            if let o = instance.objectValue {
                for name in o.keys {
                    if let first = quick(node, .string(name)).first {
                        fail("property name \"\(name)\" is invalid: \(first.message)", at: .key(name))
                    }
                }
            }
        case .dependentSchemas(let pairs):
            if let o = instance.objectValue {
                for (key, node) in pairs where o.contains(key: key) { out += evaluate(node: node, instance: instance) }
            }

        case .allOf(let nodes):
            for node in nodes {
                out += evaluate(node: node, instance: instance)
                if stopAtFirst && !out.isEmpty { return }
            }
        case .anyOf(let nodes):
            var failures: [[SchemaViolation]] = []
            for node in nodes {
                let r = quick(node, instance)
                if r.isEmpty { return }
                failures.append(r)
            }
            // Reasons are spelled out only now: an earlier alternative failing is common and costs nothing then.
            let base = path()
            let reasons = failures.enumerated().map { SchemaEvaluator.reason($0.offset, $0.element, base: base) }
            fail("must match at least one schema in anyOf, matched none (\(reasons.joined(separator: "; ")))")
        case .oneOf(let nodes):
            var passing: [Int] = []
            var reasons: [String] = []
            for (i, node) in nodes.enumerated() {
                let r = quick(node, instance)
                if r.isEmpty { passing.append(i) } else { reasons.append(SchemaEvaluator.reason(i, r, base: path())) }
            }
            if passing.isEmpty {
                fail("must match exactly one schema in oneOf, matched none (\(reasons.joined(separator: "; ")))")
            } else if passing.count > 1 {
                fail("must match exactly one schema in oneOf, matched \(passing.count) (alternatives \(passing.map(String.init).joined(separator: ", ")))")
            }
        case .not(let node):
            if quick(node, instance).isEmpty { fail("must not match the schema in \"not\"") }
        case .conditional(let ifNode, let thenNode, let elseNode):
            if quick(ifNode, instance).isEmpty {
                if let thenNode { out += evaluate(node: thenNode, instance: instance) }
            } else if let elseNode {
                out += evaluate(node: elseNode, instance: instance)
            }
        }
    }

    /// `0: /sub/path must be ...`: the first reason an alternative failed, its path relative to `base`.
    static func reason(_ i: Int, _ violations: [SchemaViolation], base: String) -> String {
        guard let v = violations.first else { return "\(i): ok" }
        let relative = v.instancePath.hasPrefix(base) ? String(v.instancePath.dropFirst(base.count)) : v.instancePath
        return "\(i): \(relative.isEmpty ? "" : relative + " ")\(v.message)"
    }

    static func brief(_ v: JSONValue) -> String {
        let s = v.serialized()
        return s.count > 80 ? String(s.prefix(77)) + "..." : s
    }

    static func list(_ values: [JSONValue]) -> String {
        let shown = values.prefix(12).map { brief($0) }.joined(separator: ", ")
        return values.count > 12 ? shown + ", ... (\(values.count) values)" : shown
    }
}

/// Exact numeric comparisons: integers compare as integers; decimals by their shortest decimal text.
enum SchemaNumbers {
    /// -1, 0, 1, or nil when either value is not a number.
    static func compare(_ a: JSONValue, _ b: JSONValue) -> Int? {
        if case .integer(let x) = a, case .integer(let y) = b { return x < y ? -1 : (x == y ? 0 : 1) }
        guard let x = a.doubleValue, let y = b.doubleValue else { return nil }
        return x < y ? -1 : (x == y ? 0 : 1)
    }

    static func isMultiple(_ value: JSONValue, of divisor: JSONValue) -> Bool {
        if let x = value.int64Value, let m = divisor.int64Value, m != 0 { return x % m == 0 }
        guard let x = value.doubleValue, let m = divisor.doubleValue, m != 0 else { return false }
        // Decimal arithmetic on the literal values, so 0.0075 is a multiple of 0.0001 (binary doubles say no).
        if let dx = Decimal(string: x.description), let dm = Decimal(string: m.description), !dx.isNaN, !dm.isNaN {
            var q = dx / dm
            var rounded = Decimal()
            NSDecimalRound(&rounded, &q, 0, .plain)
            return rounded * dm == dx
        }
        let q = x / m
        return q.isFinite && q == q.rounded()
    }
}
