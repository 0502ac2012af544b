import Testing
import Canonical
import Orchestration

@Suite struct SchemaShapeTests {
    static let schema: JSONValue = [
        "type": "object",
        "properties": [
            "doc": ["$ref": "#/$defs/doc"],
            "items": ["type": "array", "items": ["allOf": [["$ref": "#/$defs/item"]]]],
        ],
        "additionalProperties": false,
        "$defs": [
            "doc": ["type": "object", "properties": ["text": ["type": "string"], "meta": ["type": "object"]]],
            "item": ["type": "object", "properties": ["status": ["enum": ["met", "unmet"]]]],
        ],
    ]

    let shape = SchemaShape(document: schema)

    func resolves(_ path: String, count: Bool = false) throws -> Bool {
        let p = try CanonicalPath.parse(path).get()
        if case .success = shape.resolve(p, allowCount: count) { return true } else { return false }
    }

    @Test func followsRefsCombinatorsAndFreeMaps() throws {
        #expect(try resolves("doc.text"))
        #expect(try resolves("items[].status"))
        #expect(try resolves("items[3].status"))
        #expect(try resolves("doc.meta.anything.below"))  // a free map accepts any key
        #expect(try !resolves("doc.txt"))
        #expect(try !resolves("extra"))                    // additionalProperties: false
        #expect(try !resolves("doc[]"))                    // not an array
        #expect(try resolves("items.count", count: true))
        #expect(try !resolves("items.count"))
        #expect(try !resolves("doc.count", count: true))
    }

    @Test func problemsSuggestTheClosestField() throws {
        guard case .failure(let problem) = shape.resolve(try CanonicalPath.parse("doc.txt").get()) else {
            Issue.record("should fail"); return
        }
        #expect(problem.message == "'txt' is not a field of 'doc'")
        #expect(problem.expected == "one of: text, meta")
        #expect(problem.suggestion == "text")
    }

    @Test func enumeratedStringsAndNativePointers() throws {
        let status = try #require(try? shape.resolve(CanonicalPath.parse("items[].status").get()).get())
        #expect(shape.enumeratedStrings(status) == ["met", "unmet"])
        let pointer = try #require(NativePointer("/items/*/status"))
        #expect((try? shape.resolve(pointer).get()) != nil)
        #expect((try? shape.resolve(try #require(NativePointer("/items/0/status"))).get()) != nil)
        #expect((try? shape.resolve(try #require(NativePointer("/items/*/state"))).get()) == nil)
    }
}
