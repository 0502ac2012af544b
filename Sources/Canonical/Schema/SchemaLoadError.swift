import Foundation

/// A problem found while loading a schema: where it is (file, JSON Pointer into it, line:column when known) and
/// what is wrong. Loading reports every problem it finds at once: the first is this error's own fields, the rest
/// are in `additionalProblems`.
public struct SchemaLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The file could not be read.
        case io
        /// The file is not valid JSON.
        case parse
        /// A keyword this validator does not implement; it is refused rather than silently ignored.
        case unsupportedKeyword(String)
        /// A known keyword with a value of the wrong shape (`minLength: -1`, `type: "int"`, a bad regex...).
        case invalidKeywordValue(String)
        /// A `$ref` whose target does not exist or cannot be loaded.
        case unresolvedReference(String)
        /// A `$ref` to a file outside the allowed root directory.
        case referenceOutsideRoot(String)
        /// A feature of 2020-12 outside this validator's subset (nested `$id`, `$anchor` fragments, another `$schema`).
        case unsupportedFeature(String)
    }

    public var kind: Kind
    /// The schema file the problem is in (nil for a schema given as a value with no base URL).
    public var file: URL?
    /// JSON Pointer to the offending place inside that file (`""` for its root).
    public var schemaPath: String
    public var line: Int?
    public var column: Int?
    public var message: String
    /// Further problems found in the same load, in the order they were found.
    public var additionalProblems: [SchemaLoadError] = []

    public init(kind: Kind, file: URL?, schemaPath: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.kind = kind; self.file = file; self.schemaPath = schemaPath
        self.line = line; self.column = column; self.message = message
    }

    /// This problem and every additional one, each without nested lists.
    public var allProblems: [SchemaLoadError] {
        var first = self
        first.additionalProblems = []
        return [first] + additionalProblems
    }

    /// One line: `file:line:column: #pointer: message`.
    public var summary: String {
        var where_ = file?.path ?? "<schema>"
        if let line, let column { where_ += ":\(line):\(column)" }
        return "\(where_): #\(schemaPath): \(message)"
    }

    public var description: String {
        allProblems.map(\.summary).joined(separator: "\n")
    }
}
