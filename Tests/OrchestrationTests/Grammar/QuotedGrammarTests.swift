import Canonical
import Foundation
import Orchestration
import Testing

/// `input.quote`: the pieces a record offers, and the narrowed grammar that lets a quoted string be exactly one of
/// them — checked against texts written by hand, through the grammar's own `accepts`.
@Suite struct QuotedGrammarTests {
    static let text = "SUPPLY AGREEMENT\n\n1. The Supplier shall deliver the goods.\n2. The Buyer may pay late! Really?\nSigned by\nTom Brennan.\n"

    @Test func piecesPerUnit() {
        #expect(QuotedChoices.pieces(of: Self.text, unit: .sentence) == [
            "SUPPLY AGREEMENT", "The Supplier shall deliver the goods.", "The Buyer may pay late!", "Really?", "Signed by",
            "Tom Brennan.",
        ])
        #expect(QuotedChoices.pieces(of: "def f():\r\n    return 1\n\n  \nx = 2", unit: .line) == ["def f():", "    return 1", "x = 2"])
        #expect(QuotedChoices.pieces(of: "src/add.py", unit: .whole) == ["src/add.py"])
        #expect(QuotedChoices.pieces(of: "", unit: .whole).isEmpty)
    }

    static let schema: JSONValue = try! JSONValue.parse(Data("""
    {"type": "object", "required": ["obligations"], "additionalProperties": false, "properties": {
      "obligations": {"type": "array", "maxItems": 4, "items": {"type": "object", "required": ["clause", "party"],
        "additionalProperties": false, "properties": {
          "clause": {"type": "string", "minLength": 1, "maxLength": 30, "description": "as written"},
          "party": {"type": "string", "maxLength": 20}}}}}}
    """.utf8))

    static func choices(_ text: String) throws -> QuotedChoices {
        let quote = QuoteSpec(at: try #require(NativePointer("/obligations/*/clause")),
                              from: try CanonicalPath.parse("document.text").get(), unit: .sentence)
        return QuotedChoices([quote], record: .object(["document": .object(["text": .string(text)])]))
    }

    @Test func narrowedGrammarAcceptsExactlyTheSentences() throws {
        let choices = try Self.choices(Self.text)
        let narrowed = try choices.narrowing(Self.schema, adapter: "t")
        // "The Supplier shall deliver the goods." is 37 scalars, over maxLength 30: not offered.
        #expect(narrowed.value(atPointer: "/properties/obligations/items/properties/clause") == .object([
            "type": "string", "enum": ["SUPPLY AGREEMENT", "The Buyer may pay late!", "Really?", "Signed by", "Tom Brennan."],
            "description": "as written",
        ]))
        let grammar = try JSONSchemaGrammar(schema: narrowed)
        #expect(grammar.accepts(#"{"obligations":[{"clause":"The Buyer may pay late!","party":"Buyer"},{"clause":"Really?","party":""}]}"#))
        #expect(grammar.accepts(#"{"obligations":[]}"#))
        #expect(!grammar.accepts(#"{"obligations":[{"clause":"The Buyer may pay late","party":"Buyer"}]}"#))  // a prefix
        #expect(!grammar.accepts(#"{"obligations":[{"clause":"The Buyer can pay late!","party":"Buyer"}]}"#))  // a paraphrase
        #expect(!grammar.accepts(#"{"obligations":[{"clause":"The Supplier shall deliver the goods.","party":"x"}]}"#))
        // The original grammar takes any clause; the other fields keep their constraints.
        #expect(try JSONSchemaGrammar(schema: Self.schema).accepts(#"{"obligations":[{"clause":"The Buyer can pay late!","party":"Buyer"}]}"#))
        #expect(!grammar.accepts(#"{"obligations":[{"clause":"Really?","party":"123456789012345678901"}]}"#))
    }

    @Test func quotesEscapedLikeAnyJSONString() throws {
        let narrowed = try Self.choices(#"He said "pay" now."#).narrowing(Self.schema, adapter: "t")
        let grammar = try JSONSchemaGrammar(schema: narrowed)
        #expect(grammar.accepts(#"{"obligations":[{"clause":"He said \"pay\" now.","party":""}]}"#))
    }

    @Test func nothingToQuoteIsAnInputError() throws {
        #expect(throws: AdapterError.nothingToQuote(adapter: "t", at: "/obligations/*/clause", from: "document.text")) {
            try Self.choices("1. 2.").narrowing(Self.schema, adapter: "t")
        }
        #expect(AdapterError.nothingToQuote(adapter: "t", at: "/a", from: "document.text").kind == "invalid-input")
    }

    @Test func onlyPlainStringsReachedThroughPropertiesAndItemsCanBeQuoted() throws {
        let refSchema = try JSONValue.parse(Data(##"{"$defs": {"s": {"type": "string"}}, "type": "object", "properties": {"a": {"$ref": "#/$defs/s"}, "b": {"type": "string", "enum": ["x"]}, "c": {"type": "string"}}}"##.utf8))
        func problem(_ p: String) throws -> String? {
            QuotedChoices.checkNarrowable(try #require(NativePointer(p)), in: refSchema)?.message
        }
        #expect(try problem("/c") == nil)
        #expect(try problem("/a")?.contains("uses $ref/anyOf/oneOf/allOf") == true)
        #expect(try problem("/b")?.contains("is not a plain string schema") == true)
        #expect(try problem("/d")?.contains("has no property 'd'") == true)
        #expect(try problem("/c/*")?.contains("has no items") == true)
    }
}
