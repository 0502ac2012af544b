import Canonical
import Testing

/// JSONObject keeps small objects as scanned arrays and indexes large ones: both must behave like an ordered
/// dictionary whose equality ignores order.
@Suite("JSONObject")
struct JSONObjectTests {
    /// Keys k0…k(n-1) with values 0…n-1.
    static func object(_ n: Int) -> JSONObject { JSONObject((0..<n).map { ("k\($0)", JSONValue.integer(Int64($0))) }) }

    @Test("Lookup, replace in place, append and remove, below and above the indexed size", arguments: [3, 12, 13, 40])
    func members(n: Int) {
        var o = Self.object(n)
        #expect(o.count == n && o.keys == (0..<n).map { "k\($0)" } && o.values == (0..<n).map { JSONValue.integer(Int64($0)) })
        for i in 0..<n { #expect(o["k\(i)"] == .integer(Int64(i))) }
        #expect(o["missing"] == nil && !o.contains(key: "missing") && o.contains(key: "k0"))
        o["k1"] = "one"
        #expect(o.keys[1] == "k1" && o["k1"] == "one" && o.count == n)
        o["new"] = true
        #expect(o.keys.last == "new" && o["new"] == true && o.count == n + 1)
        #expect(o.removeValue(forKey: "k0") == 0)
        #expect(o.keys.first == "k1" && o["k0"] == nil && o.count == n)
        // Positions after a removal still answer correctly (the index is rebuilt).
        #expect(o["new"] == true && o["k\(n - 1)"] == .integer(Int64(n - 1)))
        o["k0"] = 5
        #expect(o.keys.last == "k0" && o["k0"] == 5)
        #expect(Array(o.map(\.key)) == o.keys)
    }

    @Test("A later duplicate key replaces the earlier value in place")
    func duplicates() {
        let o = JSONObject([("a", JSONValue.integer(1)), ("b", 2), ("a", 3)])
        #expect(o.keys == ["a", "b"] && o["a"] == 3)
    }

    @Test("Equality and hashing ignore member order; values compare mathematically", arguments: [4, 20])
    func equality(n: Int) {
        let forward = Self.object(n)
        let backward = JSONObject((0..<n).reversed().map { ("k\($0)", JSONValue.number(Double($0))) })
        #expect(forward == backward)
        #expect(forward.hashValue == backward.hashValue)
        #expect(Set([JSONValue.object(forward), .object(backward)]).count == 1)
        var other = forward
        other["k0"] = 1
        #expect(other != forward)
        var more = forward
        more["extra"] = .null
        #expect(more != forward && forward != more)
        // Same count, different keys.
        var renamed = forward
        renamed["k0"] = nil
        renamed["z"] = 0
        #expect(renamed != forward)
    }

    @Test("distinctKeys: the same object as built pair by pair, and shared key lists stay independent")
    func distinctKeys() {
        let keys = ["text", "start", "end"]
        var a = JSONObject(distinctKeys: keys, values: ["x", 0, 1])
        let b = JSONObject(distinctKeys: keys, values: ["y", 2, 3])
        #expect(a == ["text": "x", "start": 0, "end": 1] && a.keys == keys)
        a["extra"] = true
        #expect(b.keys == keys && a.keys == keys + ["extra"])
        let big = (0..<30).map { "k\($0)" }
        let o = JSONObject(distinctKeys: big, values: big.indices.map { JSONValue.integer(Int64($0)) })
        #expect(o == Self.object(30) && o["k29"] == 29)
        #expect(JSONValue.object(o).serialized() == JSONValue.object(Self.object(30)).serialized())
    }

    @Test("sortedByKey orders by code units at any size", arguments: [5, 30])
    func sorted(n: Int) {
        let o = JSONObject((0..<n).reversed().map { ("k\($0)", JSONValue.integer(Int64($0))) })
        #expect(o.sortedByKey().keys == (0..<n).map { "k\($0)" }.sorted())
        #expect(o.sortedByKey() == o)
    }
}

/// `type` checks compare type bits and large `enum`s look values up in a set: same answers as the names and the
/// list, including JSON Schema's integer/number rules.
@Suite("Schema type and enum checks")
struct SchemaTypeEnumTests {
    static func schema(_ json: JSONValue) throws -> JSONSchema { try JSONSchema(json: json, baseURL: nil, root: nil) }

    @Test("type: integral numbers are integers, every integer is a number, nothing else crosses")
    func types() throws {
        let integer = try Self.schema(["type": "integer"]), number = try Self.schema(["type": "number"])
        let stringOrNull = try Self.schema(["type": ["string", "null"]])
        #expect(integer.isValid(.integer(3)) && integer.isValid(.number(3.0)) && !integer.isValid(.number(3.5)))
        #expect(!integer.isValid(.bool(true)) && !integer.isValid("3"))
        #expect(number.isValid(.integer(3)) && number.isValid(.number(3.5)) && !number.isValid(.null))
        #expect(stringOrNull.isValid("a") && stringOrNull.isValid(.null) && !stringOrNull.isValid(.integer(0)))
        #expect(!stringOrNull.isValid(.array([])) && !stringOrNull.isValid(.object([:])))
        let v = integer.validate(.number(3.5))
        #expect(v.count == 1 && v.first?.message == "must be integer, found number" && v.first?.keyword == "type")
    }

    @Test("enum: a long list finds values by JSON equality (1 == 1.0) and rejects others", arguments: [3, 40])
    func enumeration(n: Int) throws {
        let values: [JSONValue] = (0..<n).map { .string("L\($0)") } + [.integer(1), ["a": 1]]
        let s = try Self.schema(["enum": .array(values)])
        #expect(s.isValid("L0") && s.isValid(.string("L\(n - 1)")) && s.isValid(.number(1.0)) && s.isValid(["a": 1.0]))
        #expect(!s.isValid(.string("L\(n)")) && !s.isValid(.integer(2)) && !s.isValid(.null) && !s.isValid(["a": 2]))
        #expect(s.validate("nope").first?.keyword == "enum")
    }
}
