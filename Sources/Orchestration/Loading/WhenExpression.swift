/// A step's routing condition (`when: entities.count > 0 and not document.language == "de"`), parsed at load
/// time so a typo fails `franca check` instead of a run. Evaluation belongs to the executor.
public indirect enum WhenExpression: Hashable, Sendable, CustomStringConvertible {
    case path(CanonicalPath)
    case number(Double)
    case string(String)
    case bool(Bool)
    case not(WhenExpression)
    case and(WhenExpression, WhenExpression)
    case or(WhenExpression, WhenExpression)
    case compare(WhenExpression, ComparisonOperator, WhenExpression)

    public enum ComparisonOperator: String, Hashable, Sendable, CaseIterable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }

    /// Every path the expression reads, for checking them against the canonical schema.
    public var paths: [CanonicalPath] {
        switch self {
        case .path(let p): return [p]
        case .number, .string, .bool: return []
        case .not(let e): return e.paths
        case .and(let a, let b), .or(let a, let b), .compare(let a, _, let b): return a.paths + b.paths
        }
    }

    /// A fully parenthesised rendering, useful to see how the expression was read.
    public var description: String {
        switch self {
        case .path(let p): return p.description
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case .string(let s): return "\"\(s)\""
        case .bool(let b): return String(b)
        case .not(let e): return "(not \(e))"
        case .and(let a, let b): return "(\(a) and \(b))"
        case .or(let a, let b): return "(\(a) or \(b))"
        case .compare(let a, let op, let b): return "(\(a) \(op.rawValue) \(b))"
        }
    }
}
