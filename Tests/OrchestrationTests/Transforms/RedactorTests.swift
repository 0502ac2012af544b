import Canonical
import Orchestration
import Testing

@Suite struct RedactorTests {
    static func entity(_ type: EntityType, _ start: Int, _ end: Int, _ text: String) -> Entity {
        Entity(id: "e\(start)", type: type, text: text, start: start, end: end, score: 1, producedBy: "pii")
    }

    @Test func spansBecomeTypeMarkers() {
        let text = "Call Jane Doe at 555-0100 or jane@x.io, café ☕ owner."
        let out = Redactor.redact(text, entities: [
            Self.entity(.phone, 17, 25, "555-0100"), Self.entity(.person, 5, 13, "Jane Doe"), Self.entity(.email, 29, 38, "jane@x.io"),
        ])
        #expect(out == "Call [PERSON] at [PHONE] or [EMAIL], café ☕ owner.")
    }

    @Test func overlapsJoinAndOutOfRangeIsIgnored() {
        let out = Redactor.redact("abcdefghij", entities: [
            Self.entity(.person, 1, 4, "bcd"), Self.entity(.email, 3, 6, "def"), Self.entity(.phone, 8, 30, "?"),
        ])
        #expect(out == "a[PERSON]ghij")
    }

    @Test func artifactIsAppendedWithNextID() {
        var record = CanonicalRecord(document: Document(id: "d", text: "Hi Ann", source: "s"))
        record.entities = [Self.entity(.person, 3, 6, "Ann")]
        record.artifacts = [Artifact(id: "art-2", kind: .code, content: "", producedBy: "x")]
        let out = Redactor.apply(to: record, step: "redact")
        #expect(out.artifacts.last == Artifact(id: "art-3", kind: .redactedText, content: "Hi [PERSON]", producedBy: "redact"))
    }
}
