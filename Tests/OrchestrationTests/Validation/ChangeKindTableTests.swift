import Canonical
import Orchestration
import Testing

/// Every change kind, in both directions, against hand-written expectations: the change the diff names, its
/// generic compatibility, and whether it breaks one fixed adapter on the output edge and on the input edge.
///
/// The adapter (a surface given directly): on the output edge it reads `/v`, accepting a string, and maps it into
/// a canonical field allowing only `a`, `b` with `maxLength` 8; on the input edge it writes `/v` from a canonical
/// string that may be `a`, `b` or `c` (no length bound). It never reads or writes `/w`.
@Suite struct ChangeKindTableTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var name: String
        /// Root object schemas, old and new.
        var old: String
        var new: String
        var kind: SchemaChange.Kind
        var path: String
        var compatibility: Compatibility
        var breaksOutput: Bool
        var breaksInput: Bool
        var testDescription: String { name }
    }

    static func object(_ properties: String, required: [String] = ["v"], closed: Bool = true) -> String {
        let req = required.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"type":"object","required":[\#(req)],\#(closed ? #""additionalProperties":false,"# : "")"properties":{\#(properties)}}"#
    }

    static let rows: [Row] = [
        // enum
        Row(name: "enum extended", old: object(#""v":{"enum":["a","b"]}"#), new: object(#""v":{"enum":["a","b","c"]}"#),
            kind: .enumExtended, path: "/v", compatibility: .backward, breaksOutput: true, breaksInput: false),
        Row(name: "enum narrowed", old: object(#""v":{"enum":["a","b","c"]}"#), new: object(#""v":{"enum":["a","b"]}"#),
            kind: .enumNarrowed, path: "/v", compatibility: .forward, breaksOutput: false, breaksInput: true),
        // type
        Row(name: "type widened", old: object(#""v":{"type":"string"}"#), new: object(#""v":{"type":["string","integer"]}"#),
            kind: .typeWidened, path: "/v", compatibility: .backward, breaksOutput: true, breaksInput: false),
        Row(name: "type narrowed", old: object(#""v":{"type":["string","integer"]}"#), new: object(#""v":{"type":"string"}"#),
            kind: .typeNarrowed, path: "/v", compatibility: .forward, breaksOutput: false, breaksInput: false),
        Row(name: "type narrowed below what the adapter writes", old: object(#""v":{"type":["string","integer"]}"#),
            new: object(#""v":{"type":"integer"}"#),
            kind: .typeNarrowed, path: "/v", compatibility: .forward, breaksOutput: false, breaksInput: true),
        Row(name: "type changed", old: object(#""v":{"type":"string"}"#), new: object(#""v":{"type":"object"}"#),
            kind: .typeChanged, path: "/v", compatibility: .breaking, breaksOutput: true, breaksInput: true),
        Row(name: "type changed back", old: object(#""v":{"type":"object"}"#), new: object(#""v":{"type":"string"}"#),
            kind: .typeChanged, path: "/v", compatibility: .breaking, breaksOutput: false, breaksInput: false),
        // bounds
        Row(name: "bound tightened", old: object(#""v":{"type":"string","maxLength":6}"#), new: object(#""v":{"type":"string","maxLength":5}"#),
            kind: .boundTightened, path: "/v", compatibility: .forward, breaksOutput: false, breaksInput: true),
        Row(name: "bound loosened", old: object(#""v":{"type":"string","maxLength":6}"#), new: object(#""v":{"type":"string","maxLength":10}"#),
            kind: .boundLoosened, path: "/v", compatibility: .backward, breaksOutput: true, breaksInput: false),
        // required
        Row(name: "required added (written)", old: object(#""v":{"type":"string"}"#, required: []), new: object(#""v":{"type":"string"}"#),
            kind: .requiredAdded, path: "/v", compatibility: .forward, breaksOutput: false, breaksInput: false),
        Row(name: "required removed (read)", old: object(#""v":{"type":"string"}"#), new: object(#""v":{"type":"string"}"#, required: []),
            kind: .requiredRemoved, path: "/v", compatibility: .backward, breaksOutput: true, breaksInput: false),
        Row(name: "required added (not written)", old: object(#""v":{"type":"string"},"w":{"type":"integer"}"#),
            new: object(#""v":{"type":"string"},"w":{"type":"integer"}"#, required: ["v", "w"]),
            kind: .requiredAdded, path: "/w", compatibility: .forward, breaksOutput: false, breaksInput: true),
        Row(name: "required removed (not read)", old: object(#""v":{"type":"string"},"w":{"type":"integer"}"#, required: ["v", "w"]),
            new: object(#""v":{"type":"string"},"w":{"type":"integer"}"#),
            kind: .requiredRemoved, path: "/w", compatibility: .backward, breaksOutput: false, breaksInput: false),
        // properties
        Row(name: "optional property added", old: object(#""v":{"type":"string"}"#), new: object(#""v":{"type":"string"},"w":{"type":"integer"}"#),
            kind: .propertyAdded, path: "/w", compatibility: .backward, breaksOutput: false, breaksInput: false),
        Row(name: "optional property removed", old: object(#""v":{"type":"string"},"w":{"type":"integer"}"#), new: object(#""v":{"type":"string"}"#),
            kind: .propertyRemoved, path: "/w", compatibility: .forward, breaksOutput: false, breaksInput: false),
        Row(name: "required property added", old: object(#""v":{"type":"string"}"#),
            new: object(#""v":{"type":"string"},"w":{"type":"integer"}"#, required: ["v", "w"]),
            kind: .propertyAdded, path: "/w", compatibility: .breaking, breaksOutput: false, breaksInput: true),
        Row(name: "read and written property removed", old: object(#""v":{"type":"string"},"w":{"type":"integer"}"#),
            new: object(#""w":{"type":"integer"}"#, required: []),
            kind: .propertyRemoved, path: "/v", compatibility: .breaking, breaksOutput: true, breaksInput: true),
        Row(name: "property renamed", old: object(#""v":{"type":"string"}"#), new: object(#""u":{"type":"string"}"#, required: ["u"]),
            kind: .propertyRenamed, path: "/v", compatibility: .breaking, breaksOutput: true, breaksInput: true),
        Row(name: "property renamed back", old: object(#""u":{"type":"string"}"#, required: ["u"]), new: object(#""v":{"type":"string"}"#),
            kind: .propertyRenamed, path: "/u", compatibility: .breaking, breaksOutput: false, breaksInput: false),
        // content model
        Row(name: "content opened", old: object(#""v":{"type":"string"}"#), new: object(#""v":{"type":"string"}"#, closed: false),
            kind: .contentOpened, path: "", compatibility: .backward, breaksOutput: false, breaksInput: false),
        Row(name: "content closed", old: object(#""v":{"type":"string"}"#, closed: false), new: object(#""v":{"type":"string"}"#),
            kind: .contentClosed, path: "", compatibility: .forward, breaksOutput: false, breaksInput: false),
    ]

    static var surface: AdapterSurface {
        let v = NativePointer("/v")!
        let read = AdapterSurface.NativeRead(pointer: v, reader: "output[0] json map[0]", accepts: ["string"],
                                             target: try? CanonicalPath.parse("findings[].message").get(),
                                             allowed: ["a", "b"], targetBounds: ["maxLength": 8])
        let write = AdapterSurface.NativeWrite(pointer: v, source: "document.text", writer: "input.map[0]",
                                               facet: SchemaFacet(types: ["string"], values: ["a", "b", "c"]))
        return AdapterSurface(reads: [read], writes: [write])
    }

    static func shape(_ text: String) throws -> SchemaShape { SchemaShape(document: try JSONValue.parse(text)) }

    @Test(arguments: rows)
    func changeKind(_ row: Row) throws {
        let old = try Self.shape(row.old), new = try Self.shape(row.new)
        let changes = SchemaDiff(old: old, new: new).changes()
        let change = try #require(changes.first { $0.kind == row.kind && $0.path.description == row.path },
                                  "expected \(row.kind.rawValue) at \(row.path), got \(changes.map { "\($0.kind.rawValue) \($0.path)" })")
        #expect(change.compatibility == row.compatibility)

        let surface = Self.surface
        let check = StaticCheck(surface: surface, input: new, output: new)
        let classifier = ChangeClassifier(surface: surface, check: check)
        let output = classifier.classify(change, edge: .output), input = classifier.classify(change, edge: .input)
        #expect(output.breaks == row.breaksOutput, "output: \(output.reason)")
        #expect(input.breaks == row.breaksInput, "input: \(input.reason)")
    }

    @Test func renameNamesBothPaths() throws {
        let changes = SchemaDiff(old: try Self.shape(Self.object(#""duty":{"type":"string"}"#, required: ["duty"])),
                                 new: try Self.shape(Self.object(#""requirement":{"type":"string"}"#, required: ["requirement"]))).changes()
        #expect(changes.count == 1)
        #expect(changes.first?.renamedTo?.description == "/requirement")
    }

    @Test func noChangeNoReport() throws {
        let text = Self.object(##""v":{"$ref":"#/$defs/s"}"##).dropLast() + #","$defs":{"s":{"type":"string"}}}"#
        #expect(SchemaDiff(old: try Self.shape(String(text)), new: try Self.shape(String(text))).changes().isEmpty)
    }

    @Test func changesBehindRefsAndArrays() throws {
        let old = ##"{"type":"object","properties":{"xs":{"type":"array","items":{"$ref":"#/$defs/x"}}},"$defs":{"x":{"type":"object","properties":{"n":{"type":"integer","minimum":0}}}}}"##
        let new = ##"{"type":"object","properties":{"xs":{"type":"array","items":{"$ref":"#/$defs/x"}}},"$defs":{"x":{"type":"object","properties":{"n":{"type":"integer","minimum":1}}}}}"##
        let changes = SchemaDiff(old: try Self.shape(old), new: try Self.shape(new)).changes()
        #expect(changes.map(\.kind) == [.boundTightened])
        #expect(changes.first?.path.description == "/xs/*/n")
        #expect(changes.first?.keyword == "minimum")
    }
}
