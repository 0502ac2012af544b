import Canonical

/// What one record lets a generation quote (`input.quote`): per quoted native string, the pieces of the record's
/// text it may be. The native output schema narrowed to them — each quoted string an `enum` of its pieces — is
/// the grammar that generation decodes under, so a quote is always copied exactly, never paraphrased.
public struct QuotedChoices: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var at: NativePointer
        public var from: CanonicalPath
        /// In text order, without repeats.
        public var pieces: [String]
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    public var isEmpty: Bool { entries.isEmpty }

    /// The pieces each quote may take in this record (canonical JSON).
    public init(_ quotes: [QuoteSpec], record: JSONValue) {
        entries = quotes.map { q in
            let texts = JSONPaths.values(at: q.from, in: record).compactMap { $0.value.stringValue }
            var seen = Set<String>()
            let pieces = texts.flatMap { Self.pieces(of: $0, unit: q.unit) }.filter { seen.insert($0).inserted }
            return Entry(at: q.at, from: q.from, pieces: pieces)
        }
    }

    /// `text` cut into the pieces of `unit`.
    public static func pieces(of text: String, unit: QuoteSpec.Unit) -> [String] {
        switch unit {
        case .sentence:
            return EmbeddingMatcher.sentences(in: text).map(\.text)
        case .line:
            return text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
                .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
                .filter { !$0.allSatisfy(\.isWhitespace) }
        case .whole:
            return text.isEmpty ? [] : [text]
        }
    }

    /// Why a quote position cannot be narrowed: the pointer leaves plain `properties`/`items`, or ends on something
    /// that is not a string schema.
    public struct NarrowingProblem: Error, Sendable, Hashable {
        public var at: NativePointer
        public var message: String
    }

    /// The schema with each quoted string replaced by `{"type": "string", "enum": pieces}` (its `description`
    /// kept). Pieces the original string schema would reject by length are left out, so whatever the grammar
    /// allows still validates against the original schema. Throws `AdapterError.nothingToQuote` when a position
    /// is left with no piece.
    public func narrowing(_ schema: JSONValue, adapter: String) throws -> JSONValue {
        var out = schema
        for entry in entries {
            out = try Self.replacing(at: entry.at, in: out) { original in
                let min = original["minLength"]?.intValue ?? 0, max = original["maxLength"]?.intValue ?? Int.max
                let fitting = entry.pieces.filter { (min...Swift.max(min, max)).contains($0.unicodeScalars.count) }
                guard !fitting.isEmpty else {
                    throw AdapterError.nothingToQuote(adapter: adapter, at: entry.at.text, from: entry.from.description)
                }
                var narrowed: JSONObject = ["type": "string", "enum": .array(fitting.map(JSONValue.string))]
                if let d = original["description"] { narrowed["description"] = d }
                return narrowed
            }
        }
        return out
    }

    /// Checks that `at` can be narrowed in `schema` (for `franca check`): a string schema reached through
    /// `properties` and `items` only.
    public static func checkNarrowable(_ at: NativePointer, in schema: JSONValue) -> NarrowingProblem? {
        do {
            _ = try replacing(at: at, in: schema) { $0 }
            return nil
        } catch let problem as NarrowingProblem {
            return problem
        } catch {
            return NarrowingProblem(at: at, message: "\(error)")
        }
    }

    static func replacing(at pointer: NativePointer, in schema: JSONValue,
                          _ change: (JSONObject) throws -> JSONObject) throws -> JSONValue {
        func walk(_ node: JSONValue, _ rest: ArraySlice<NativePointer.Token>, _ walked: String) throws -> JSONValue {
            guard case .object(var o) = node else {
                throw NarrowingProblem(at: pointer, message: "the schema at '\(walked)' is not an object schema")
            }
            if o["$ref"] != nil || o["anyOf"] != nil || o["oneOf"] != nil || o["allOf"] != nil {
                throw NarrowingProblem(at: pointer, message:
                    "the schema at '\(walked)' uses $ref/anyOf/oneOf/allOf; a quoted string is reached through properties and items only")
            }
            guard let token = rest.first else {
                let types = o["type"].map { $0.stringValue.map { [$0] } ?? ($0.arrayValue ?? []).compactMap(\.stringValue) }
                guard types == ["string"], o["enum"] == nil, o["const"] == nil else {
                    throw NarrowingProblem(at: pointer, message: "the schema at '\(walked)' is not a plain string schema (\"type\": \"string\")")
                }
                return .object(try change(o))
            }
            switch token {
            case .wildcard:
                guard let items = o["items"] else {
                    throw NarrowingProblem(at: pointer, message: "the schema at '\(walked)' has no items")
                }
                o["items"] = try walk(items, rest.dropFirst(), walked + "/*")
            case .key(let k):
                guard var properties = o["properties"]?.objectValue, let sub = properties[k] else {
                    throw NarrowingProblem(at: pointer, message: "the schema at '\(walked)' has no property '\(k)'")
                }
                properties[k] = try walk(sub, rest.dropFirst(), walked + "/" + k)
                o["properties"] = .object(properties)
            }
            return .object(o)
        }
        return try walk(schema, pointer.tokens[...], "")
    }
}
