import Foundation

/// Hashing whole files for the store: memory-mapped (no copies), reported in chunks so a long hash shows progress.
enum FileHashing {
    static let chunkSize = 16 << 20

    /// The sha256 (lowercase hex) and size of the file at `url`.
    static func sha256(of url: URL, item: String, progress: ModelFetchProgressHandler?) throws -> (hex: String, size: Int64) {
        let file: MappedFile
        do {
            file = try MappedFile(url: url)
        } catch {
            throw ModelStoreError.io(path: url.path, operation: "read", reason: "\(error)")
        }
        var hasher = SHA256()
        var offset = 0
        let total = Int64(file.count)
        progress?(ModelFetchProgress(phase: .verifying, bytesDone: 0, bytesTotal: total, item: item))
        while offset < file.count {
            let length = min(chunkSize, file.count - offset)
            let chunk = try file.bytes(offset: UInt64(offset), length: UInt64(length), what: "bytes to hash")
            hasher.update(chunk)
            offset += length
            progress?(ModelFetchProgress(phase: .verifying, bytesDone: Int64(offset), bytesTotal: total, item: item))
        }
        return (hasher.finalizeHex(), total)
    }

    /// Size and modification time (seconds since 1970) of a regular file, or nil when there is none.
    static func attributes(of url: URL) -> (size: Int64, modified: Double)? {
        // attributesOfItem does not follow symlinks; a local model file is often one.
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path),
              (attributes[.type] as? FileAttributeType) == .typeRegular,
              let size = (attributes[.size] as? NSNumber)?.int64Value
        else { return nil }
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return (size, modified)
    }
}
