/// Why `franca validate` could not validate at all (exit 2), as opposed to finding a break (exit 1).
public enum AdapterValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownAdapter(name: String, known: [String], suggestion: String?)
    /// The adapter's file is in the project but did not load (its problems are printed separately).
    case adapterDidNotLoad(name: String, file: String)
    case schemaFile(path: String, problems: [String])
    /// `--native-output` / `--native-input` with no adapter or with several: which adapter is meant?
    case ambiguousSchemaOption(option: String, adapters: Int)
    case notAGitRepository(path: String, detail: String)
    case unknownRevision(revision: String, detail: String)
    case missingAtRevision(revision: String, path: String)
    case gitFailed(command: String, detail: String)
    case baselineAdapterProblems(baseline: String, adapter: String, problems: [String])
    case unreadableSample(path: String, reason: String)
    case baselineNotADirectory(path: String)

    public var description: String {
        switch self {
        case let .unknownAdapter(name, known, suggestion):
            let hint = suggestion.map { " Did you mean '\($0)'?" } ?? ""
            return "unknown adapter '\(name)'.\(hint) Adapters: \(known.isEmpty ? "none" : known.joined(separator: ", "))"
        case let .adapterDidNotLoad(name, file):
            return "adapter '\(name)' (\(file)) has problems and cannot be validated; fix what `franca check` reports first"
        case let .schemaFile(path, problems):
            return "schema '\(path)' cannot be used: \(problems.joined(separator: "; "))"
        case let .ambiguousSchemaOption(option, adapters):
            return "\(option) needs exactly one ADAPTER argument (got \(adapters))"
        case let .notAGitRepository(path, detail):
            return "--against-git: '\(path)' is not inside a git repository (\(detail))"
        case let .unknownRevision(revision, detail):
            return "--against-git: unknown revision '\(revision)' (\(detail))"
        case let .missingAtRevision(revision, path):
            return "--against-git: '\(path)' does not exist at revision '\(revision)'"
        case let .gitFailed(command, detail):
            return "git failed: \(command): \(detail)"
        case let .baselineAdapterProblems(baseline, adapter, problems):
            let list = problems.prefix(5).joined(separator: "; ")
            return "adapter '\(adapter)' at \(baseline) does not load: \(list)"
        case let .unreadableSample(path, reason):
            return "sample '\(path)': \(reason)"
        case let .baselineNotADirectory(path):
            return "--against '\(path)' is not a project directory"
        }
    }
}
