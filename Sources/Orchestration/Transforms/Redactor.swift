import Canonical

/// The `redact` step: a `redacted-text` artifact holding `document.text` with every entity span replaced by
/// `[TYPE]` (`Call [PERSON] at [PHONE].`). Overlapping entities are joined into one replacement named after the
/// first (earliest, then longest); entities outside the text are ignored.
public enum Redactor {
    public static func redact(_ text: String, entities: [Entity]) -> String {
        let scalars = Array(text.unicodeScalars)
        let spans = entities
            .filter { 0 <= $0.start && $0.start < $0.end && $0.end <= scalars.count }
            .sorted { ($0.start, -$0.end) < ($1.start, -$1.end) }
        var out = String.UnicodeScalarView()
        var cursor = 0
        for e in spans {
            if e.start < cursor { continue }  // inside the previous replacement
            out.append(contentsOf: scalars[cursor..<e.start])
            out.append(contentsOf: "[\(e.type.rawValue)]".unicodeScalars)
            cursor = e.end
            // Swallow entities overlapping this one.
            for other in spans where other.start < cursor && other.end > cursor { cursor = other.end }
        }
        out.append(contentsOf: scalars[cursor...])
        return String(out)
    }

    /// The record with the redacted-text artifact appended.
    public static func apply(to record: CanonicalRecord, step: String) -> CanonicalRecord {
        var r = record
        let id = CanonicalDefaults.nextID(for: "artifacts", in: record.artifacts.map { .object(["id": .string($0.id)]) })
        r.artifacts.append(Artifact(id: id, kind: .redactedText, language: record.document.language,
                                    content: redact(record.document.text, entities: record.entities), producedBy: step))
        return r
    }
}
