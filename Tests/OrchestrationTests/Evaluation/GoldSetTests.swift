import Foundation
import Testing
import Orchestration

/// Gold JSONL parsing: offsets in Unicode scalars, every span's text checked, errors that say where.
@Suite struct GoldSetTests {
    @Test func parsesScalarOffsetsAndAbsentLists() throws {
        let jsonl = """
        {"id":"a","text":"🙏 Ann Lee","entities":[{"type":"PERSON","start":2,"end":9,"text":"Ann Lee"}]}

        {"id":"b","text":"nothing here"}
        """
        let docs = try GoldSet.parse(jsonl)
        #expect(docs.count == 2)
        #expect(docs[0].entities == [EntityMention(type: "PERSON", start: 2, end: 9, text: "Ann Lee")])
        #expect(docs[1].entities == nil)  // not evaluated, unlike []
        #expect(docs[1].obligations == nil)
    }

    @Test func textMustEqualTheSpan() {
        let jsonl = """
        {"id":"a","text":"x","entities":[]}
        {"id":"b","text":"Call Jane Doe","entities":[{"type":"PERSON","start":5,"end":12,"text":"Jane Doe"}]}
        """
        #expect(throws: GoldSetError(file: "g.jsonl", line: 2, pointer: "/entities/0/text",
                                     message: "'Jane Doe' is not the text at 5..<12, which is 'Jane Do'")) {
            try GoldSet.parse(jsonl, file: "g.jsonl")
        }
    }

    @Test func rejectsBadTypesSpansAndDuplicates() {
        func problem(_ line: String) -> String? {
            do { _ = try GoldSet.parse(line); return nil } catch { return "\(error.pointer): \(error.message)" }
        }
        #expect(problem(#"{"id":"a","text":"abc","entities":[{"type":"NAME","start":0,"end":1}]}"#)?
            .hasPrefix("/entities/0/type: expected a canonical entity type") == true)
        #expect(problem(#"{"id":"a","text":"abc","entities":[{"type":"URL","start":1,"end":4}]}"#)
            == "/entities/0: span 1..<4 is outside the text (0..<3 Unicode scalars)")
        #expect(problem(#"{"id":"a","text":"abc","entities":[{"type":"URL","start":2,"end":1}]}"#)
            == "/entities/0: span 2..<1 is outside the text (0..<3 Unicode scalars)")
        #expect(problem("{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"a\",\"text\":\"y\"}") == "/id: duplicate document id 'a'")
        #expect(problem(#"{"text":"x"}"#) == "/id: expected a non-empty string")
        #expect(problem(#"{"id":"a","text":"x","obligations":[{"text":"pay","status":"done"}]}"#)
            == "/obligations/0/status: expected one of met, unmet, unknown")
        #expect(problem("[1]") == ": expected a JSON object")
    }

    @Test func obligationsKeepWhatTheyState() throws {
        let docs = try GoldSet.parse(#"{"id":"c","text":"Supplier must pay by 1 May.","obligations":[{"start":0,"end":27,"modality":"must","deadline":null},{"text":"pay","party":"Supplier"}]}"#)
        let o = try #require(docs.first?.obligations)
        #expect(o[0] == GoldObligation(text: "Supplier must pay by 1 May.", span: 0 ..< 27, modality: .must,
                                       deadline: nil, checksDeadline: true))
        #expect(o[1] == GoldObligation(text: "pay", party: "Supplier"))
    }
}
