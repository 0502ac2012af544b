import Canonical
import Foundation
import Testing

@Suite struct JSONValueTests {
    @Test func compactAndPrettySerialization() throws {
        let v: JSONValue = ["b": [1, 2.5, true, nil], "a": ["x": "y"], "e": [], "o": [:]]
        #expect(v.serialized() == #"{"b":[1,2.5,true,null],"a":{"x":"y"},"e":[],"o":{}}"#)
        #expect(v.serialized(options: .sortedKeys) == #"{"a":{"x":"y"},"b":[1,2.5,true,null],"e":[],"o":{}}"#)
        #expect(v.serialized(options: .pretty) == """
        {
          "b": [
            1,
            2.5,
            true,
            null
          ],
          "a": {
            "x": "y"
          },
          "e": [],
          "o": {}
        }
        """)
    }

    @Test func stringsAreEscapedPerRFC8259() {
        let s: JSONValue = .string("q\"b\\s/\n\r\t\u{08}\u{0C}\u{01}\u{1F}\u{7F}é💩\u{2028}")
        #expect(s.serialized() == #""q\"b\\s/\n\r\t\b\f\u0001\u001f\u007fé💩"# + "\u{2028}\"")
    }

    @Test func escapesCutRunsAsBytesNotCharacters() {
        // A combining mark right after an escaped quote or backslash makes one Character with it; the text between
        // escapes must still be copied exactly once. Also: escapes at both ends, and no escape at all.
        let s: JSONValue = .string("\"\u{301}a\\\u{301}\n\r\ne\u{301}💩\t")
        #expect(s.serialized() == #""\"\#u{301}a\\\#u{301}\n\r\ne\#u{301}💩\t""#)
        #expect(JSONValue.string("plain é 💩").serialized() == "\"plain é 💩\"")
        #expect(JSONValue.string("").serialized() == "\"\"")
    }

    @Test func numbersRoundTrip() throws {
        for text in ["0", "-1", "9223372036854775807", "0.1", "1.0", "1e-07", "1e+16", "-2.5e-300", "123.456"] {
            let v = try JSONValue.parse(text)
            let again = try JSONValue.parse(v.serialized())
            #expect(again == v, "\(text) -> \(v.serialized())")
            if case .number(let a) = v, case .number(let b) = again { #expect(a.bitPattern == b.bitPattern) }
        }
        #expect(JSONValue.number(.nan).serialized() == "null")
        #expect(JSONValue.number(1.0).serialized() == "1.0")
    }

    @Test func serializeParseRoundTripPreservesOrderAndKinds() throws {
        let text = #"{"z":[1,1.5,"é\u0000",{"k":false,"a":null}],"a":-0.0}"#
        let v = try JSONValue.parse(text)
        #expect(v.serialized() == text)
    }

    @Test func jsonPointerRFC6901Examples() throws {
        // The example document and pointers of RFC 6901 §5.
        let doc = try JSONValue.parse(#"{"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8}"#)
        #expect(doc.value(atPointer: "") == doc)
        #expect(doc.value(atPointer: "/foo") == ["bar", "baz"])
        #expect(doc.value(atPointer: "/foo/0") == "bar")
        #expect(doc.value(atPointer: "/") == 0)
        #expect(doc.value(atPointer: "/a~1b") == 1)
        #expect(doc.value(atPointer: "/c%d") == 2)
        #expect(doc.value(atPointer: "/e^f") == 3)
        #expect(doc.value(atPointer: "/g|h") == 4)
        #expect(doc.value(atPointer: "/i\\j") == 5)
        #expect(doc.value(atPointer: "/k\"l") == 6)
        #expect(doc.value(atPointer: "/ ") == 7)
        #expect(doc.value(atPointer: "/m~0n") == 8)
        #expect(doc.value(atPointer: "/foo/2") == nil)
        #expect(doc.value(atPointer: "/foo/01") == nil)
        #expect(doc.value(atPointer: "/foo/-") == nil)
        #expect(doc.value(atPointer: "foo") == nil)
        #expect(doc.value(atPointer: "/m~2n") == nil)
        #expect(JSONPointer(tokens: ["a/b", "m~n", "0"]).description == "/a~1b/m~0n/0")
    }

    @Test func objectKeepsInsertionOrderAndReplacesInPlace() {
        var o = JSONObject()
        o["b"] = 1; o["a"] = 2; o["b"] = 3
        #expect(o.keys == ["b", "a"])
        #expect(o["b"] == 3)
        o["b"] = nil
        #expect(o.keys == ["a"])
        #expect(o.sortedByKey().keys == ["a"])
        #expect(JSONObject([("x", JSONValue.integer(1)), ("c", 2)]).map(\.key) == ["x", "c"])
    }
}
