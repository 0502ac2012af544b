import Testing
import Orchestration

@Suite struct WhenExpressionTests {
    func parse(_ s: String) throws -> String { try WhenExpressionParser.parse(s).get().description }

    func error(_ s: String) -> WhenExpressionParser.SyntaxError? {
        if case .failure(let e) = WhenExpressionParser.parse(s) { return e } else { return nil }
    }

    @Test func precedenceNotBindsTighterThanAndThanOr() throws {
        #expect(try parse("entities.count > 0") == "(entities.count > 0)")
        #expect(try parse("a == 1 or b == 2 and not c") == "((a == 1) or ((b == 2) and (not c)))")
        #expect(try parse("(a == 1 or b == 2) and c != 'x'") == "(((a == 1) or (b == 2)) and (c != \"x\"))")
        #expect(try parse("not not true") == "(not (not true))")
        #expect(try parse("obligations[0].status == \"unmet\"") == "(obligations[0].status == \"unmet\")")
        #expect(try parse("findings.count >= 2.5") == "(findings.count >= 2.5)")
        #expect(try parse("x <= -3") == "(x <= -3)")
    }

    @Test func pathsAreCollected() throws {
        let e = try WhenExpressionParser.parse("entities.count > 0 and document.language == 'en'").get()
        #expect(e.paths.map(\.description) == ["entities.count", "document.language"])
    }

    @Test func errorsCarryTheOffset() {
        #expect(error("entities.count = 0")?.offset == 15)
        #expect(error("entities.count = 0")?.message.contains("use '=='") == true)
        #expect(error("a > 1 and")?.offset == 9)
        #expect(error("(a > 1")?.offset == 6)
        #expect(error("a > 1 b")?.offset == 6)
        #expect(error("a < b < c")?.message.contains("do not chain") == true)
        #expect(error("name == 'open")?.offset == 8)
        #expect(error("a ! b")?.offset == 2)
        #expect(error("")?.offset == 0)
    }
}
