/// Where something is in a project file: a path relative to the project root and a 1-based line and column.
///
/// Columns count Unicode scalars, as libyaml does.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:col`, or just `file` when the position is unknown (a missing file, a directory problem).
    public var description: String {
        guard let line else { return file }
        guard let column else { return "\(file):\(line)" }
        return "\(file):\(line):\(column)"
    }
}

/// One problem found while loading a project, with enough context for a person to fix it without opening docs.
///
/// Loaders collect diagnostics and keep walking, so a user sees every problem in a file at once.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    /// What is wrong, naming the key path (`output[0].strategy`).
    public var message: String
    /// What would have been accepted (`a mapping`, `one of: simple, first, average, max`).
    public var expected: String?
    /// The closest valid value, rendered as "did you mean '…'?".
    public var suggestion: String?

    public init(_ location: SourceLocation, _ message: String, expected: String? = nil, suggestion: String? = nil) {
        self.location = location
        self.message = message
        self.expected = expected
        self.suggestion = suggestion
    }

    public var file: String { location.file }
    public var line: Int? { location.line }
    public var column: Int? { location.column }

    /// The one rendering of a diagnostic, compiler style:
    /// `Adapters/x.yaml:12:5: error: unknown key 'stratgy' in output[0] (bio-spans); did you mean 'strategy'?`
    public var description: String {
        var text = "\(location): error: \(message)"
        if let expected { text += "; expected \(expected)" }
        if let suggestion { text += "; did you mean '\(suggestion)'?" }
        return text
    }
}

extension Array where Element == Diagnostic {
    /// Diagnostics in reading order: by file, then line, then column; stable for equal positions.
    public func sortedByLocation() -> [Diagnostic] {
        enumerated().sorted { a, b in
            let l = a.element.location, r = b.element.location
            if l.file != r.file { return l.file < r.file }
            if (l.line ?? 0) != (r.line ?? 0) { return (l.line ?? 0) < (r.line ?? 0) }
            if (l.column ?? 0) != (r.column ?? 0) { return (l.column ?? 0) < (r.column ?? 0) }
            return a.offset < b.offset
        }.map(\.element)
    }
}

/// Collects diagnostics while a loader walks a file; a reference type so nested readers share one log.
public final class DiagnosticLog {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public func report(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    public func report(contentsOf more: [Diagnostic]) { diagnostics.append(contentsOf: more) }

    public var count: Int { diagnostics.count }
}
