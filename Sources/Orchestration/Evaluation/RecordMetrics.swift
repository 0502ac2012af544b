import Canonical

/// passed out of total, e.g. records that validate or check runs that passed.
public struct Rate: Hashable, Sendable {
    public var passed = 0
    public var total = 0

    public init(passed: Int = 0, total: Int = 0) { self.passed = passed; self.total = total }

    /// passed / total; nil when nothing was counted (so "no checks ran" is not reported as 0% or 100%).
    public var value: Double? { total == 0 ? nil : Double(passed) / Double(total) }

    public static func + (a: Rate, b: Rate) -> Rate { Rate(passed: a.passed + b.passed, total: a.total + b.total) }
    public static func += (a: inout Rate, b: Rate) { a = a + b }
}

/// Record-level quality: does the record validate, did the deterministic checks pass.
public enum RecordMetrics {
    /// Records (as JSON, the form that is written out) that validate against `schema`.
    public static func schemaValidRate(_ records: [JSONValue], schema: JSONSchema) -> Rate {
        Rate(passed: records.filter { schema.validate($0).isEmpty }.count, total: records.count)
    }

    /// Records encoded to JSON and validated; a record that cannot be encoded counts as invalid.
    public static func schemaValidRate(_ records: [CanonicalRecord], schema: JSONSchema) -> Rate {
        Rate(passed: records.filter { r in (try? r.toJSONValue()).map { schema.validate($0).isEmpty } ?? false }.count,
             total: records.count)
    }

    /// Per check step: how many of the runs passed.
    ///
    /// A check step *ran* on a record when the record's provenance has an entry for that step with `check` set (and,
    /// when `checkSteps` is given, the step is one of them: a `transform:` step also records a `check` name), or
    /// when the step is in `checkSteps` and has an entry in `errors[]`. It *passed* when the record holds no
    /// `error`-severity finding produced by that step and no `errors[]` entry for it. Steps skipped by `when` have
    /// neither and are not counted.
    public static func checkPassRates(_ records: [CanonicalRecord], checkSteps: Set<String> = []) -> [String: Rate] {
        var rates: [String: Rate] = [:]
        for record in records {
            var ran = Set(record.provenance.filter { $0.check != nil && (checkSteps.isEmpty || checkSteps.contains($0.step)) }.map(\.step))
            for e in record.errors where checkSteps.contains(e.step) { ran.insert(e.step) }
            for step in ran {
                let failed = record.findings.contains { $0.producedBy == step && $0.severity == .error }
                    || record.errors.contains { $0.step == step }
                rates[step, default: Rate()] += Rate(passed: failed ? 0 : 1, total: 1)
            }
        }
        return rates
    }
}
