import Testing
import Orchestration

@Suite struct PathSyntaxTests {
    @Test func canonicalPaths() throws {
        let p = try CanonicalPath.parse("obligations[].evidence[0].start").get()
        #expect(p.segments == [.field("obligations"), .each, .field("evidence"), .index(0), .field("start")])
        #expect(p.description == "obligations[].evidence[0].start")
        #expect(p.fanOut == 1)
        #expect(try CanonicalPath.parse("document.metadata.instruction").get().segments.count == 3)
    }

    @Test func canonicalPathErrorsPointAtTheCharacter() {
        func offset(_ s: String) -> Int? {
            if case .failure(let e) = CanonicalPath.parse(s) { return e.offset } else { return nil }
        }
        #expect(offset("document..text") == 9)
        #expect(offset("entities[x]") == 9)
        #expect(offset(".text") == 0)
        #expect(offset("document.text!") == 13)
        #expect(offset("entities[") == 9)
    }

    @Test func nativePointersWithWildcards() throws {
        let p = try #require(NativePointer("/verdicts/*/evidence/start"))
        #expect(p.tokens == [.key("verdicts"), .wildcard, .key("evidence"), .key("start")])
        #expect(p.fanOut == 1)
        #expect(NativePointer("/a~1b/c~0d")?.tokens == [.key("a/b"), .key("c~d")])
        #expect(NativePointer("")?.tokens == [])
        #expect(NativePointer("verdicts") == nil)
        #expect(NativePointer("/a~2") == nil)
    }

    @Test func promptTemplates() throws {
        let (template, placed) = try PromptTemplateParser.parse("Fix {{ artifacts[0].path }} as asked: {{document.text}}.").get()
        #expect(template.pieces == [
            .text("Fix "), .placeholder(try CanonicalPath.parse("artifacts[0].path").get()),
            .text(" as asked: "), .placeholder(try CanonicalPath.parse("document.text").get()), .text("."),
        ])
        #expect(placed.map(\.offset) == [7, 40])
        guard case .failure(let e) = PromptTemplateParser.parse("Hi {{document.text") else { Issue.record("should fail"); return }
        #expect(e.offset == 3)
        guard case .failure(let f) = PromptTemplateParser.parse("Hi {{document text}}") else { Issue.record("should fail"); return }
        #expect(f.offset == 13)
    }
}
