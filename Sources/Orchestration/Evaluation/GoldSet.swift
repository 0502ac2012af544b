import Canonical
import Foundation

/// One hand-labelled document of a gold set (one line of a gold JSONL file).
///
/// ```json
/// {"id": "…", "text": "…",
///  "entities": [{"type": "PERSON", "start": 5, "end": 13, "text": "Jane Doe"}],
///  "obligations": [{"text": "…", "start": 0, "end": 40, "modality": "must", "party": "Supplier",
///                   "deadline": null, "status": "met"}]}
/// ```
/// Offsets count Unicode scalars; `text` of every entity must equal `document text[start..<end]`. `entities` and
/// `obligations` may be absent: an absent list is not evaluated for that document, an empty one means "none".
public struct GoldDocument: Hashable, Sendable {
    public var id: String
    public var text: String
    /// nil when the line has no `entities` key (entity metrics skip the document).
    public var entities: [EntityMention]?
    /// nil when the line has no `obligations` key.
    public var obligations: [GoldObligation]?

    public init(id: String, text: String, entities: [EntityMention]?, obligations: [GoldObligation]? = nil) {
        self.id = id; self.text = text; self.entities = entities; self.obligations = obligations
    }
}

/// A hand-labelled obligation. Fields left out of the gold line are not compared.
public struct GoldObligation: Hashable, Sendable {
    /// The clause as written (matched against predicted obligations' text when there is no span).
    public var text: String
    /// Where the clause is in the document (Unicode scalars); predicted evidence overlapping it aligns.
    public var span: Range<Int>?
    public var modality: Obligation.Modality?
    public var party: String?
    /// Compared only when `checksDeadline` (the gold line has a `deadline` key, possibly `null`).
    public var deadline: String?
    public var checksDeadline: Bool
    public var status: Obligation.Status?

    public init(text: String, span: Range<Int>? = nil, modality: Obligation.Modality? = nil, party: String? = nil,
                deadline: String? = nil, checksDeadline: Bool = false, status: Obligation.Status? = nil) {
        self.text = text; self.span = span; self.modality = modality; self.party = party
        self.deadline = deadline; self.checksDeadline = checksDeadline; self.status = status
    }
}

/// A gold file that cannot be used: where (file, line, key path) and what was expected.
public struct GoldSetError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    /// JSON Pointer into the line's object, e.g. `/entities/2/end`; empty for the whole line.
    public var pointer: String
    public var message: String

    public init(file: String, line: Int, pointer: String, message: String) {
        self.file = file; self.line = line; self.pointer = pointer; self.message = message
    }

    public var description: String { "\(file):\(line): \(pointer.isEmpty ? "" : pointer + ": ")\(message)" }
}

/// Reads gold JSONL files: one object per line, blank lines ignored, every offset and type checked.
public enum GoldSet {
    public static func load(_ url: URL) throws(GoldSetError) -> [GoldDocument] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw GoldSetError(file: url.path, line: 0, pointer: "", message: "cannot read the gold file: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw GoldSetError(file: url.path, line: 0, pointer: "", message: "the gold file is not valid UTF-8")
        }
        return try parse(text, file: url.path)
    }

    public static func parse(_ jsonl: String, file: String = "<gold>") throws(GoldSetError) -> [GoldDocument] {
        var documents: [GoldDocument] = []
        var ids = Set<String>()
        for (index, line) in jsonl.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let doc = try parseLine(String(trimmed), file: file, line: index + 1)
            guard ids.insert(doc.id).inserted else {
                throw GoldSetError(file: file, line: index + 1, pointer: "/id", message: "duplicate document id '\(doc.id)'")
            }
            documents.append(doc)
        }
        return documents
    }

    static func parseLine(_ line: String, file: String, line number: Int) throws(GoldSetError) -> GoldDocument {
        func fail(_ pointer: String, _ message: String) -> GoldSetError {
            GoldSetError(file: file, line: number, pointer: pointer, message: message)
        }
        let value: JSONValue
        do { value = try JSONValue.parse(line) } catch {
            throw fail("", "not JSON (column \(error.column)): \(error.message)")
        }
        guard let object = value.objectValue else { throw fail("", "expected a JSON object") }
        guard let id = object["id"]?.stringValue, !id.isEmpty else { throw fail("/id", "expected a non-empty string") }
        guard let text = object["text"]?.stringValue else { throw fail("/text", "expected a string") }
        let scalars = Array(text.unicodeScalars)
        func slice(_ a: Int, _ b: Int) -> String {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: scalars[a ..< b])
            return String(v)
        }
        func span(_ o: JSONObject, _ at: String) throws(GoldSetError) -> (Int, Int) {
            guard let start = o["start"]?.intValue else { throw fail(at + "/start", "expected an integer offset") }
            guard let end = o["end"]?.intValue else { throw fail(at + "/end", "expected an integer offset") }
            guard 0 <= start, start <= end, end <= scalars.count else {
                throw fail(at, "span \(start)..<\(end) is outside the text (0..<\(scalars.count) Unicode scalars)")
            }
            return (start, end)
        }

        var entities: [EntityMention]?
        if let list = object["entities"] {
            guard let items = list.arrayValue else { throw fail("/entities", "expected an array") }
            var out: [EntityMention] = []
            for (k, item) in items.enumerated() {
                let at = "/entities/\(k)"
                guard let e = item.objectValue else { throw fail(at, "expected an object") }
                guard let type = e["type"]?.stringValue, EntityType(rawValue: type) != nil else {
                    throw fail(at + "/type", "expected a canonical entity type (\(EntityType.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                let (start, end) = try span(e, at)
                let covered = slice(start, end)
                if let given = e["text"]?.stringValue, given != covered {
                    throw fail(at + "/text", "'\(given)' is not the text at \(start)..<\(end), which is '\(covered)'")
                }
                out.append(EntityMention(type: type, start: start, end: end, text: covered))
            }
            entities = out
        }

        var obligations: [GoldObligation]?
        if let list = object["obligations"] {
            guard let items = list.arrayValue else { throw fail("/obligations", "expected an array") }
            var out: [GoldObligation] = []
            for (k, item) in items.enumerated() {
                let at = "/obligations/\(k)"
                guard let o = item.objectValue else { throw fail(at, "expected an object") }
                var g = GoldObligation(text: o["text"]?.stringValue ?? "")
                if o["start"] != nil || o["end"] != nil {
                    let (start, end) = try span(o, at)
                    g.span = start ..< end
                    if g.text.isEmpty { g.text = slice(start, end) }
                }
                if g.text.isEmpty { throw fail(at + "/text", "expected the clause text or a start/end span") }
                if let m = o["modality"] {
                    guard let s = m.stringValue, let v = Obligation.Modality(rawValue: s) else {
                        throw fail(at + "/modality", "expected one of must, must-not, may")
                    }
                    g.modality = v
                }
                if let p = o["party"] {
                    guard let s = p.stringValue else { throw fail(at + "/party", "expected a string") }
                    g.party = s
                }
                if let d = o["deadline"] {
                    guard d.isNull || d.stringValue != nil else { throw fail(at + "/deadline", "expected a string or null") }
                    g.deadline = d.stringValue
                    g.checksDeadline = true
                }
                if let s = o["status"] {
                    guard let str = s.stringValue, let v = Obligation.Status(rawValue: str) else {
                        throw fail(at + "/status", "expected one of met, unmet, unknown")
                    }
                    g.status = v
                }
                out.append(g)
            }
            obligations = out
        }
        return GoldDocument(id: id, text: text, entities: entities, obligations: obligations)
    }
}
