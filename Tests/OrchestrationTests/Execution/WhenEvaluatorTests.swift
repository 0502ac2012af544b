import Canonical
import Orchestration
import Testing

/// `when:` evaluation over a hand-built record; each row is an expression and the truth value the documented
/// rules give.
@Suite struct WhenEvaluatorTests {
    static let record: JSONValue = [
        "document": ["id": "d", "text": "abc", "language": "en", "metadata": ["pages": 3]],
        "entities": [["type": "PERSON", "score": 0.9], ["type": "EMAIL", "score": 0.4]],
        "obligations": [["status": "met"], ["status": "unmet"]],
        "artifacts": [],
        "findings": [],
    ]

    static let table: [(String, Bool)] = [
        ("entities.count > 0", true),
        ("entities.count == 2", true),
        ("entities.count >= 3", false),
        ("artifacts.count == 0", true),
        ("artifacts.count > 0", false),
        ("findings.count < 1", true),
        ("document.language == 'en'", true),
        ("document.language != \"en\"", false),
        ("document.language < 'fr'", true),
        ("document.metadata.pages >= 3", true),
        // Absent single values: only != holds.
        ("document.source == 'x'", false),
        ("document.source != 'x'", true),
        ("document.source > 'x'", false),
        // [] paths: any element.
        ("obligations[].status == 'unmet'", true),
        ("obligations[].status == 'unknown'", false),
        ("entities[].score > 0.8", true),
        ("entities[].score > 0.95", false),
        ("artifacts[].kind == 'diff'", false),
        ("artifacts[].kind != 'diff'", false),
        ("obligations[1].status == 'unmet'", true),
        ("obligations[5].status == 'unmet'", false),
        // Mixed types: == false, != true.
        ("document.language == 3", false),
        ("document.language != 3", true),
        // Boolean operators and truthiness.
        ("not entities.count > 0", false),
        ("entities.count > 0 and document.language == 'de'", false),
        ("entities.count > 0 and not document.language == 'de'", true),
        ("artifacts.count > 0 or obligations.count == 2", true),
        ("(artifacts.count > 0 or obligations.count == 2) and false", false),
        ("document.language", true),
        ("document.source", false),
        ("entities", true),
        ("artifacts", false),
        ("true", true),
        ("not not true", true),
    ]

    @Test func table() throws {
        for (source, expected) in Self.table {
            let expression = try WhenExpressionParser.parse(source).get()
            #expect(try WhenEvaluator.evaluate(expression, record: Self.record) == expected, "\(source)")
        }
    }

    @Test func orderingAcrossTypesIsAnError() throws {
        for source in ["document.language > 3", "entities.count < 'x'", "true < false"] {
            let expression = try WhenExpressionParser.parse(source).get()
            #expect(throws: WhenEvaluationError.self, "\(source)") { try WhenEvaluator.evaluate(expression, record: Self.record) }
        }
    }
}
