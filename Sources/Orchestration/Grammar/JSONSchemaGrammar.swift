import Canonical

/// A JSON Schema compiled for constrained decoding: the language of compact JSON texts that validate against it.
///
/// Build once per schema (it is immutable and `Sendable`), then make a `GrammarTokenConstraint` per generation.
/// What is enforced, exactly:
/// - objects: declared `properties` in declared order, `required` ones always, others optional; no other members
///   (as if `additionalProperties: false`, whatever the schema says);
/// - arrays: `items`, `minItems`, `maxItems`;
/// - strings: `minLength`/`maxLength` in Unicode scalars, `pattern` (subset: see `RegexSubsetParser`), UTF-8
///   well-formed, JSON escapes only as listed in `StringBody`;
/// - `integer` (up to 15 digits) and `number` (up to 9 integer and 6 fraction digits, no exponent) with
///   `minimum`/`maximum`/`exclusiveMinimum`/`exclusiveMaximum` exactly;
/// - `boolean`, `null`, `enum`/`const` (with `type` only), `anyOf`, `oneOf` (alternatives of different types),
///   type unions, local `$ref` (recursion bounded by `maxDepth` nested values).
/// Every other keyword, and annotations aside, is a `GrammarCompileError` naming keyword and JSON Pointer.
/// No whitespace is ever generated.
public struct JSONSchemaGrammar: Sendable {
    let machine: GrammarMachine

    public static let defaultMaxDepth = 24

    /// Compiles the schema document (its `$ref`s must be local: `#/$defs/...`).
    public init(schema: JSONValue, maxDepth: Int = JSONSchemaGrammar.defaultMaxDepth) throws(GrammarCompileError) {
        var compiler = SchemaGrammarCompiler(document: schema)
        let root = compiler.compile(JSONPointer())
        machine = GrammarMachine(program: try compiler.finish(root: root, maxDepth: maxDepth))
    }

    /// A fresh matcher at the start of the text.
    public func matcher() -> GrammarMatcher { GrammarMatcher(machine: machine) }

    /// The whole text is a sentence of the grammar.
    public func accepts(_ bytes: [UInt8]) -> Bool {
        var m = matcher()
        for b in bytes where !m.feed(b) { return false }
        return m.isAccepting
    }

    public func accepts(_ text: String) -> Bool { accepts(Array(text.utf8)) }
}

/// Reads text byte by byte against a grammar, tracking the (usually single) machine state.
public struct GrammarMatcher: Sendable {
    let machine: GrammarMachine
    public private(set) var states: [GrammarState]

    init(machine: GrammarMachine) {
        self.machine = machine
        states = [machine.initial]
    }

    init(machine: GrammarMachine, states: [GrammarState]) {
        self.machine = machine
        self.states = states
    }

    /// Reads one byte; false (and the matcher unchanged) when the grammar does not allow it here.
    @discardableResult
    public mutating func feed(_ byte: UInt8) -> Bool {
        let next = GrammarMatcher.advance(machine, states, byte)
        guard !next.isEmpty else { return false }
        states = next
        return true
    }

    /// Reads bytes; false (matcher unchanged) when any is not allowed.
    @discardableResult
    public mutating func feed<S: Sequence>(_ bytes: S) -> Bool where S.Element == UInt8 {
        var current = states
        for b in bytes {
            current = GrammarMatcher.advance(machine, current, b)
            if current.isEmpty { return false }
        }
        states = current
        return true
    }

    static func advance(_ machine: GrammarMachine, _ states: [GrammarState], _ byte: UInt8) -> [GrammarState] {
        var out: [GrammarState] = []
        for s in states { machine.step(s, byte, &out) }
        if out.count > 1 { out = Array(Set(out)) }
        return out
    }

    /// What was read is a complete JSON text of the grammar.
    public var isAccepting: Bool { states.contains { machine.isAccepting($0) } }

    /// Every byte that may come next.
    public func allowedBytes() -> [UInt8] {
        (0...255).map(UInt8.init).filter { b in
            var out: [GrammarState] = []
            for s in states { machine.step(s, b, &out); if !out.isEmpty { return true } }
            return false
        }
    }

    /// Complete and nothing may follow.
    public var isFinished: Bool { isAccepting && allowedBytes().isEmpty }
}
