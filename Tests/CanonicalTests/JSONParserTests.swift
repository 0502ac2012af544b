import Canonical
import Foundation
import Testing

@Suite struct JSONParserTests {
    @Test func parsesEveryKindAndKeepsKeyOrder() throws {
        let v = try JSONValue.parse(#"{"z": 1, "a": [true, false, null, 1.5, "s"], "m": {"y": -2, "b": 0}}"#)
        #expect(v.objectValue?.keys == ["z", "a", "m"])
        #expect(v["m"]?.objectValue?.keys == ["y", "b"])
        #expect(v["z"] == .integer(1))
        #expect(v["a"] == .array([.bool(true), .bool(false), .null, .number(1.5), .string("s")]))
        #expect(v["m"]?["y"]?.int64Value == -2)
    }

    @Test func booleansAreNotNumbers() throws {
        let v = try JSONValue.parse("[true, 1, 0, false]")
        #expect(v[0] == .bool(true))
        #expect(v[1] == .integer(1))
        #expect(v[0] != v[1])
        #expect(v[2] != v[3])
    }

    @Test func integersStayExactAndIntegralDoublesEqualThem() throws {
        #expect(try JSONValue.parse("9223372036854775807") == .integer(Int64.max))
        #expect(try JSONValue.parse("-9223372036854775808") == .integer(Int64.min))
        #expect(try JSONValue.parse("9007199254740993") == .integer(9_007_199_254_740_993))  // not representable as a double
        #expect(try JSONValue.parse("1.0") == .number(1.0))
        #expect(try JSONValue.parse("1.0") == .integer(1))
        #expect(try JSONValue.parse("1e2").typeName == "integer")
        #expect(try JSONValue.parse("1.5").typeName == "number")
        // 2^64 is an exact double: accepted; 2^64 + 1 would round: refused, never silently changed.
        #expect(try JSONValue.parse("18446744073709551616") == .number(18_446_744_073_709_551_616.0))
        #expect(throws: JSONParseError.self) { try JSONValue.parse("18446744073709551617") }
        #expect(throws: JSONParseError.self) { try JSONValue.parse("1e400") }
    }

    @Test func equalValuesHashEqually() throws {
        let set: Set<JSONValue> = [.integer(1), .number(1.0), .object(["a": 1, "b": 2]), .object(["b": 2, "a": 1])]
        #expect(set.count == 2)
    }

    @Test func stringEscapesAndSurrogatePairs() throws {
        let v = try JSONValue.parse(#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\udca9""#)
        #expect(v.stringValue == "a\"b\\c/d\u{08}\u{0C}\n\r\té💩")
        #expect(v.stringValue?.unicodeScalars.count == 14)
    }

    @Test(arguments: [
        // text, line, column, message fragment
        ("{\"a\": 1,}", 1, 9, "expected a string key, found '}'"),
        ("[1, 2", 1, 6, "expected ',' or ']', found end of input"),
        ("{\n  \"a\": tru\n}", 2, 8, "expected a value"),
        ("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key \"a\" (first defined at 1:2)"),
        ("{\"a\": 1, \"b\": 2, \"c\": 3, \"b\": 4}", 1, 26, "duplicate key \"b\" (first defined at 1:10)"),
        ("\"abc", 1, 5, "expected '\"' to close the string"),
        ("\"a\u{01}\"", 1, 3, "unescaped control character U+0001"),
        ("\"\\x\"", 1, 2, "invalid escape sequence \\x"),
        ("\"\\ud800\"", 1, 2, "unpaired UTF-16 surrogate \\uD800"),
        ("\"\\udc00x\"", 1, 2, "unpaired UTF-16 surrogate \\uDC00"),
        ("01", 1, 2, "no leading zeros"),
        ("1.", 1, 3, "expected a digit after '.'"),
        ("-", 1, 2, "expected a digit"),
        ("1 2", 1, 3, "expected end of input, found '2'"),
        ("", 1, 1, "expected a value, found end of input"),
        ("[\"é\", x]", 1, 7, "expected a value, found 'x'"),  // column counts characters, not bytes
        ("{'a': 1}", 1, 2, "expected a string key or '}'"),
    ])
    func errorsSayWhereAndWhat(text: String, line: Int, column: Int, fragment: String) {
        do {
            _ = try JSONValue.parse(text)
            Issue.record("expected a parse error for \(text)")
        } catch {
            #expect(error.line == line, "\(text): \(error)")
            #expect(error.column == column, "\(text): \(error)")
            #expect(error.message.contains(fragment), "\(text): \(error)")
        }
    }

    @Test func invalidUTF8IsReportedAtItsByte() {
        let bytes: [UInt8] = Array("[\"ok\",\n \"".utf8) + [0xC3, 0x28] + Array("\"]".utf8)
        #expect(throws: JSONParseError(kind: .invalidUTF8, line: 2, column: 3, offset: 9)) { try JSONValue.parse(bytes: bytes) }
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect((try? JSONValue.parse(ok)) != nil)
    }

    @Test func byteOrderMarkIsSkipped() throws {
        #expect(try JSONValue.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == [1])
    }

    @Test func sourceMapLocatesKeysAndElements() throws {
        let text = "{\n  \"a\": [10,\n    20],\n  \"b/c\": {\"d\": null}\n}"
        let (_, map) = try JSONValue.parseWithSourceMap(bytes: Array(text.utf8))
        #expect(map.location(ofPointer: "")! == (1, 1))
        #expect(map.location(ofPointer: "/a")! == (2, 3))
        #expect(map.location(ofPointer: "/a/1")! == (3, 5))
        #expect(map.location(ofPointer: "/b~1c/d")! == (4, 11))
        #expect(map.location(ofPointer: "/zzz") == nil)
    }
}
