import Foundation
import Testing
import Canonical
import Orchestration

/// The byte-level language of compiled schemas: hand-judged texts accepted or rejected byte by byte, and random
/// walks through the automaton whose every accepted text parses and validates with our JSON Schema validator.
@Suite struct GrammarLanguageTests {
    @Test func fixtureHasCases() {
        #expect(GrammarFixtures.languages.count >= 15)
    }

    @Test(arguments: GrammarFixtures.languages)
    func acceptsAndRejectsHandJudgedTexts(_ c: GrammarFixtures.LanguageCase) throws {
        let grammar = try JSONSchemaGrammar(schema: c.schema)
        let validator = try JSONSchema(json: c.schema, baseURL: nil, root: nil)
        for text in c.accept {
            #expect(grammar.accepts(text), "\(c.name): should accept \(text)")
            // The hand judgement agrees with the validator.
            let value = try JSONValue.parse(text)
            #expect(validator.validate(value).isEmpty, "\(c.name): \(text) should validate")
        }
        for text in c.reject {
            #expect(!grammar.accepts(text), "\(c.name): should reject \(text)")
        }
    }

    /// Random walks: at every step pick an allowed byte (preferring ones that close things, so texts end), stop
    /// when complete. Every text must be valid JSON that validates; no walk may get stuck (a dead end would mean
    /// the grammar allowed a byte after which nothing completes).
    @Test(arguments: GrammarFixtures.languages)
    func everyGeneratedTextValidates(_ c: GrammarFixtures.LanguageCase) throws {
        let grammar = try JSONSchemaGrammar(schema: c.schema)
        let validator = try JSONSchema(json: c.schema, baseURL: nil, root: nil)
        var rng = SeededRandom(seed: 7)
        for walk in 0..<150 {
            let text = try #require(Self.randomText(grammar, &rng), "\(c.name) walk \(walk): dead end")
            let value = try JSONValue.parse(bytes: text)
            #expect(validator.validate(value).isEmpty, "\(c.name): \(String(decoding: text, as: UTF8.self)) does not validate")
        }
    }

    static let preferred = Array("\"}],0".utf8)

    /// A random text of the grammar, or nil if the walk reached a state with no way on and not accepting.
    static func randomText(_ grammar: JSONSchemaGrammar, _ rng: inout SeededRandom, stopChance: Double = 0.5) -> [UInt8]? {
        var m = grammar.matcher()
        var out: [UInt8] = []
        while true {
            let allowed = m.allowedBytes()
            if m.isAccepting && (allowed.isEmpty || Double.random(in: 0..<1, using: &rng) < stopChance) { return out }
            guard !allowed.isEmpty else { return nil }
            let closers = allowed.filter(preferred.contains)
            let pick: UInt8
            if !closers.isEmpty, out.count > 40 || Double.random(in: 0..<1, using: &rng) < 0.3 {
                pick = closers.randomElement(using: &rng) ?? allowed[0]
            } else {
                pick = allowed.randomElement(using: &rng) ?? allowed[0]
            }
            guard m.feed(pick) else { return nil }
            out.append(pick)
            if out.count > 20_000 { return nil }
        }
    }

    @Test func multiByteCharactersMayBeSplitAnywhere() throws {
        let grammar = try JSONSchemaGrammar(schema: ["type": "string", "maxLength": 2])
        var m = grammar.matcher()
        let bytes = Array("\"é😀\"".utf8)
        for (i, b) in bytes.enumerated() {
            let accepted1 = m.feed(b)
            #expect(accepted1, "byte \(i)")
            #expect(m.isAccepting == (i == bytes.count - 1))
        }
        #expect(m.isFinished)
        // Overlong, surrogate and out-of-range encodings are never allowed.
        for bad: [UInt8] in [[0x22, 0xC0, 0x80], [0x22, 0xED, 0xA0, 0x80], [0x22, 0xF4, 0x90, 0x80, 0x80], [0x22, 0xE0, 0x80, 0x80]] {
            var n = grammar.matcher()
            let accepted2 = n.feed(bad)
            #expect(!accepted2, "\(bad)")
        }
    }

    @Test func finishedOnlyWhenNothingCanFollow() throws {
        let object = try JSONSchemaGrammar(schema: ["type": "object", "properties": ["a": ["type": "integer", "maximum": 5, "minimum": 0]]])
        var m = object.matcher()
        let accepted3 = m.feed(Array("{\"a\":5".utf8))
        #expect(accepted3)
        #expect(!m.isAccepting)
        #expect(m.allowedBytes() == Array("}".utf8))  // 5 is the largest: no digit may follow
        let accepted4 = m.feed(UInt8(ascii: "}"))
        #expect(accepted4)
        #expect(m.isAccepting && m.isFinished)
        let number = try JSONSchemaGrammar(schema: ["type": "integer", "minimum": 0, "maximum": 50])
        var n = number.matcher()
        let accepted5 = n.feed(Array("4".utf8))
        #expect(accepted5)
        #expect(n.isAccepting && !n.isFinished)
        #expect(n.allowedBytes() == Array("0123456789".utf8))
        let accepted6 = n.feed(UInt8(ascii: "9"))
        #expect(accepted6)
        #expect(n.isFinished)
        var five = number.matcher()
        let accepted7 = five.feed(UInt8(ascii: "5"))
        #expect(accepted7)
        #expect(five.allowedBytes() == [UInt8(ascii: "0")])
    }

    @Test func recursionStopsAtTheDepthLimit() throws {
        let schema: JSONValue = ["$ref": "#/$defs/list", "$defs": ["list": ["type": "array", "items": ["$ref": "#/$defs/list"]]]]
        let grammar = try JSONSchemaGrammar(schema: schema, maxDepth: 3)
        #expect(grammar.accepts("[[[]]]"))
        #expect(!grammar.accepts("[[[[]]]]"))
        var m = grammar.matcher()
        let accepted25 = m.feed(Array("[[[".utf8))
        #expect(accepted25)
        #expect(m.allowedBytes() == Array("]".utf8))
    }
}
