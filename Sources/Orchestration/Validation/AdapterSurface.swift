import Canonical

/// Everything an adapter touches on its model: the native output paths its transforms read (and what they accept
/// there) and the native input paths it writes (and what it may write). Validation checks both against a native
/// schema and decides which schema changes matter.
public struct AdapterSurface: Sendable {
    public var reads: [NativeRead]
    public var writes: [NativeWrite]

    /// One native output position a transform reads.
    public struct NativeRead: Sendable {
        public var pointer: NativePointer
        /// Which transform and entry reads it: `output[1] json map[2]`.
        public var reader: String
        /// Types the transform accepts there (after coercion); nil = anything.
        public var accepts: Set<String>?
        /// Whether the transform needs the value present.
        public var needed: Bool
        /// The canonical field the value lands in (json transforms), for enum and bound checks.
        public var target: CanonicalPath?
        /// Value renames (`values:`).
        public var renames: [String: String]
        /// The canonical values allowed at the target (after renames), nil when unconstrained.
        public var allowed: [String]?
        /// Bio-spans labels: values the transform keeps; other labels are dropped on purpose.
        public var keptLabels: [String]?
        /// Bounds of the canonical target a native value must respect (`minimum: 0` for offsets).
        public var targetBounds: [String: Double]

        public init(pointer: NativePointer, reader: String, accepts: Set<String>?, needed: Bool = true,
                    target: CanonicalPath? = nil, renames: [String: String] = [:], allowed: [String]? = nil,
                    keptLabels: [String]? = nil, targetBounds: [String: Double] = [:]) {
            self.pointer = pointer
            self.reader = reader
            self.accepts = accepts
            self.needed = needed
            self.target = target
            self.renames = renames
            self.allowed = allowed
            self.keptLabels = keptLabels
            self.targetBounds = targetBounds
        }
    }

    /// One native input position the adapter writes.
    public struct NativeWrite: Sendable {
        public var pointer: NativePointer
        /// Where the value comes from: `obligations[].action`, `the rendered prompt`.
        public var source: String
        public var writer: String
        /// What the source can hold (the canonical field's facet; a rendered prompt is a string).
        public var facet: SchemaFacet

        public init(pointer: NativePointer, source: String, writer: String, facet: SchemaFacet) {
            self.pointer = pointer
            self.source = source
            self.writer = writer
            self.facet = facet
        }
    }

    /// A surface given directly (tests, tools that are not adapters).
    public init(reads: [NativeRead], writes: [NativeWrite]) {
        self.reads = reads
        self.writes = writes
    }

    /// The surface of an adapter, with canonical facets looked up in `canonical` (nil: unconstrained targets).
    public init(adapter: AdapterDefinition, canonical: SchemaShape?) {
        reads = []
        writes = []
        for (i, transform) in adapter.output.enumerated() {
            let name = "output[\(i)] \(transform.kind.rawValue)"
            switch transform {
            case .json(let t):
                for (j, m) in t.map.enumerated() {
                    guard case .native(let p) = m.from, case .canonical(let target) = m.to else { continue }
                    reads.append(Self.jsonRead(p, m, target: target, reader: "\(name) map[\(j)]", canonical: canonical))
                }
            case .bioSpans(let b):
                reads.append(contentsOf: Self.bioReads(b, reader: name, canonical: canonical))
            case .unifiedDiff(let u):
                reads.append(NativeRead(pointer: u.from, reader: "\(name) from", accepts: ["string"], needed: true,
                                        target: u.into, renames: [:], allowed: nil, keptLabels: nil, targetBounds: [:]))
                if let p = u.path {
                    reads.append(NativeRead(pointer: p, reader: "\(name) path", accepts: ["string"], needed: false,
                                            target: u.into, renames: [:], allowed: nil, keptLabels: nil, targetBounds: [:]))
                }
            case .embedding(let e):
                reads.append(NativeRead(pointer: e.from, reader: "\(name) from", accepts: ["array"], needed: true,
                                        target: e.into, renames: [:], allowed: nil, keptLabels: nil, targetBounds: [:]))
                reads.append(NativeRead(pointer: NativePointer(tokens: e.from.tokens + [.wildcard]), reader: "\(name) from",
                                        accepts: ["number"], needed: true, target: e.into, renames: [:], allowed: nil,
                                        keptLabels: nil, targetBounds: [:]))
            }
        }
        let string = SchemaFacet(types: ["string"], values: nil, bounds: [:], properties: [:], required: [], open: true, items: nil)
        switch adapter.input {
        case .text(let t):
            let facet = canonical.flatMap { try? $0.facet(at: t.text).get() } ?? .anything
            writes.append(NativeWrite(pointer: NativePointer(tokens: [.key("text")]), source: t.text.description,
                                      writer: "input.text", facet: facet))
        case .prompt(let p):
            writes.append(NativeWrite(pointer: NativePointer(tokens: [.key("prompt")]), source: "the rendered template",
                                      writer: "input.template", facet: string))
            if p.system != nil {
                writes.append(NativeWrite(pointer: NativePointer(tokens: [.key("system")]), source: "the rendered system message",
                                          writer: "input.system", facet: string))
            }
        case .fields(let map):
            for (j, m) in map.enumerated() {
                guard case .native(let p) = m.to else { continue }
                var facet = SchemaFacet.anything
                var source = ""
                switch m.from {
                case .canonical(let c):
                    source = c.description
                    facet = canonical.flatMap { try? $0.facet(at: c).get() } ?? .anything
                case .constant(let v):
                    source = "the constant \(v.serialized())"
                    facet = SchemaFacet(types: [SchemaFacet.typeName(v)], values: [v], bounds: [:], properties: [:],
                                        required: [], open: true, items: nil)
                case .native(let n):
                    source = n.description
                }
                facet = Self.coerced(facet, m.coerce)
                facet = Self.renamed(facet, m.values)
                writes.append(NativeWrite(pointer: p, source: source, writer: "input.map[\(j)]", facet: facet))
            }
        }
    }

    /// Types a coercion accepts as its input.
    public static func coercionAccepts(_ c: FieldMapping.Coercion) -> Set<String> {
        switch c {
        case .string: return ["string", "number", "integer", "boolean"]
        case .number, .integer: return ["number", "integer", "string"]
        case .boolean: return ["boolean", "string"]
        }
    }

    static func coerced(_ f: SchemaFacet, _ c: FieldMapping.Coercion?) -> SchemaFacet {
        guard let c else { return f }
        var out = f
        out.types = Set([c.rawValue]).union(f.mayBeNull ? ["null"] : [])
        out.values = out.values.map { $0.map { v in .string(v.stringValue ?? v.serialized()) } }
        if c != .string { out.values = nil }
        return out
    }

    static func renamed(_ f: SchemaFacet, _ values: [(from: String, to: String)]) -> SchemaFacet {
        guard !values.isEmpty, let vs = f.values else { return f }
        let map = Dictionary(values.map { ($0.from, $0.to) }, uniquingKeysWith: { a, _ in a })
        var out = f
        out.values = vs.map { v in v.stringValue.flatMap { map[$0] }.map { .string($0) } ?? v }
        return out
    }

    static func jsonRead(_ p: NativePointer, _ m: FieldMapping, target: CanonicalPath, reader: String,
                         canonical: SchemaShape?) -> NativeRead {
        let facet = canonical.flatMap { try? $0.facet(at: target).get() }
        var accepts = m.coerce.map(coercionAccepts) ?? facet?.types
        // A canonical number accepts an integer; an enum of strings accepts strings.
        if m.coerce == nil, accepts == nil, let values = facet?.values { accepts = Set(values.map(SchemaFacet.typeName)) }
        let renames = Dictionary(m.values.map { ($0.from, $0.to) }, uniquingKeysWith: { a, _ in a })
        return NativeRead(pointer: p, reader: reader, accepts: accepts, needed: true, target: target, renames: renames,
                          allowed: facet?.strings, keptLabels: nil, targetBounds: facet?.bounds ?? [:])
    }

    /// The token fields the bio-spans aggregation reads, each with the type it needs.
    static func bioReads(_ b: BIOSpansTransform, reader: String, canonical: SchemaShape?) -> [NativeRead] {
        let tokens = b.from
        func at(_ key: String) -> NativePointer { NativePointer(tokens: tokens.tokens + [.wildcard, .key(key)]) }
        let offsetBounds = canonical.flatMap { try? $0.facet(at: appending(b.into, "start")).get() }?.bounds ?? [:]
        let scoreBounds = canonical.flatMap { try? $0.facet(at: appending(b.into, "score")).get() }?.bounds ?? [:]
        var kept: [String] = ["O"]
        for (native, _) in b.labels { kept += ["B-\(native)", "I-\(native)"] }
        func read(_ p: NativePointer, _ types: Set<String>, needed: Bool = true, bounds: [String: Double] = [:],
                  labels: [String]? = nil) -> NativeRead {
            NativeRead(pointer: p, reader: reader, accepts: types, needed: needed, target: b.into, renames: [:],
                       allowed: nil, keptLabels: labels, targetBounds: bounds)
        }
        return [
            read(tokens, ["array"]),
            read(at("label"), ["string"], labels: kept),
            read(at("start"), ["integer"], bounds: offsetBounds),
            read(at("end"), ["integer"], bounds: offsetBounds),
            read(at("score"), ["number"], bounds: scoreBounds),
            read(at("word"), ["integer"], needed: false),
        ]
    }

    static func appending(_ path: CanonicalPath, _ field: String) -> CanonicalPath {
        CanonicalPath(segments: path.segments + [.each, .field(field)])
    }
}
