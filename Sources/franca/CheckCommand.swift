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

    @OptionGroup var project: ProjectOptions

    func run() throws {
        let rootURL = try project.resolveRoot()
        let (project, diagnostics) = Project.load(root: rootURL)
        for diagnostic in diagnostics {
            FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
        }
        let files = project?.files ?? Project.Files(chains: [], adapters: [], schemas: [])
        print("checked \(Self.count(files.chains.count, "chain")), \(Self.count(files.adapters.count, "adapter")), "
              + "\(Self.count(files.schemas.count, "schema")): \(Self.count(diagnostics.count, "problem"))")
        if !diagnostics.isEmpty { throw ExitCode(1) }
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
