import Foundation
import Yams

/// A Franca project: a folder with `Chains/`, `Adapters/` and `Schemas/`, loaded and cross-checked as a whole.
///
/// `franca check` loads one to report problems; `run`, `validate` and `models pull` load one to find chains,
/// adapters and schemas by name.
public struct Project: Sendable {
    /// The root folder, symlinks resolved.
    public let root: URL
    /// Adapters that loaded without problems, by id.
    public let adapters: [String: AdapterDefinition]
    /// Chains that loaded without problems, by name.
    public let chains: [String: ChainDefinition]
    /// Schema files under `Schemas/` that loaded, by root-relative path.
    public let schemas: [String: LoadedSchema]
    /// The canonical record schema used for cross-checks (the project's copy, else the built-in one).
    public let canonical: LoadedSchema?
    /// Every file examined, loaded or not, root-relative and sorted.
    public let files: Files

    public struct Files: Sendable, Hashable {
        public var chains: [String]
        public var adapters: [String]
        public var schemas: [String]

        public init(chains: [String], adapters: [String], schemas: [String]) {
            self.chains = chains
            self.adapters = adapters
            self.schemas = schemas
        }
    }

    public static let chainsFolder = "Chains"
    public static let adaptersFolder = "Adapters"
    public static let schemasFolder = "Schemas"

    /// Loads every chain, adapter and schema under `root` and returns them with every problem found, sorted by
    /// file and position. The project holds what loaded cleanly even when there are problems (so callers can
    /// count and report); callers that run things should refuse a project with diagnostics. Nil only when
    /// `root` is not a readable directory.
    public static func load(root: URL) -> (Project?, [Diagnostic]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return (nil, [Diagnostic(SourceLocation(file: root.path), "project root is not a directory")])
        }
        let paths = ProjectPaths(root: root)
        let log = DiagnosticLog()
        let catalog = SchemaCatalog(paths: paths, log: log)

        let schemaFiles = catalog.schemaFiles()
        for file in schemaFiles {
            let resolved = paths.root.appendingPathComponent(file).resolvingSymlinksInPath()
            guard paths.contains(resolved) else {
                log.report(Diagnostic(SourceLocation(file: file), "file is a symlink to '\(resolved.path)', outside the project root"))
                continue
            }
            catalog.load(relative: file)
        }
        catalog.loadCanonical()

        let adapterFiles = yamlFiles(in: adaptersFolder, paths: paths, log: log)
        let adapterIDs = adapterFiles.map(stem)
        var adapters: [String: AdapterDefinition] = [:]
        for file in adapterFiles {
            let reader = NodeReader(file: file, log: log)
            guard let node = YAMLSource.compose(contentsOf: paths.root.appendingPathComponent(file), file: file, log: log) else { continue }
            if let adapter = AdapterLoader(reader: reader, schemas: catalog, stem: stem(file)).load(node) {
                adapters[adapter.id] = adapter
            }
        }

        let chainFiles = yamlFiles(in: chainsFolder, paths: paths, log: log)
        var chains: [String: ChainDefinition] = [:]
        for file in chainFiles {
            let reader = NodeReader(file: file, log: log)
            guard let node = YAMLSource.compose(contentsOf: paths.root.appendingPathComponent(file), file: file, log: log) else { continue }
            let loader = ChainLoader(reader: reader, stem: stem(file), adapterIDs: adapterIDs, adapters: adapters,
                                     canonical: catalog.canonical?.shape)
            if let chain = loader.load(node) { chains[chain.name] = chain }
        }

        var schemas: [String: LoadedSchema] = [:]
        for (path, entry) in catalog.loaded { if let entry { schemas[path] = entry } }
        let project = Project(root: paths.root, adapters: adapters, chains: chains, schemas: schemas,
                              canonical: catalog.canonical,
                              files: Files(chains: chainFiles, adapters: adapterFiles, schemas: schemaFiles))
        return (project, log.diagnostics.sortedByLocation())
    }

    /// The nearest folder at or above `start` holding `Chains/` or `Adapters/`.
    public static func findRoot(from start: URL) -> URL? {
        var dir = start.standardizedFileURL
        while true {
            for folder in [chainsFolder, adaptersFolder] {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: dir.appendingPathComponent(folder).path, isDirectory: &isDirectory),
                   isDirectory.boolValue { return dir }
            }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { return nil }
            dir = parent
        }
    }

    /// `Adapters/x.yaml` → `x`.
    static func stem(_ file: String) -> String {
        ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    /// The `*.yaml` files directly in a project folder, root-relative and sorted. A `.yml` file is reported rather
    /// than silently skipped; a symlink leading outside the root is refused.
    static func yamlFiles(in folder: String, paths: ProjectPaths, log: DiagnosticLog) -> [String] {
        let dir = paths.root.appendingPathComponent(folder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        var files: [String] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let relative = "\(folder)/\(name)"
            if name.hasSuffix(".yml") {
                log.report(Diagnostic(SourceLocation(file: relative), "file is ignored: Franca reads '.yaml' files",
                                      expected: "\((name as NSString).deletingPathExtension).yaml"))
                continue
            }
            guard name.hasSuffix(".yaml") else { continue }
            let resolved = dir.appendingPathComponent(name).resolvingSymlinksInPath()
            guard paths.contains(resolved) else {
                log.report(Diagnostic(SourceLocation(file: relative), "file is a symlink to '\(resolved.path)', outside the project root"))
                continue
            }
            files.append(relative)
        }
        return files
    }

    // MARK: Lookup

    public func adapter(_ id: String) -> AdapterDefinition? { adapters[id] }

    public func chain(_ name: String) -> ChainDefinition? { chains[name] }

    /// Adapters in id order.
    public var sortedAdapters: [AdapterDefinition] { adapters.keys.sorted().compactMap { adapters[$0] } }

    /// Chains in name order.
    public var sortedChains: [ChainDefinition] { chains.keys.sorted().compactMap { chains[$0] } }
}
