import Foundation

/// A compiled JSON Schema (2020-12 subset: see `SchemaCompiler.supportedKeywords`), ready to validate instances.
///
/// Loading checks the whole schema and every file it references; unknown keywords are errors, never ignored.
/// The raw tree stays available (`root`, `documents`, `resolve(reference:from:)`) for tools that walk schemas.
public struct JSONSchema: Sendable {
    /// The root schema document as parsed.
    public let root: JSONValue
    /// The file the root schema came from (or the base URL it was given).
    public let baseURL: URL?
    /// Every document loaded: the root first, then files reached by `$ref`.
    public let documents: [SchemaDocument]
    let program: SchemaProgram
    let rootNode: Int

    /// Loads a schema file and every local file its `$ref`s reach; those must lie inside `root` (a directory).
    public static func load(contentsOf url: URL, root: URL) throws(SchemaLoadError) -> JSONSchema {
        var compiler = SchemaCompiler(rootDirectory: root)
        guard let index = compiler.loadFile(url, referencedFrom: nil) else { throw combine(compiler.problems) }
        return try JSONSchema(compiler: compiler, rootDocument: index, baseURL: url.standardizedFileURL)
    }

    /// Compiles a schema given as a value. `baseURL` is where it notionally lives (relative `$ref`s resolve
    /// against it); `root` bounds which files may be loaded (default: the directory of `baseURL`; with neither,
    /// references to other files are refused).
    public init(json: JSONValue, baseURL: URL?, root: URL?) throws(SchemaLoadError) {
        let rootDir = root ?? baseURL?.deletingLastPathComponent()
        var compiler = SchemaCompiler(rootDirectory: rootDir)
        let index = compiler.addDocument(value: json, url: baseURL?.standardizedFileURL, sourceMap: nil)
        try self.init(compiler: compiler, rootDocument: index, baseURL: baseURL)
    }

    private init(compiler: SchemaCompiler, rootDocument: Int, baseURL: URL?) throws(SchemaLoadError) {
        if !compiler.problems.isEmpty { throw JSONSchema.combine(compiler.problems) }
        documents = compiler.documents
        root = compiler.documents[rootDocument].value
        self.baseURL = baseURL
        program = compiler.finish()
        rootNode = compiler.nodeIndex["\(rootDocument)#"] ?? 0
    }

    private static func combine(_ problems: [SchemaLoadError]) -> SchemaLoadError {
        guard var first = problems.first else {
            return SchemaLoadError(kind: .io, file: nil, schemaPath: "", message: "schema could not be loaded")
        }
        first.additionalProblems = Array(problems.dropFirst())
        return first
    }

    /// Every way `instance` fails the schema; empty when it is valid.
    public func validate(_ instance: JSONValue) -> [SchemaViolation] {
        var evaluator = SchemaEvaluator(program: program, stopAtFirst: false)
        return evaluator.evaluate(node: rootNode, instance: instance)
    }

    public func isValid(_ instance: JSONValue) -> Bool {
        var evaluator = SchemaEvaluator(program: program, stopAtFirst: true)
        return evaluator.evaluate(node: rootNode, instance: instance).isEmpty
    }

    /// Resolves a `$ref` string as written in the document at `documentURL` (nil: the root document) to its
    /// target, among the documents this schema loaded. Returns nil when it does not resolve.
    public func resolve(reference: String, from documentURL: URL?) -> ResolvedSchema? {
        let (uri, fragment) = SchemaCompiler.split(reference)
        let referrer = documentURL.flatMap { u in documents.first { $0.url.map(SchemaCompiler.key) == SchemaCompiler.key(u) } } ?? documents.first
        guard let referrer else { return nil }
        var target: SchemaDocument? = referrer
        if !uri.isEmpty {
            target = documents.first { $0.id == uri }
            if target == nil, let id = referrer.id, let base = URL(string: id),
               let abs = URL(string: uri, relativeTo: base)?.absoluteString {
                target = documents.first { $0.id == abs }
            }
            if target == nil, let from = referrer.url {
                let file = URL(fileURLWithPath: uri.removingPercentEncoding ?? uri, relativeTo: from.deletingLastPathComponent())
                let key = SchemaCompiler.key(file)
                target = documents.first { $0.url.map(SchemaCompiler.key) == key }
            }
        }
        guard let doc = target,
              let pointer = try? JSONPointer(parsing: fragment.flatMap { $0.removingPercentEncoding } ?? ""),
              let value = doc.value.value(at: pointer) else { return nil }
        return ResolvedSchema(value: value, documentURL: doc.url, pointer: pointer.description)
    }
}
