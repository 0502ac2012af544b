import Foundation

/// The schema object being compiled and where it is.
struct KeywordContext {
    let document: Int
    let pointer: JSONPointer
    let object: JSONObject
    func at(_ keyword: String) -> String { pointer.appending(keyword).description }
}

extension SchemaCompiler {
    /// Keywords accepted without effect on validation (annotations and identifiers).
    static let annotationKeywords: Set<String> = [
        "$comment", "title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly", "format",
    ]

    /// Every keyword this validator understands; anything else is refused at load.
    static let supportedKeywords: Set<String> = annotationKeywords.union([
        "$schema", "$id", "$defs", "$ref",
        "type", "enum", "const",
        "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
        "maxLength", "minLength", "pattern",
        "maxItems", "minItems", "uniqueItems", "prefixItems", "items", "contains", "minContains", "maxContains",
        "maxProperties", "minProperties", "required", "dependentRequired", "properties", "patternProperties",
        "additionalProperties", "propertyNames", "dependentSchemas",
        "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
    ])

    static let typeNames: Set<String> = ["null", "boolean", "integer", "number", "string", "array", "object"]

    mutating func compileKeywords(_ ctx: inout KeywordContext) -> [CompiledKeyword] {
        var out: [CompiledKeyword] = []
        let o = ctx.object
        for (name, value) in o {
            guard SchemaCompiler.supportedKeywords.contains(name) else {
                bad(ctx, name, .unsupportedKeyword(name), "unsupported keyword \"\(name)\"\(SchemaCompiler.hint(name)); "
                    + "this validator refuses keywords it does not implement instead of ignoring them")
                continue
            }
            if let check = compileKeyword(name, value, ctx) { out.append(CompiledKeyword(name: name, check: check)) }
        }
        return out
    }

    static func hint(_ name: String) -> String {
        switch name {
        case "definitions": return " (2020-12 uses \"$defs\")"
        case "additionalItems": return " (2020-12 uses \"prefixItems\" + \"items\")"
        case "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary", "unevaluatedProperties", "unevaluatedItems":
            return " (not in the supported subset)"
        default:
            let near = supportedKeywords.first { $0.lowercased() == name.lowercased() }
            return near.map { " (did you mean \"\($0)\"?)" } ?? ""
        }
    }

    mutating func bad(_ ctx: KeywordContext, _ keyword: String, _ kind: SchemaLoadError.Kind, _ message: String) {
        report(kind, doc: ctx.document, pointer: ctx.at(keyword), message)
    }

    mutating func invalid(_ ctx: KeywordContext, _ keyword: String, _ expected: String, _ value: JSONValue) {
        bad(ctx, keyword, .invalidKeywordValue(keyword), "\"\(keyword)\" must be \(expected), found \(SchemaCompiler.brief(value))")
    }

    static func brief(_ v: JSONValue) -> String {
        let s = v.serialized()
        return s.count > 60 ? String(s.prefix(57)) + "..." : s
    }

    static func nonNegativeInt(_ v: JSONValue) -> Int? {
        guard let i = v.intValue, i >= 0 else { return nil }
        return i
    }

    mutating func schemaArray(_ name: String, _ value: JSONValue, _ ctx: KeywordContext, nonEmpty: Bool = true) -> [Int]? {
        guard case .array(let a) = value, !(nonEmpty && a.isEmpty) else {
            invalid(ctx, name, nonEmpty ? "a non-empty array of schemas" : "an array of schemas", value); return nil
        }
        return a.enumerated().map { child(ctx, name, String($0.offset), value: $0.element) }
    }

    mutating func schemaMap(_ name: String, _ value: JSONValue, _ ctx: KeywordContext) -> [(String, Int)]? {
        guard case .object(let m) = value else { invalid(ctx, name, "an object of schemas", value); return nil }
        return m.map { ($0.key, child(ctx, name, $0.key, value: $0.value)) }
    }

    mutating func regex(_ source: String, _ ctx: KeywordContext, _ name: String, _ token: String? = nil) -> SchemaRegex? {
        do { return try SchemaRegex(source) } catch {
            let pointer = token.map { ctx.pointer.appending(name).appending($0).description } ?? ctx.at(name)
            report(.invalidKeywordValue(name), doc: ctx.document, pointer: pointer, "invalid regular expression \"\(source)\": \(error.localizedDescription)")
            return nil
        }
    }

    mutating func stringArray(_ name: String, _ value: JSONValue, _ ctx: KeywordContext) -> [String]? {
        guard case .array(let a) = value else { invalid(ctx, name, "an array of unique strings", value); return nil }
        let strings = a.compactMap(\.stringValue)
        guard strings.count == a.count, Set(strings).count == strings.count else {
            invalid(ctx, name, "an array of unique strings", value); return nil
        }
        return strings
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    mutating func compileKeyword(_ name: String, _ value: JSONValue, _ ctx: KeywordContext) -> Check? {
        let o = ctx.object
        switch name {
        case "$schema":
            guard let s = value.stringValue else { invalid(ctx, name, "a URI string", value); return nil }
            if SchemaCompiler.stripFragment(s) != SchemaCompiler.draft2020 {
                bad(ctx, name, .unsupportedFeature("$schema"), "dialect \"\(s)\" is not supported; use \"\(SchemaCompiler.draft2020)\"")
            }
            return nil
        case "$id":
            guard value.stringValue != nil else { invalid(ctx, name, "a URI string", value); return nil }
            if !ctx.pointer.tokens.isEmpty {
                bad(ctx, name, .unsupportedFeature("$id"), "\"$id\" inside a schema (an embedded resource) is not supported; put the schema in its own file")
            }
            return nil
        case "$defs":
            _ = schemaMap(name, value, ctx); return nil
        case "$comment", "title", "description", "format":
            if value.stringValue == nil { invalid(ctx, name, "a string", value) }
            return nil
        case "deprecated", "readOnly", "writeOnly":
            if value.boolValue == nil { invalid(ctx, name, "a boolean", value) }
            return nil
        case "examples":
            if value.arrayValue == nil { invalid(ctx, name, "an array", value) }
            return nil
        case "default":
            return nil
        case "$ref":
            guard let ref = value.stringValue else { invalid(ctx, name, "a URI-reference string", value); return nil }
            guard let (doc, pointer) = resolve(ref, from: ctx.document, at: ctx.at(name)),
                  let target = documents[doc].value.value(at: pointer) else { return nil }
            return .ref(compile(document: doc, pointer: pointer, value: target))
        case "type":
            let names: [String]
            if let s = value.stringValue { names = [s] } else if let a = value.arrayValue, !a.isEmpty, a.allSatisfy({ $0.stringValue != nil }) {
                names = a.compactMap(\.stringValue)
            } else { invalid(ctx, name, "a type name or a non-empty array of type names", value); return nil }
            guard names.allSatisfy(SchemaCompiler.typeNames.contains), Set(names).count == names.count else {
                invalid(ctx, name, "unique names among \(SchemaCompiler.typeNames.sorted().joined(separator: ", "))", value); return nil
            }
            return .type(names, SchemaTypes(names))
        case "enum":
            guard let a = value.arrayValue else { invalid(ctx, name, "an array", value); return nil }
            return .enumeration(a, a.count > 8 ? Set(a) : nil)
        case "const":
            return .const(value)
        case "multipleOf":
            guard let d = value.doubleValue, d > 0 else { invalid(ctx, name, "a number greater than 0", value); return nil }
            return .multipleOf(value)
        case "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum":
            guard value.doubleValue != nil else { invalid(ctx, name, "a number", value); return nil }
            switch name {
            case "maximum": return .maximum(value)
            case "exclusiveMaximum": return .exclusiveMaximum(value)
            case "minimum": return .minimum(value)
            default: return .exclusiveMinimum(value)
            }
        case "maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties", "minContains", "maxContains":
            guard let n = SchemaCompiler.nonNegativeInt(value) else { invalid(ctx, name, "a non-negative integer", value); return nil }
            switch name {
            case "maxLength": return .maxLength(n)
            case "minLength": return .minLength(n)
            case "maxItems": return .maxItems(n)
            case "minItems": return .minItems(n)
            case "maxProperties": return .maxProperties(n)
            case "minProperties": return .minProperties(n)
            default: return nil  // minContains / maxContains are read by "contains"
            }
        case "pattern":
            guard let s = value.stringValue else { invalid(ctx, name, "a regular expression string", value); return nil }
            return regex(s, ctx, name).map(Check.pattern)
        case "uniqueItems":
            guard let b = value.boolValue else { invalid(ctx, name, "a boolean", value); return nil }
            return b ? .uniqueItems : nil
        case "required":
            return stringArray(name, value, ctx).map(Check.required)
        case "dependentRequired":
            guard case .object(let m) = value else { invalid(ctx, name, "an object of string arrays", value); return nil }
            var pairs: [(String, [String])] = []
            for (k, v) in m {
                let sub = KeywordContext(document: ctx.document, pointer: ctx.pointer.appending(name), object: m)
                if let names = stringArray(k, v, sub) { pairs.append((k, names)) }
            }
            return .dependentRequired(pairs)
        case "properties":
            return schemaMap(name, value, ctx).map(Check.properties)
        case "patternProperties":
            guard let map = schemaMap(name, value, ctx) else { return nil }
            return .patternProperties(map.compactMap { key, node in regex(key, ctx, name, key).map { ($0, node) } })
        case "additionalProperties":
            let node = child(ctx, name, value: value)
            let named = KeyList(o["properties"]?.objectValue?.keys ?? [])
            let patterns = (o["patternProperties"]?.objectValue?.keys ?? []).compactMap { try? SchemaRegex($0) }
            return .additionalProperties(node, named: named, patterns: patterns)
        case "propertyNames":
            return .propertyNames(child(ctx, name, value: value))
        case "dependentSchemas":
            return schemaMap(name, value, ctx).map(Check.dependentSchemas)
        case "prefixItems":
            return schemaArray(name, value, ctx).map(Check.prefixItems)
        case "items":
            if value.arrayValue != nil {
                invalid(ctx, name, "a single schema in 2020-12 (use \"prefixItems\" for tuples)", value); return nil
            }
            return .items(child(ctx, name, value: value), after: o["prefixItems"]?.arrayValue?.count ?? 0)
        case "contains":
            let node = child(ctx, name, value: value)
            let minC = o["minContains"].flatMap(SchemaCompiler.nonNegativeInt) ?? 1
            let maxC = o["maxContains"].flatMap(SchemaCompiler.nonNegativeInt)
            return .contains(node, min: minC, max: maxC)
        case "allOf": return schemaArray(name, value, ctx).map(Check.allOf)
        case "anyOf": return schemaArray(name, value, ctx).map(Check.anyOf)
        case "oneOf": return schemaArray(name, value, ctx).map(Check.oneOf)
        case "not": return .not(child(ctx, name, value: value))
        case "if":
            let ifNode = child(ctx, name, value: value)
            let thenNode = o["then"].map { child(ctx, "then", value: $0) }
            let elseNode = o["else"].map { child(ctx, "else", value: $0) }
            return .conditional(if: ifNode, then: thenNode, else: elseNode)
        case "then", "else":
            // Without "if" they have no effect, but they are still checked for unsupported keywords.
            if o["if"] == nil { _ = child(ctx, name, value: value) }
            return nil
        default:
            return nil
        }
    }
}
