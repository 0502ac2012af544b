import Canonical

/// The deterministic checks a chain runs as steps: proof before "done". A check never changes what models wrote;
/// each problem becomes a finding (`rule` = the check's name, `severity: error`), and any finding makes the check
/// fail (which triggers the fallback of the steps it `needs`).
///
/// - `spans-match-text`: every entity (and entity part) has `text == document.text[start..<end]` with offsets
///   inside the text.
/// - `evidence-exists`: every evidence span of an obligation or finding lies inside the text and quotes it
///   exactly; every obligation's clause (`text`) occurs in the document (white space runs compared as one space).
/// - `schema-valid`: the record validates against the canonical schema (one finding per violation, at most 20).
/// - `diff-applies`: every `diff` artifact parses and applies without fuzz to the `code` artifact with its path
///   (or the first code artifact).
public enum RecordChecks {
    public static func run(_ kind: CheckKind, on record: CanonicalRecord, step: String, canonical: JSONSchema) -> [Finding] {
        let problems: [(message: String, evidence: [Span])]
        switch kind {
        case .spansMatchText: problems = spansMatchText(record)
        case .evidenceExists: problems = evidenceExists(record)
        case .schemaValid: problems = schemaValid(record, canonical)
        case .diffApplies: problems = diffApplies(record)
        }
        // Only the ids matter for the next id: no need to write the whole record as JSON.
        var existing = record.findings.map { JSONValue.object(["id": .string($0.id)]) }
        var out: [Finding] = []
        for p in problems {
            let id = CanonicalDefaults.nextID(for: "findings", in: existing)
            existing.append(.object(["id": .string(id)]))
            out.append(Finding(id: id, rule: kind.rawValue, severity: .error, message: p.message, evidence: p.evidence, producedBy: step))
        }
        return out
    }

    /// The text a span covers, or nil when it is outside the document.
    static func slice(_ scalars: [Unicode.Scalar], _ start: Int, _ end: Int) -> String? {
        guard 0 <= start, start <= end, end <= scalars.count else { return nil }
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }

    static func spanProblem(_ what: String, _ start: Int, _ end: Int, _ text: String,
                            _ scalars: [Unicode.Scalar]) -> (message: String, evidence: [Span])? {
        guard let actual = slice(scalars, start, end) else {
            return ("\(what) [\(start), \(end)) lies outside the document (\(scalars.count) characters)", [])
        }
        guard actual == text else {
            return ("\(what) says \(text.debugDescription) but document.text[\(start)..<\(end)] is \(actual.debugDescription)",
                    [Span(start: start, end: end, text: actual)])
        }
        return nil
    }

    static func spansMatchText(_ r: CanonicalRecord) -> [(message: String, evidence: [Span])] {
        let scalars = Array(r.document.text.unicodeScalars)
        var out: [(message: String, evidence: [Span])] = []
        for e in r.entities {
            if let p = spanProblem("entity \(e.id) (\(e.type.rawValue))", e.start, e.end, e.text, scalars) { out.append(p) }
            for part in e.attributes?.parts ?? [] {
                if let p = spanProblem("entity \(e.id) part \(part.type)", part.start, part.end, part.text, scalars) { out.append(p) }
            }
        }
        return out
    }

    static func normalized(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func evidenceExists(_ r: CanonicalRecord) -> [(message: String, evidence: [Span])] {
        let scalars = Array(r.document.text.unicodeScalars)
        let document = normalized(r.document.text)
        var out: [(message: String, evidence: [Span])] = []
        for o in r.obligations {
            if !o.text.isEmpty, !document.contains(normalized(o.text)) {
                out.append(("obligation \(o.id): its clause is not in the document: \(o.text.debugDescription)", []))
            }
            for (k, s) in o.evidence.enumerated() {
                if let p = spanProblem("obligation \(o.id) evidence[\(k)]", s.start, s.end, s.text, scalars) { out.append(p) }
            }
        }
        for f in r.findings {
            for (k, s) in f.evidence.enumerated() {
                if let p = spanProblem("finding \(f.id) evidence[\(k)]", s.start, s.end, s.text, scalars) { out.append(p) }
            }
        }
        return out
    }

    static func schemaValid(_ r: CanonicalRecord, _ canonical: JSONSchema) -> [(message: String, evidence: [Span])] {
        guard let json = try? r.toJSONValue() else { return [("the record cannot be written as JSON", [])] }
        let violations = canonical.validate(json)
        var out = violations.prefix(20).map { (message: "\($0)", evidence: [Span]()) }
        if violations.count > 20 { out.append(("\(violations.count - 20) more schema violations", [])) }
        return out
    }

    static func diffApplies(_ r: CanonicalRecord) -> [(message: String, evidence: [Span])] {
        var out: [(message: String, evidence: [Span])] = []
        let code = r.artifacts.filter { $0.kind == .code }
        for a in r.artifacts where a.kind == .diff {
            let diff: UnifiedDiff
            switch Result(catching: { () throws(UnifiedDiffError) -> UnifiedDiff in try UnifiedDiff.parse(a.content) }) {
            case .success(let d): diff = d
            case .failure(let e): out.append(("diff \(a.id) is malformed: \(e)", [])); continue
            }
            for file in diff.files {
                let path = a.path ?? file.path
                guard let target = code.first(where: { $0.path == path }) ?? code.first(where: { $0.path == file.path }) ?? code.first else {
                    out.append(("diff \(a.id) changes '\(path)', but the record holds no code artifact to apply it to", []))
                    continue
                }
                if case .failure(let e) = Result(catching: { () throws(UnifiedDiffError) -> String in try file.apply(to: target.content) }) {
                    out.append(("diff \(a.id) does not apply to \(target.id) (\(target.path ?? "no path")): \(e)", []))
                }
            }
        }
        return out
    }
}
