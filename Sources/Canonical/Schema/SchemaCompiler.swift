import Foundation

/// Turns schema documents into a `SchemaProgram`, loading `$ref`'d files on demand and collecting every problem.
///
/// Each schema location (document + JSON Pointer) is compiled once: its node index is registered before its
/// children are compiled, so recursive `$ref`s terminate.
struct SchemaCompiler {
    static let draft2020 = "https://json-schema.org/draft/2020-12/schema"

    var documents: [SchemaDocument] = []
    /// Document index by standardized file path and by `$id`.
    var documentIndex: [String: Int] = [:]
    var nodes: [SchemaNode?] = []
    var nodeIndex: [String: Int] = [:]
    var problems: [SchemaLoadError] = []
    /// Files reached by `$ref` must lie inside this directory (nil: no file may be loaded).
    let rootDirectory: URL?

    init(rootDirectory: URL?) {
        self.rootDirectory = rootDirectory.map(SchemaCompiler.canonical)
    }

    // MARK: Documents

    /// Registers a document and compiles all of it; returns its index, or nil when it could not be read or parsed.
    mutating func addDocument(value: JSONValue, url: URL?, sourceMap: JSONSourceMap?) -> Int {
        var id: String?
        if case .object(let o) = value, let s = o["$id"]?.stringValue {
            id = SchemaCompiler.stripFragment(s)
        }
        let doc = SchemaDocument(url: url, id: id, value: value, sourceMap: sourceMap)
        let index = documents.count
        documents.append(doc)
        if let url { documentIndex[SchemaCompiler.key(url)] = index }
        if let id, documentIndex[id] == nil { documentIndex[id] = index }
        _ = compile(document: index, pointer: JSONPointer(), value: value)
        return index
    }

    mutating func loadFile(_ url: URL, referencedFrom: (doc: Int, pointer: String)?) -> Int? {
        let url = url.standardizedFileURL
        if let existing = documentIndex[SchemaCompiler.key(url)] { return existing }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            if let from = referencedFrom {
                report(.unresolvedReference(url.path), doc: from.doc, pointer: from.pointer,
                       "cannot read referenced schema file \(url.path): \(error.localizedDescription)")
            } else {
                problems.append(SchemaLoadError(kind: .io, file: url, schemaPath: "", message: "cannot read schema file: \(error.localizedDescription)"))
            }
            return nil
        }
        do {
            let (value, map) = try JSONValue.parseWithSourceMap(bytes: [UInt8](data))
            return addDocument(value: value, url: url, sourceMap: map)
        } catch {
            problems.append(SchemaLoadError(kind: .parse, file: url, schemaPath: "", line: error.line, column: error.column,
                                            message: "not valid JSON: \(error.message)"))
            return nil
        }
    }

    static func key(_ url: URL) -> String { canonical(url).path }

    /// The path with symlinks resolved, also for a file that does not exist (its nearest existing ancestor is
    /// resolved), so containment in the root directory is judged on real locations.
    static func canonical(_ url: URL) -> URL {
        let url = url.standardizedFileURL
        if FileManager.default.fileExists(atPath: url.path) || url.path == "/" {
            return url.resolvingSymlinksInPath().standardizedFileURL
        }
        return canonical(url.deletingLastPathComponent()).appendingPathComponent(url.lastPathComponent)
    }

    static func stripFragment(_ s: String) -> String {
        if let hash = s.firstIndex(of: "#") { return String(s[..<hash]) }
        return s
    }

    // MARK: Nodes

    /// Compiles the schema at `pointer` in `document` (whose value is `value`) and returns its node index.
    mutating func compile(document: Int, pointer: JSONPointer, value: JSONValue) -> Int {
        let key = "\(document)#\(pointer)"
        if let existing = nodeIndex[key] { return existing }
        let index = nodes.count
        nodes.append(nil)
        nodeIndex[key] = index
        let location = "\(documents[document].displayName)#\(pointer)"
        switch value {
        case .bool(let b):
            nodes[index] = SchemaNode(location: location, boolean: b, keywords: [])
        case .object(let o):
            var ctx = KeywordContext(document: document, pointer: pointer, object: o)
            let keywords = compileKeywords(&ctx)
            nodes[index] = SchemaNode(location: location, boolean: nil, keywords: keywords)
        default:
            report(.invalidKeywordValue("schema"), doc: document, pointer: pointer.description,
                   "a schema must be an object or a boolean, found \(value.typeName)")
            nodes[index] = SchemaNode(location: location, boolean: true, keywords: [])
        }
        return index
    }

    /// Compiles a child schema found under `pointer` (e.g. `/properties/name`).
    mutating func child(_ ctx: KeywordContext, _ tokens: String..., value: JSONValue) -> Int {
        var p = ctx.pointer
        for t in tokens { p = p.appending(t) }
        return compile(document: ctx.document, pointer: p, value: value)
    }

    mutating func report(_ kind: SchemaLoadError.Kind, doc: Int, pointer: String, _ message: String) {
        let d = documents[doc]
        let loc = d.sourceMap?.location(ofPointer: pointer)
        problems.append(SchemaLoadError(kind: kind, file: d.url, schemaPath: pointer, line: loc?.line, column: loc?.column, message: message))
    }

    func finish() -> SchemaProgram {
        SchemaProgram(nodes: nodes.map { $0 ?? SchemaNode(location: "", boolean: true, keywords: []) })
    }

    // MARK: References

    /// Where a `$ref` points: a document index and a pointer inside it. Reports and returns nil when unresolvable.
    mutating func resolve(_ ref: String, from doc: Int, at pointer: String) -> (doc: Int, pointer: JSONPointer)? {
        let (uriPart, fragment) = SchemaCompiler.split(ref)
        var target = doc
        if !uriPart.isEmpty {
            guard let t = locateDocument(uriPart, from: doc, at: pointer) else { return nil }
            target = t
        }
        let fragmentText = fragment.flatMap { $0.removingPercentEncoding } ?? ""
        if !fragmentText.isEmpty && !fragmentText.hasPrefix("/") {
            report(.unsupportedFeature("$anchor"), doc: doc, pointer: pointer,
                   "$ref \"\(ref)\" uses a plain-name fragment ($anchor), which is not supported; use a JSON Pointer such as #/$defs/name")
            return nil
        }
        guard let p = try? JSONPointer(parsing: fragmentText) else {
            report(.unresolvedReference(ref), doc: doc, pointer: pointer, "$ref \"\(ref)\" has a malformed JSON Pointer fragment")
            return nil
        }
        guard documents[target].value.value(at: p) != nil else {
            report(.unresolvedReference(ref), doc: doc, pointer: pointer,
                   "$ref \"\(ref)\" points to nothing: \(documents[target].displayName)#\(p) does not exist")
            return nil
        }
        return (target, p)
    }

    static func split(_ ref: String) -> (uri: String, fragment: String?) {
        guard let hash = ref.firstIndex(of: "#") else { return (ref, nil) }
        return (String(ref[..<hash]), String(ref[ref.index(after: hash)...]))
    }

    /// Finds (loading if needed) the document a non-fragment reference names.
    mutating func locateDocument(_ uri: String, from doc: Int, at pointer: String) -> Int? {
        let referrer = documents[doc]
        // Absolute URI naming a loaded $id (including the referring document itself).
        if let known = documentIndex[uri], !uri.hasPrefix("/") { return known }
        // Relative reference resolved against the referrer's $id, naming another loaded $id.
        if let id = referrer.id, let base = URL(string: id), let abs = URL(string: uri, relativeTo: base)?.absoluteString,
           let known = documentIndex[abs] {
            return known
        }
        if let scheme = URL(string: uri)?.scheme, scheme != "file" {
            report(.unresolvedReference(uri), doc: doc, pointer: pointer,
                   "$ref to \"\(uri)\": remote schemas are never fetched; only local files and loaded $ids resolve")
            return nil
        }
        guard let referrerURL = referrer.url else {
            report(.unresolvedReference(uri), doc: doc, pointer: pointer,
                   "$ref to file \"\(uri)\" cannot be resolved: the referring schema has no file location (give a baseURL)")
            return nil
        }
        let fileURL: URL
        if let u = URL(string: uri), u.scheme == "file" {
            fileURL = u
        } else {
            let decoded = uri.removingPercentEncoding ?? uri
            fileURL = URL(fileURLWithPath: decoded, relativeTo: referrerURL.deletingLastPathComponent())
        }
        let resolved = SchemaCompiler.canonical(fileURL)
        guard let root = rootDirectory else {
            report(.referenceOutsideRoot(uri), doc: doc, pointer: pointer,
                   "$ref to file \"\(uri)\" refused: no root directory was given for schema files")
            return nil
        }
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        guard resolved.path.hasPrefix(rootPath) else {
            report(.referenceOutsideRoot(uri), doc: doc, pointer: pointer,
                   "$ref to \"\(uri)\" resolves to \(resolved.path), outside the schema root \(root.path)")
            return nil
        }
        return loadFile(resolved, referencedFrom: (doc, pointer))
    }
}
