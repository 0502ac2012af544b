import Foundation
import Yams
import Canonical

/// A JSON Schema file of the project, compiled, with its raw tree for path lookups.
public struct LoadedSchema: Sendable {
    /// Path relative to the project root.
    public var path: String
    public var schema: JSONSchema
    public var shape: SchemaShape
}

/// Loads each schema file of a project once, turning the canonical loader's errors into diagnostics, and answers
/// references to them from adapters (which must stay inside the root).
public final class SchemaCatalog {
    public let paths: ProjectPaths
    public let log: DiagnosticLog
    /// Relative path → the schema, or nil when it failed to load (its problems are already reported).
    public private(set) var loaded: [String: LoadedSchema?] = [:]
    /// The canonical record schema: the project's `Schemas/canonical.schema.json`, else the built-in one.
    public private(set) var canonical: LoadedSchema?

    public static let canonicalPath = "Schemas/canonical.schema.json"

    public init(paths: ProjectPaths, log: DiagnosticLog) {
        self.paths = paths
        self.log = log
    }

    /// Loads the canonical schema; call once before loading adapters.
    public func loadCanonical() {
        let url = paths.root.appendingPathComponent(Self.canonicalPath)
        if FileManager.default.fileExists(atPath: url.path) {
            // A copy that escapes the root is reported by the project walk and not used.
            canonical = paths.contains(url.resolvingSymlinksInPath()) ? (load(relative: Self.canonicalPath) ?? nil) : nil
        } else {
            canonical = Self.builtInCanonical()
        }
    }

    /// The canonical schema compiled into Franca, for projects that do not carry their own copy.
    static func builtInCanonical() -> LoadedSchema? {
        guard let schema = try? JSONSchema.canonical() else { return nil }
        return LoadedSchema(path: "<built-in canonical schema>", schema: schema, shape: SchemaShape(document: schema.root))
    }

    /// Loads (once) the schema at a root-relative path that is known to be inside the root.
    @discardableResult
    public func load(relative: String) -> LoadedSchema?? {
        if let cached = loaded[relative] { return .some(cached) }
        let url = paths.root.appendingPathComponent(relative)
        do {
            let schema = try JSONSchema.load(contentsOf: url, root: paths.root)
            let entry = LoadedSchema(path: relative, schema: schema, shape: SchemaShape(document: schema.root))
            loaded[relative] = .some(entry)
            return .some(entry)
        } catch {
            for problem in error.allProblems { log.report(diagnostic(problem, fallbackFile: relative)) }
            loaded[relative] = .some(nil)
            return .some(nil)
        }
    }

    /// Resolves a schema reference written in a project file (`native.output: Schemas/models/x.output.schema.json`).
    /// Problems with the reference itself are reported at `node`; problems inside the schema at the schema file.
    public func reference(_ text: String, at node: Node, _ what: String, reader: NodeReader) -> LoadedSchema? {
        switch paths.resolve(text) {
        case .failure(let problem):
            switch problem {
            case .absolute:
                reader.error(node, "\(what) '\(text)' is an absolute path", expected: "a path relative to the project root")
            case .escapesRoot:
                reader.error(node, "\(what) '\(text)' points outside the project root", expected: "a path inside the project")
            case .symlinkEscapesRoot(let target):
                reader.error(node, "\(what) '\(text)' is a symlink to '\(target)', outside the project root",
                             expected: "a file inside the project")
            case .missing:
                let suggestion = Suggestions.closest(to: text, in: schemaFiles())
                reader.error(node, "\(what) '\(text)' does not exist", suggestion: suggestion)
            case .notAFile:
                reader.error(node, "\(what) '\(text)' is a directory", expected: "a schema file")
            }
            return nil
        case .success(let url):
            return load(relative: paths.relative(url)) ?? nil
        }
    }

    /// Every `*.json` file under `Schemas/`, root-relative, sorted.
    public func schemaFiles() -> [String] {
        let dir = paths.root.appendingPathComponent("Schemas")
        guard let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        var files: [String] = []
        for case let url as URL in walker where url.pathExtension == "json" {
            files.append(paths.relative(url))
        }
        return files.sorted()
    }

    func diagnostic(_ problem: SchemaLoadError, fallbackFile: String) -> Diagnostic {
        let file = problem.file.map { paths.relative($0) } ?? fallbackFile
        let pointer = problem.schemaPath.isEmpty ? "" : " at #\(problem.schemaPath)"
        return Diagnostic(SourceLocation(file: file, line: problem.line, column: problem.column),
                          "schema error\(pointer): \(problem.message)")
    }
}
