import Foundation
import Canonical

/// Walks a schema document and builds the `GrammarProgram`, collecting every keyword it cannot enforce.
///
/// Each schema location is compiled once (its node index is registered before its children), so recursive
/// `$ref`s terminate; recursion depth is bounded at run time by `GrammarProgram.maxDepth`.
struct SchemaGrammarCompiler {
    let document: JSONValue
    var nodes: [GrammarNode?] = []
    var index: [String: Int] = [:]
    var tries: [ByteTrie] = []
    var regexes: [RegexAutomaton] = []
    var problems: [GrammarCompileError] = []

    static let annotations: Set<String> = [
        "$schema", "$id", "$comment", "title", "description", "default", "examples", "deprecated", "readOnly",
        "writeOnly", "$defs",
    ]
    static let typeKeywords: [String: Set<String>] = [
        "object": ["properties", "required", "additionalProperties"],
        "array": ["items", "minItems", "maxItems"],
        "string": ["minLength", "maxLength", "pattern"],
        "integer": ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"],
        "number": ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"],
        "boolean": [], "null": [],
    ]
    static let structural: Set<String> = ["type", "enum", "const", "anyOf", "oneOf", "$ref"]
    static var enforceable: Set<String> {
        var s = annotations.union(structural)
        for k in typeKeywords.values { s.formUnion(k) }
        return s
    }

    static let unsupportedReasons: [String: String] = [
        "format": "formats are not enforced while decoding; use \"pattern\" (supported subset) or drop \"format\"",
        "multipleOf": "multiples are not enforced while decoding",
        "uniqueItems": "uniqueness of array items is not enforced while decoding",
        "prefixItems": "tuples are not supported; use \"items\"",
        "contains": "\"contains\" is not enforced while decoding", "minContains": "not enforced while decoding",
        "maxContains": "not enforced while decoding",
        "minProperties": "property counts are not enforced; use \"required\"", "maxProperties": "property counts are not enforced",
        "patternProperties": "objects are generated with their declared \"properties\" only",
        "propertyNames": "objects are generated with their declared \"properties\" only",
        "dependentRequired": "not enforced while decoding", "dependentSchemas": "not enforced while decoding",
        "allOf": "\"allOf\" is not supported; merge the subschemas into one", "not": "\"not\" is not supported",
        "if": "conditionals are not supported", "then": "conditionals are not supported", "else": "conditionals are not supported",
    ]

    init(document: JSONValue) { self.document = document }

    mutating func fail(_ kind: GrammarCompileError.Kind, _ keyword: String, _ pointer: JSONPointer, _ message: String) {
        problems.append(GrammarCompileError(kind, keyword: keyword, pointer: pointer.description, message))
    }

    /// Compiles the schema at `pointer`; returns its node index (a placeholder node when it has problems).
    mutating func compile(_ pointer: JSONPointer) -> Int {
        let key = pointer.description
        if let known = index[key] { return known }
        let id = nodes.count
        nodes.append(nil)
        index[key] = id
        nodes[id] = compileSchema(at: pointer) ?? .literals(trie: emptyTrie())
        return id
    }

    private mutating func emptyTrie() -> Int { tries.append(ByteTrie()); return tries.count - 1 }

    private mutating func compileSchema(at pointer: JSONPointer) -> GrammarNode? {
        guard let value = document.value(at: pointer) else {
            fail(.invalidValue, "schema", pointer, "nothing at this location"); return nil
        }
        switch value {
        case .bool(true):
            fail(.unsupportedUse, "schema", pointer, "the schema 'true' allows any value; give it a \"type\""); return nil
        case .bool(false):
            fail(.unsatisfiable, "schema", pointer, "the schema 'false' allows no value"); return nil
        case .object(let o):
            return compileObjectSchema(o, pointer)
        default:
            fail(.invalidValue, "schema", pointer, "a schema must be an object, found \(value.typeName)"); return nil
        }
    }

    private mutating func compileObjectSchema(_ o: JSONObject, _ p: JSONPointer) -> GrammarNode? {
        // Unsupported keywords are reported; the rest is still compiled so nested problems show up too.
        for key in o.keys where !SchemaGrammarCompiler.enforceable.contains(key) {
            let reason = SchemaGrammarCompiler.unsupportedReasons[key] ?? "this keyword is not supported"
            fail(.unsupportedKeyword, key, p.appending(key), reason)
        }
        let constraints = o.keys.filter { SchemaGrammarCompiler.enforceable.contains($0) && !SchemaGrammarCompiler.annotations.contains($0) }
        func alone(_ keyword: String) -> Bool {
            let others = constraints.filter { $0 != keyword }
            guard others.isEmpty else {
                fail(.unsupportedUse, others[0], p.appending(others[0]),
                     "\"\(keyword)\" must be the only constraint in its schema (found also \(others.map { "\"\($0)\"" }.joined(separator: ", "))); move the other keywords into the alternatives")
                return false
            }
            return true
        }
        if let ref = o["$ref"] {
            guard alone("$ref") else { return nil }
            return compileRef(ref, p)
        }
        for keyword in ["anyOf", "oneOf"] {
            guard let alts = o[keyword] else { continue }
            guard alone(keyword) else { return nil }
            guard case .array(let a) = alts, !a.isEmpty else {
                fail(.invalidValue, keyword, p.appending(keyword), "must be a non-empty array of schemas"); return nil
            }
            let children = a.indices.map { compile(p.appending(keyword).appending($0)) }
            if keyword == "oneOf" { oneOfDisjoint(children, p.appending(keyword)) }
            return .anyOf(children)
        }
        var types: [String]?
        if let t = o["type"] {
            if let s = t.stringValue { types = [s] } else if let a = t.arrayValue, !a.isEmpty, a.allSatisfy({ $0.stringValue != nil }) {
                types = a.compactMap(\.stringValue)
            }
            guard let names = types, names.allSatisfy({ SchemaGrammarCompiler.typeKeywords[$0] != nil }), Set(names).count == names.count else {
                fail(.invalidValue, "type", p.appending("type"), "must be a type name or an array of unique type names"); return nil
            }
        }
        if o["enum"] != nil || o["const"] != nil {
            return compileLiterals(o, types: types, p, constraints: constraints)
        }
        guard let types else {
            fail(.unsupportedUse, "schema", p, "the schema does not say which type to generate; add \"type\" (or \"enum\", \"const\", \"anyOf\", \"$ref\")")
            return nil
        }
        if types.count == 1 { return compileTyped(types[0], o, p) }
        // A type union: one alternative per type, each with the keywords that apply to it.
        var alts: [Int] = []
        for t in types {
            let id = nodes.count
            nodes.append(nil)
            nodes[id] = compileTyped(t, o, p) ?? .literals(trie: emptyTrie())
            alts.append(id)
        }
        return .anyOf(alts)
    }

    private mutating func compileRef(_ ref: JSONValue, _ p: JSONPointer) -> GrammarNode? {
        guard let text = ref.stringValue else { fail(.invalidValue, "$ref", p.appending("$ref"), "must be a string"); return nil }
        guard text.hasPrefix("#") else {
            fail(.unsupportedUse, "$ref", p.appending("$ref"),
                 "\"\(text)\" points outside this document; the grammar follows only local references such as #/$defs/name")
            return nil
        }
        let fragment = String(text.dropFirst()).removingPercentEncodingIfPossible
        guard let target = try? JSONPointer(parsing: fragment), document.value(at: target) != nil else {
            fail(.invalidValue, "$ref", p.appending("$ref"), "\"\(text)\" points to nothing in this document"); return nil
        }
        return .alias(compile(target))
    }

    /// oneOf is generated as anyOf, which is sound only when no value can match two alternatives: required here by
    /// the alternatives starting with different characters (their JSON types differ).
    private mutating func oneOfDisjoint(_ children: [Int], _ p: JSONPointer) {
        var seen: Set<UInt8> = []
        for (i, c) in children.enumerated() {
            var visiting: Set<Int> = []
            let first = firstBytes(c, &visiting)
            if !seen.isDisjoint(with: first) {
                fail(.unsupportedUse, "oneOf", p.appending(i),
                     "alternative \(i) can produce values of the same type as an earlier one, so exactly-one-match cannot be guaranteed; use \"anyOf\" or make the alternatives' types differ")
                return
            }
            seen.formUnion(first)
        }
    }

    static let numberStart = Set(Array("-0123456789".utf8))

    /// The first bytes of the JSON types a node can produce (the whole type's, for literals).
    func firstBytes(_ node: Int, _ visiting: inout Set<Int>) -> Set<UInt8> {
        guard visiting.insert(node).inserted, let n = nodes[node] else { return [] }
        switch n {
        case .alias(let t): return firstBytes(t, &visiting)
        case .object: return [UInt8(ascii: "{")]
        case .array: return [UInt8(ascii: "[")]
        case .string: return [UInt8(ascii: "\"")]
        case .number: return SchemaGrammarCompiler.numberStart
        case .anyOf(let alts): return alts.reduce(into: Set<UInt8>()) { $0.formUnion(firstBytes($1, &visiting)) }
        case .literals(let trie):
            var out: Set<UInt8> = []
            for e in tries[trie].nodes[0].edges {
                if SchemaGrammarCompiler.numberStart.contains(e.byte) { out.formUnion(SchemaGrammarCompiler.numberStart) } else { out.insert(e.byte) }
            }
            return out
        }
    }

    private mutating func compileLiterals(_ o: JSONObject, types: [String]?, _ p: JSONPointer, constraints: [String]) -> GrammarNode? {
        let others = constraints.filter { !["enum", "const", "type"].contains($0) }
        if let first = others.first {
            fail(.unsupportedUse, first, p.appending(first), "\"enum\"/\"const\" can be combined only with \"type\"; list exactly the allowed values instead")
            return nil
        }
        var values: [JSONValue] = []
        if let e = o["enum"] {
            guard let a = e.arrayValue else { fail(.invalidValue, "enum", p.appending("enum"), "must be an array"); return nil }
            values = a
        }
        if let c = o["const"] { values = o["enum"] == nil ? [c] : values.filter { $0 == c } }
        if let types {
            values = values.filter { v in types.contains(v.typeName) || (v.typeName == "integer" && types.contains("number")) }
        }
        guard !values.isEmpty else {
            fail(.unsatisfiable, o["enum"] != nil ? "enum" : "const", p.appending(o["enum"] != nil ? "enum" : "const"),
                 "no listed value matches the schema's \"type\"")
            return nil
        }
        return .literals(trie: literalTrie(values.map { Array($0.serialized().utf8) }))
    }

    private mutating func literalTrie(_ texts: [[UInt8]]) -> Int {
        var trie = ByteTrie()
        for t in texts { trie.insert(t, value: 0, cost: 0) }
        tries.append(trie)
        return tries.count - 1
    }
}

extension String {
    var removingPercentEncodingIfPossible: String { removingPercentEncoding ?? self }
}
