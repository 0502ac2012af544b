import ArgumentParser
import Foundation
import Orchestration

/// `franca check`: load every chain, adapter and schema of a project and report every problem at once.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a project's chains, adapters and schemas; report every problem with file:line:column.",
        discussion: """
        Without --root, the project is the nearest folder at or above the current one that holds Chains/ or \
        Adapters/. Problems go to stderr, one per line, as `FILE:LINE:COL: error: MESSAGE` with FILE relative \
        to the project root; a summary line goes to stdout.
        Exit codes: 0 no problems, 1 problems found, 64 usage error (no project, root missing).
        """
    )

    @Option(name: .long, help: ArgumentHelp("The project root folder.", valueName: "dir"))
    var root: String?

    func run() throws {
        let rootURL = try resolveRoot()
        let (project, diagnostics) = Project.load(root: rootURL)
        for diagnostic in diagnostics {
            FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
        }
        let files = project?.files ?? Project.Files(chains: [], adapters: [], schemas: [])
        print("checked \(Self.count(files.chains.count, "chain")), \(Self.count(files.adapters.count, "adapter")), "
              + "\(Self.count(files.schemas.count, "schema")): \(Self.count(diagnostics.count, "problem"))")
        if !diagnostics.isEmpty { throw ExitCode(1) }
    }

    func resolveRoot() throws -> URL {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if let root {
            let url = URL(fileURLWithPath: root, relativeTo: cwd)
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
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return ExitCode(64)
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
