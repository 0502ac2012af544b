import Canonical

extension MatchCounts {
    /// `{"tp", "fp", "fn", "precision", "recall", "f1"}`, rates rounded to 4 decimals.
    public func json() -> JSONValue {
        .object(["tp": .integer(Int64(truePositives)), "fp": .integer(Int64(falsePositives)),
                 "fn": .integer(Int64(falseNegatives)), "precision": .number(Self.round(precision)),
                 "recall": .number(Self.round(recall)), "f1": .number(Self.round(f1))])
    }

    static func round(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
}

extension EntityScores {
    /// Micro counts plus `perType` (types sorted by name).
    public func json() -> JSONValue {
        guard case var .object(o) = micro.json() else { return .null }
        var types = JSONObject()
        for t in perType.keys.sorted() { types[t] = perType[t]?.json() ?? .null }
        o["perType"] = .object(types)
        return .object(o)
    }
}

extension Rate {
    public func json() -> JSONValue {
        .object(["passed": .integer(Int64(passed)), "total": .integer(Int64(total)),
                 "rate": value.map { .number(MatchCounts.round($0)) } ?? .null])
    }
}

extension ObligationScores {
    public func json() -> JSONValue {
        var fieldsJSON = JSONObject()
        for k in fields.keys.sorted() { fieldsJSON[k] = fields[k]?.json() ?? .null }
        return .object(["gold": .integer(Int64(gold)), "predicted": .integer(Int64(predicted)),
                        "aligned": .integer(Int64(aligned)), "correct": .integer(Int64(correct)),
                        "accuracy": .number(MatchCounts.round(accuracy)), "fields": .object(fieldsJSON)])
    }
}

extension EvaluationReport.Slice {
    public func json() -> JSONValue {
        var o: JSONObject = ["name": .string(name)]
        if !adapters.isEmpty { o["adapters"] = .array(adapters.map { .string($0) }) }
        if !models.isEmpty { o["models"] = .array(models.map { .string($0) }) }
        if strict.documents > 0 {
            o["entities"] = .object(["strict": strict.json(), "overlap": overlap.json()])
        }
        if obligations.documents > 0 { o["obligations"] = obligations.json() }
        return .object(o)
    }
}

extension EvaluationReport {
    /// The report as `franca eval` prints it.
    public func json() -> JSONValue {
        var checksJSON = JSONObject()
        for k in checks.keys.sorted() { checksJSON[k] = checks[k]?.json() ?? .null }
        return .object([
            "documents": .integer(Int64(documents)),
            "missingRecords": .array(missingRecords.map { .string($0) }),
            "overall": overall.json(),
            "steps": .array(steps.map { $0.json() }),
            "models": .array(models.map { $0.json() }),
            "schemaValid": schemaValid.json(),
            "checks": .object(checksJSON),
            "checkPassRate": checkPassRate.json(),
        ])
    }
}
