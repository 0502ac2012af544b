import Canonical
import Foundation
import Testing

/// One schema and its cases from `Tests/Fixtures/canonical/keywords.json` (official test-suite format).
/// Expected verdicts come from the 2020-12 specification and are cross-checked against python-jsonschema by
/// `scripts/fixtures/canonical_check_keywords.py` (which lists where that library intentionally differs).
struct KeywordGroup: CustomTestStringConvertible, Sendable {
    let description: String
    let schema: JSONValue
    let tests: [(data: JSONValue, valid: Bool)]
    var testDescription: String { description }

    static func all() throws -> [KeywordGroup] {
        let text = try String(contentsOf: Fixtures.url("keywords.json"), encoding: .utf8)
        guard let groups = try JSONValue.parse(text).arrayValue else { return [] }
        return groups.compactMap { g in
            guard let d = g["description"]?.stringValue, let s = g["schema"], let t = g["tests"]?.arrayValue else { return nil }
            return KeywordGroup(description: d, schema: s, tests: t.compactMap { c in
                guard let data = c["data"], let valid = c["valid"]?.boolValue else { return nil }
                return (data, valid)
            })
        }
    }
}

@Suite struct SchemaKeywordTests {
    @Test func fixtureHasAllGroups() throws {
        #expect(try KeywordGroup.all().count == 53)
    }

    @Test(arguments: try KeywordGroup.all())
    func keywordBehaviour(group: KeywordGroup) throws {
        let schema = try JSONSchema(json: group.schema, baseURL: nil, root: nil)
        for (data, valid) in group.tests {
            let violations = schema.validate(data)
            #expect(violations.isEmpty == valid, "\(data): \(violations)")
            #expect(schema.isValid(data) == valid, "isValid(\(data))")
        }
    }
}
