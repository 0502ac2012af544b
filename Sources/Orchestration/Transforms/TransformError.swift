import Canonical

/// An output transform could not turn a model's native output into canonical fields. Every error names the
/// adapter, the transform's position in its `output:` list and the native path it was reading.
public struct TransformError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// A required source (`from`) has no value at all in the native output.
        case missingSource
        /// A value did not have the declared type and could not be coerced (`coerce:`), or had no coercion and
        /// a type the canonical field cannot take.
        case coercion(expected: String, found: String)
        /// The native value at `from` is not the kind the transform reads (`bio-spans` wants a token array, ...).
        case wrongShape(expected: String, found: String)
        /// The diff text is not a well-formed unified diff.
        case malformedDiff(UnifiedDiffError)
        /// The changed file (`unified-diff` with `file:`) is the original: nothing was changed.
        case unchangedFile
        /// The canonical fields written do not validate against the canonical schema.
        case invalidResult([String])
    }

    public var adapter: String
    /// 0-based position in the adapter's `output:` list.
    public var transform: Int
    /// The concrete native JSON Pointer being read (`/verdicts/1/verdict`), or the canonical path being written.
    public var path: String
    public var kind: Kind

    public init(adapter: String, transform: Int, path: String, kind: Kind) {
        self.adapter = adapter
        self.transform = transform
        self.path = path
        self.kind = kind
    }

    public var description: String {
        let at = "adapter '\(adapter)', output[\(transform)], at \(path.isEmpty ? "(root)" : path)"
        switch kind {
        case .missingSource:
            return "\(at): no value in the native output"
        case let .coercion(expected, found):
            return "\(at): expected \(expected), found \(found)"
        case let .wrongShape(expected, found):
            return "\(at): expected \(expected), found \(found)"
        case .malformedDiff(let e):
            return "\(at): malformed unified diff: \(e)"
        case .unchangedFile:
            return "\(at): the changed file is identical to the original (nothing was changed)"
        case .invalidResult(let problems):
            return "\(at): the canonical result does not validate: \(problems.prefix(5).joined(separator: "; "))"
                + (problems.count > 5 ? " (and \(problems.count - 5) more)" : "")
        }
    }
}
