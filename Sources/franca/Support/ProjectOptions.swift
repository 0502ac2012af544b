import ArgumentParser
import Foundation
import Orchestration

/// `--root DIR`, shared by every command that reads a project's chains and adapters.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The project root folder (default: the nearest folder at or above the current one holding Chains/ or Adapters/).", valueName: "dir"))
    var root: String?

    func resolveRoot() throws -> URL {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if let root {
            let url = URL(fileURLWithPath: root, relativeTo: cwd).standardizedFileURL
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw Self.usage("--root '\(root)' is not a directory")
            }
            return url
        }
        guard let found = Project.findRoot(from: cwd) else {
            throw Self.usage("no project found: no Chains/ or Adapters/ folder in \(cwd.path) or above; pass --root DIR")
        }
        return found
    }

    /// A usage problem: one line on stderr, exit 64 (EX_USAGE).
    static func usage(_ message: String) -> ExitCode {
        Stderr.line("error: \(message)")
        return ExitCode(64)
    }

    /// Loads the project; any problem is printed (as `franca check` would) and ends the command with exit 1.
    func loadProject() throws -> Project {
        let (project, diagnostics) = Project.load(root: try resolveRoot())
        guard let project, diagnostics.isEmpty else {
            for d in diagnostics { Stderr.line(d.description) }
            Stderr.line("the project has problems; run `franca check` for the full list")
            throw ExitCode(1)
        }
        return project
    }

    /// The chain named by a command's CHAIN argument (`pii-redaction` or `Chains/pii-redaction.yaml`); an unknown name
    /// is a usage error suggesting the closest chain and listing them all.
    static func chain(_ argument: String, in project: Project) throws -> ChainDefinition {
        let name = RunCommand.chainName(argument)
        if let chain = project.chain(name) { return chain }
        let known = project.sortedChains.map(\.name)
        let hint = Suggestions.closest(to: name, in: known).map { " Did you mean '\($0)'?" } ?? ""
        throw usage("unknown chain '\(argument)'.\(hint) Chains: \(known.joined(separator: ", "))")
    }
}
