import Foundation
import Testing
import Canonical
import Inference
import Orchestration

/// Budget-aware masking: with the tokens left known, the constraint only offers tokens after which the JSON can
/// still be closed, so a generation that reaches its token limit has still produced a complete answer.
@Suite struct GrammarBudgetTests {
    static let obligations: JSONValue = [
        "type": "object", "required": ["obligations"], "additionalProperties": false,
        "properties": ["obligations": [
            "type": "array", "maxItems": 32,
            "items": [
                "type": "object", "required": ["clause", "modality", "party", "action"], "additionalProperties": false,
                "properties": [
                    "clause": ["type": "string", "minLength": 1, "maxLength": 400],
                    "modality": ["enum": ["must", "must-not", "may"]],
                    "party": ["type": "string", "maxLength": 80],
                    "action": ["type": "string", "maxLength": 200],
                    "deadline": ["type": "string", "maxLength": 80],
                ],
            ],
        ]],
    ]

    /// One token per byte: the shortest completion in tokens is exactly the shortest in bytes.
    static let bytes = GrammarVocabulary(tokenBytes: (0..<256).map { [UInt8($0)] })

    static func constraint(after text: String) throws -> GrammarTokenConstraint {
        let c = GrammarTokenConstraint(grammar: try JSONSchemaGrammar(schema: obligations), vocabulary: bytes)
        for b in text.utf8 { try c.accept(Int32(b)) }
        return c
    }

    /// Costs counted by hand from the shortest texts that complete each prefix.
    @Test(arguments: [
        ("", #"{"obligations":[]}"#),
        (#"{"obligations":["#, "]}"),
        // A new item: every required property with its shortest value ("may" is the shortest modality).
        (#"{"obligations":[{"#, #""clause":"x","modality":"may","party":"","action":""}]}"#),
        (#"{"obligations":[{"clause":""#, #"x","modality":"may","party":"","action":""}]}"#),
        (#"{"obligations":[{"clause":"a"#, #"","modality":"may","party":"","action":""}]}"#),
        (#"{"obligations":[{"clause":"a","modality":"must-"#, #"not","party":"","action":""}]}"#),
        (#"{"obligations":[{"clause":"a","modality":"may","party":"","action":"go""#, "}]}"),
        (#"{"obligations":[{"clause":"a","modality":"may","party":"","action":"go","#, #""deadline":""}]}"#),
        // Inside an escape: `\u00` owes two hex digits.
        (#"{"obligations":[{"clause":"\u00"#, #"41","modality":"may","party":"","action":""}]}"#),
    ])
    func bytesToCompleteIsTheShortestCompletion(prefix: String, completion: String) throws {
        try Self.expectShortest(Array(prefix.utf8), Array(completion.utf8))
    }

    /// Inside a character: é is C3 A9, so after C3 one continuation byte is owed.
    @Test func insideACharacterTheRestOfItIsOwed() throws {
        try Self.expectShortest(Array(#"{"obligations":[{"clause":""#.utf8) + [0xC3],
                                [0xA9] + Array(#"","modality":"may","party":"","action":""}]}"#.utf8))
    }

    static func expectShortest(_ prefix: [UInt8], _ completion: [UInt8]) throws {
        let c = GrammarTokenConstraint(grammar: try JSONSchemaGrammar(schema: obligations), vocabulary: bytes)
        for b in prefix { try c.accept(Int32(b)) }
        #expect(c.bytesToComplete == completion.count, "\(String(decoding: prefix, as: UTF8.self))")
        #expect(try JSONSchemaGrammar(schema: obligations).accepts(prefix + completion))
    }

    /// With exactly as many tokens left as the shortest completion needs, only its bytes are offered.
    @Test func atTheLimitOnlyTheShortestCompletionIsOffered() throws {
        let c = try Self.constraint(after: #"{"obligations":[{"clause":"The Supplier"#)
        let need = c.bytesToComplete
        #expect(c.allowedTokens(remainingTokens: need) == [Int32(UInt8(ascii: "\""))])
        // One token more: the clause may still grow by one character (or close).
        let looser = c.allowedTokens(remainingTokens: need + 1)
        #expect(looser.contains(Int32(UInt8(ascii: "s"))) && looser.contains(Int32(UInt8(ascii: "\""))))
    }

    /// A text that already needs more than the budget keeps the grammar's mask (never an empty one).
    @Test func overBudgetFallsBackToTheGrammar() throws {
        let c = try Self.constraint(after: #"{"obligations":[{"#)
        #expect(c.allowedTokens(remainingTokens: 3) == c.allowedTokens())
    }

    /// Random logits that never want to close anything, over the real vocabularies, under tight token limits:
    /// every generation still ends with a complete answer that validates.
    @Test(.enabled(if: GrammarTestModels.available(GrammarTestModels.smolLM2) && GrammarTestModels.available(GrammarTestModels.gemma3)))
    func reluctantDecoderStillClosesWithinTheLimit() throws {
        let validator = try JSONSchema(json: Self.obligations, baseURL: nil, root: nil)
        let grammar = try JSONSchemaGrammar(schema: Self.obligations)
        for model in [GrammarTestModels.smolLM2, GrammarTestModels.gemma3] {
            let loaded = try GrammarTestModels.load(model)
            let vocab = loaded.vocabulary
            // Penalise every token holding a closing byte: left alone, strings and arrays would run to the limit.
            let bias: [Float] = (0..<vocab.vocabSize).map { i in
                vocab.bytes(of: Int32(i)).contains { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "]") || $0 == UInt8(ascii: "}") } ? -8 : 0
            }
            for (seed, limit) in [(0, 18), (1, 19), (2, 30), (3, 60), (4, 61), (5, 100), (6, 200), (7, 512)] {
                let constraint = GrammarTokenConstraint(grammar: grammar, vocabulary: vocab)
                var rng = SeededRandom(seed: UInt64(seed))
                var logits = [Float](repeating: 0, count: vocab.vocabSize)
                var text: [UInt8] = [], produced = 0
                while produced < limit, !constraint.isFinished {
                    for i in logits.indices { logits[i] = Float(rng.next() >> 40) / Float(1 << 24) * 3 + bias[i] }
                    logits.withUnsafeMutableBufferPointer { constraint.applyMask(to: $0, remainingTokens: limit - produced) }
                    let token = try #require(GrammarDecodingTests.sample(logits, &rng))
                    try constraint.accept(token)
                    text += vocab.bytes(of: token)
                    produced += 1
                }
                let s = String(decoding: text, as: UTF8.self)
                #expect(constraint.isAccepting, "\(model) limit \(limit): not complete: \(s)")
                guard constraint.isAccepting else { continue }
                #expect(validator.validate(try JSONValue.parse(bytes: text)).isEmpty, "\(model) limit \(limit): \(s)")
                #expect(produced <= limit)
            }
        }
    }
}
