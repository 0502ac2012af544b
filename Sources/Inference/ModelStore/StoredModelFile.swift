import Foundation

/// A file the store holds and has verified, as `ModelStore.list()` reports it.
public struct StoredModelFile: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Extracted from one wheel.
        case pypi
        /// Concatenated from several wheels' files.
        case pypiParts
        /// A user's own file, verified in place (the store keeps only the record).
        case local
    }

    public let kind: Kind
    /// Where the bytes are.
    public let path: URL
    /// The sha256 recorded when the file was last hashed.
    public let sha256: String
    /// Size in bytes when the file was last hashed.
    public let size: Int64
    public let verifiedAt: Date
    /// The source it came from (`NAME==VERSION:path`, parts joined by ` + `, or the local path).
    public let source: String
    /// The model and role that last fetched or verified it (informational: a file may serve several models).
    public let modelID: String?
    public let role: String?
    /// False when the file has gone or its size changed since it was verified: it will be re-hashed before use.
    public let intact: Bool
}

/// What the store knows about one spec without hashing anything (`ModelStore.status(of:)`).
public enum ModelFileStatus: Sendable, Hashable {
    /// Present, and its recorded sha256 and size match: `locate` will return it at once.
    case verified(StoredModelFile)
    /// Present but without a matching record (new, or changed since verified): `locate` will hash it first.
    case unverified(path: URL)
    /// The store holds another version (recorded sha256 differs from the spec's); `fetch` replaces it.
    case differentVersion(path: URL, recordedSHA256: String)
    /// Not there; `fetch` gets it (for `.local`, the user must provide it).
    case missing(path: URL)
}

/// The JSON sidecar written next to each verified file (`<name>.verified.json`), and under `local/` for local
/// files, so listing and locating never re-hash hundreds of megabytes; `verify` always does.
struct VerificationRecord: Codable, Equatable {
    var kind: StoredModelFile.Kind
    var sha256: String
    var size: Int64
    var verifiedAt: Date
    var source: String
    var modelID: String?
    var role: String?
    /// Local files only: the verified path and its modification time, to notice a replaced file.
    var localPath: String?
    var modifiedAt: Double?

    static func read(from url: URL) -> VerificationRecord? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(VerificationRecord.self, from: data)
    }

    func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try encoder.encode(self).write(to: url, options: .atomic)
        } catch {
            throw ModelStoreError.io(path: url.path, operation: "write the verification record", reason: "\(error)")
        }
    }

    func storedFile(at path: URL, intact: Bool) -> StoredModelFile {
        StoredModelFile(kind: kind, path: path, sha256: sha256, size: size, verifiedAt: verifiedAt, source: source,
                        modelID: modelID, role: role, intact: intact)
    }
}
