import Canonical
import Orchestration
import Testing

/// `input.answer: code-block`: a free-text answer → `{code, language, text}`, by the fence rules of CommonMark that
/// small models use (expectations written by hand).
@Suite struct CodeBlockAnswerTests {
    static func parse(_ text: String) throws -> JSONValue { try CodeBlockAnswer.parse(text, adapter: "a") }

    @Test func firstBlockWithItsLanguageAndTheWholeText() throws {
        let text = "Sure:\n```python\ndef f():\n    return 1\n```\nand\n```\nother\n```\n"
        #expect(try Self.parse(text) == .object(["code": "def f():\n    return 1\n", "language": "python", "text": .string(text)]))
    }

    @Test func fenceWithoutInfoHasNoLanguage() throws {
        #expect(try Self.parse("```\nx = 1\n```") == .object(["code": "x = 1\n", "text": "```\nx = 1\n```"]))
    }

    @Test func infoStringKeepsItsFirstWordAndCarriageReturnsGo() throws {
        let v = try Self.parse("~~~~ swift title=\"a\"\r\nlet a = 1\r\n\r\n~~~~\r\n")
        #expect(v["code"] == "let a = 1\n\n")
        #expect(v["language"] == "swift")
    }

    @Test func shorterOrDifferentFenceDoesNotClose() throws {
        // A ```` block holds ``` lines; a ~~~ line does not close ```; an indented-by-4 line is code.
        let v = try Self.parse("````md\n```\n~~~\n    ```\n````")
        #expect(v["code"] == "```\n~~~\n    ```\n")
    }

    @Test func backticksInTheInfoStringAreNotAFence() throws {
        // "```a```" is inline code, not a fence, so the block opens on the next line.
        #expect(try Self.parse("```a``` b\n```js\nx\n```")["code"] == "x\n")
    }

    @Test func emptyBlockIsAnEmptyFile() throws {
        #expect(try Self.parse("```\n```")["code"] == "")
    }

    @Test func noFenceOrAnUnclosedOneIsAnError() {
        #expect(throws: AdapterError.noCodeBlock(adapter: "a", message: "no line opens a ``` fence", text: "just ``x``")) {
            try Self.parse("just ``x``")
        }
        #expect(throws: AdapterError.noCodeBlock(adapter: "a", message: "the code block opened on line 2 is never closed", text: "hi\n```\nx")) {
            try Self.parse("hi\n```\nx")
        }
    }
}
