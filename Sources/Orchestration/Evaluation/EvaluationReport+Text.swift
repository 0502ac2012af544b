import Foundation

extension EvaluationReport {
    /// The report as `franca eval --format text` prints it: one row per slice, then record-level rates.
    public func text(chain: String, gold: String) -> String {
        var out = "\(chain) on \(gold): \(documents) gold document\(documents == 1 ? "" : "s")"
        out += missingRecords.isEmpty ? "\n" : ", \(missingRecords.count) without a record (scored as empty): "
            + missingRecords.prefix(5).joined(separator: ", ") + (missingRecords.count > 5 ? ", …" : "") + "\n"
        let hasEntities = ([overall] + steps + models).contains { $0.strict.documents > 0 }
        let hasObligations = ([overall] + steps + models).contains { $0.obligations.documents > 0 }
        var header = Self.pad("", 28)
        if hasEntities { header += Self.pad("entities strict P / R / F1", 28) + Self.pad("overlap P / R / F1", 24) }
        if hasObligations { header += "obligations found / correct of gold" }
        out += header.trimmingTrailing() + "\n"
        func row(_ label: String, _ s: Slice) {
            var line = Self.pad(label, 28)
            if hasEntities {
                line += s.strict.documents > 0 ? Self.pad(Self.prf(s.strict.micro), 28) + Self.pad(Self.prf(s.overlap.micro), 24)
                    : Self.pad("—", 28) + Self.pad("—", 24)
            }
            if hasObligations, s.obligations.documents > 0 {
                let o = s.obligations
                line += "\(o.aligned) / \(o.correct) of \(o.gold)  (accuracy \(Self.f3(o.accuracy)))"
            } else if hasObligations {
                line += "—"
            }
            out += line.trimmingTrailing() + "\n"
        }
        row("all steps", overall)
        for s in steps { row("step " + s.name + (s.adapters.isEmpty ? "" : " (" + s.adapters.joined(separator: ", ") + ")"), s) }
        for m in models { row("model " + m.name, m) }
        if overall.strict.documents > 0 {
            let types = overall.strict.perType.keys.sorted()
            if !types.isEmpty {
                out += "entity types (strict F1, gold count): " + types.map { t in
                    let c = overall.strict.perType[t] ?? MatchCounts()
                    return "\(t) \(Self.f3(c.f1)) (\(c.truePositives + c.falseNegatives))"
                }.joined(separator: ", ") + "\n"
            }
        }
        if overall.obligations.documents > 0, !overall.obligations.fields.isEmpty {
            out += "obligation fields (agree / compared): " + overall.obligations.fields.keys.sorted().map { k in
                let r = overall.obligations.fields[k] ?? Rate()
                return "\(k) \(r.passed)/\(r.total)"
            }.joined(separator: ", ") + "\n"
        }
        out += "schema-valid records: \(Self.rate(schemaValid))\n"
        if !checks.isEmpty {
            out += "checks passed: \(Self.rate(checkPassRate)) — "
                + checks.keys.sorted().map { "\($0) \(Self.rate(checks[$0] ?? Rate()))" }.joined(separator: ", ") + "\n"
        }
        return out
    }

    static func prf(_ c: MatchCounts) -> String { "\(f3(c.precision)) / \(f3(c.recall)) / \(f3(c.f1))" }
    static func f3(_ x: Double) -> String { String(format: "%.3f", x) }
    static func rate(_ r: Rate) -> String { "\(r.passed)/\(r.total)" + (r.value.map { " (\(f3($0)))" } ?? "") }
    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + "  " : s + String(repeating: " ", count: width - s.count)
    }
}

private extension String {
    func trimmingTrailing() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
