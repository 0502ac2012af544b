import Canonical

/// Why a `when:` condition could not be decided (the step is then not run, and the record gets an error).
public struct WhenEvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Evaluates `when:` conditions over a canonical record (its JSON form).
///
/// - A path reads the record: `document.language`, `obligations[0].status`. `PATH.count` is the length of the
///   array at PATH (0 when it is absent).
/// - A path without `[]` that finds nothing is *absent*: `==` is false and `!=` true against anything; `<`,
///   `<=`, `>`, `>=` are false.
/// - A path with `[]` reads every element, and a comparison holds when it holds for *any* element
///   (`obligations[].status == "unmet"`: some obligation is unmet); with no elements it is false.
/// - Numbers compare with numbers, strings with strings (`==`, `!=`, and ordering by Unicode scalars), booleans
///   with `==`/`!=`. `==` between different types is false and `!=` true; ordering them is an error.
/// - `not`, `and`, `or` take truth values; a value used as one is true when it is `true`, a non-zero number, a
///   non-empty string, array or object (absent and `null` are false).
public enum WhenEvaluator {
    public static func evaluate(_ expression: WhenExpression, record: JSONValue) throws(WhenEvaluationError) -> Bool {
        switch expression {
        case .not(let e): return try !evaluate(e, record: record)
        case .and(let a, let b):
            guard try evaluate(a, record: record) else { return false }
            return try evaluate(b, record: record)
        case .or(let a, let b):
            if try evaluate(a, record: record) { return true }
            return try evaluate(b, record: record)
        case .compare(let a, let op, let b):
            let left = operand(a, record), right = operand(b, record)
            for l in left.values {
                for r in right.values {
                    if try compare(l, op, r) { return true }
                }
            }
            // Absent single values: only `!=` holds.
            if (left.absent || right.absent) && op == .notEqual { return true }
            return false
        default:
            let o = operand(expression, record)
            return o.values.contains(where: truthy)
        }
    }

    struct Operand {
        var values: [JSONValue]
        /// A single-value path that found nothing.
        var absent: Bool
    }

    static func operand(_ e: WhenExpression, _ record: JSONValue) -> Operand {
        switch e {
        case .number(let n): return Operand(values: [.number(n)], absent: false)
        case .string(let s): return Operand(values: [.string(s)], absent: false)
        case .bool(let b): return Operand(values: [.bool(b)], absent: false)
        case .path(let path):
            if case .field("count")? = path.segments.last, path.segments.count > 1 {
                let prefix = CanonicalPath(segments: Array(path.segments.dropLast()))
                let found = JSONPaths.values(at: prefix, in: record)
                if found.isEmpty { return Operand(values: [.integer(0)], absent: false) }
                if found.allSatisfy({ $0.value.arrayValue != nil }) {
                    return Operand(values: found.map { .integer(Int64($0.value.arrayValue?.count ?? 0)) }, absent: false)
                }
            }
            let found = JSONPaths.values(at: path, in: record).map(\.value).filter { !$0.isNull }
            return Operand(values: found, absent: found.isEmpty && path.fanOut == 0)
        default:
            // A nested boolean expression used as an operand (parentheses): its truth value.
            let value = (try? evaluate(e, record: record)) ?? false
            return Operand(values: [.bool(value)], absent: false)
        }
    }

    static func compare(_ l: JSONValue, _ op: WhenExpression.ComparisonOperator, _ r: JSONValue) throws(WhenEvaluationError) -> Bool {
        switch (l, r) {
        case (.integer, _), (.number, _):
            guard let a = l.doubleValue else { return false }
            guard let b = r.doubleValue else { return try mismatch(l, op, r) }
            switch op {
            case .equal: return a == b
            case .notEqual: return a != b
            case .less: return a < b
            case .lessOrEqual: return a <= b
            case .greater: return a > b
            case .greaterOrEqual: return a >= b
            }
        case let (.string(a), .string(b)):
            let x = Array(a.unicodeScalars).map(\.value), y = Array(b.unicodeScalars).map(\.value)
            switch op {
            case .equal: return a == b
            case .notEqual: return a != b
            case .less: return x.lexicographicallyPrecedes(y)
            case .lessOrEqual: return !y.lexicographicallyPrecedes(x)
            case .greater: return y.lexicographicallyPrecedes(x)
            case .greaterOrEqual: return !x.lexicographicallyPrecedes(y)
            }
        case let (.bool(a), .bool(b)):
            switch op {
            case .equal: return a == b
            case .notEqual: return a != b
            default: throw WhenEvaluationError(message: "cannot order booleans with '\(op.rawValue)'")
            }
        default:
            return try mismatch(l, op, r)
        }
    }

    static func mismatch(_ l: JSONValue, _ op: WhenExpression.ComparisonOperator, _ r: JSONValue) throws(WhenEvaluationError) -> Bool {
        switch op {
        case .equal: return false
        case .notEqual: return true
        default:
            throw WhenEvaluationError(message: "cannot compare \(l.typeName) \(l.serialized()) with \(r.typeName) \(r.serialized()) using '\(op.rawValue)'")
        }
    }

    static func truthy(_ v: JSONValue) -> Bool {
        switch v {
        case .null: return false
        case .bool(let b): return b
        case .integer(let i): return i != 0
        case .number(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .array(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        }
    }
}
