import Foundation

/// The project as it was: another checkout on disk (`--against DIR`) or a git revision (`--against-git REV`),
/// whose adapter and native schemas are the "old" side of the comparison.
public struct ValidationBaseline: Sendable {
    /// `git HEAD~1`, `dir ../old`.
    public let label: String
    public let project: Project

    /// The adapter at the baseline, or a typed error when it is missing or did not load there.
    public func adapter(_ id: String, diagnostics: [Diagnostic]) throws(AdapterValidationError) -> AdapterDefinition {
        if let a = project.adapter(id) { return a }
        let file = "\(Project.adaptersFolder)/\(id).yaml"
        if !project.files.adapters.contains(file) {
            if label.hasPrefix("git ") { throw .missingAtRevision(revision: String(label.dropFirst(4)), path: file) }
            throw .baselineAdapterProblems(baseline: label, adapter: id, problems: ["\(file) does not exist"])
        }
        let mine = diagnostics.filter { $0.location.file == file }.map(\.description)
        throw .baselineAdapterProblems(baseline: label, adapter: id, problems: mine.isEmpty ? diagnostics.map(\.description) : mine)
    }

    /// A project directory as the baseline.
    public static func directory(_ url: URL) throws(AdapterValidationError) -> (ValidationBaseline, [Diagnostic]) {
        let (project, diagnostics) = Project.load(root: url)
        guard let project else { throw .baselineNotADirectory(path: url.path) }
        return (ValidationBaseline(label: "dir \(url.path)", project: project), diagnostics)
    }

    /// The project's `Adapters/`, `Schemas/` and `Chains/` at a git revision, written to a fresh temporary folder
    /// (`git show REV:path` for each file) and loaded from there. The caller removes `scratch` when done.
    public static func git(revision: String, root: URL, scratch: URL) throws(AdapterValidationError) -> (ValidationBaseline, [Diagnostic]) {
        let git = Git(directory: root)
        if case .failure(let e) = git.run(["rev-parse", "--show-toplevel"]) {
            throw .notAGitRepository(path: root.path, detail: e.detail)
        }
        if case .failure(let e) = git.run(["rev-parse", "--verify", "--quiet", "\(revision)^{commit}"]) {
            throw .unknownRevision(revision: revision, detail: e.detail.isEmpty ? "not a commit" : e.detail)
        }
        let folders = [Project.adaptersFolder, Project.schemasFolder, Project.chainsFolder]
        let listing: String
        switch git.run(["ls-tree", "-r", "--name-only", revision, "--"] + folders) {
        case .success(let out): listing = out
        case .failure(let e): throw .gitFailed(command: "git ls-tree \(revision)", detail: e.detail)
        }
        let files = listing.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        // ls-tree prints paths relative to the current directory (the project root) for paths given relative to it.
        for file in files {
            let data: Data
            switch git.runData(["show", "\(revision):./\(file)"]) {
            case .success(let d): data = d
            case .failure: throw .missingAtRevision(revision: revision, path: file)
            }
            let target = scratch.appendingPathComponent(file)
            do {
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: target)
            } catch {
                throw .gitFailed(command: "writing \(file) to \(scratch.path)", detail: "\(error)")
            }
        }
        if !files.contains(where: { $0.hasPrefix(Project.adaptersFolder + "/") }) {
            throw .missingAtRevision(revision: revision, path: Project.adaptersFolder)
        }
        let (project, diagnostics) = Project.load(root: scratch)
        guard let project else { throw .gitFailed(command: "loading the project at \(revision)", detail: "no project") }
        return (ValidationBaseline(label: "git \(revision)", project: project), diagnostics)
    }
}

/// A few git commands run through `Process` in one directory.
struct Git {
    let directory: URL

    struct Failure: Error {
        var status: Int32
        var detail: String
    }

    func run(_ arguments: [String]) -> Result<String, Failure> {
        runData(arguments).map { String(decoding: $0, as: UTF8.self) }
    }

    func runData(_ arguments: [String]) -> Result<Data, Failure> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory.path] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            return .failure(Failure(status: -1, detail: "cannot start git: \(error)"))
        }
        let errBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let detail = String(decoding: errBox.data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return .failure(Failure(status: process.terminationStatus, detail: detail))
        }
        return .success(data)
    }
}

private final class DataBox: @unchecked Sendable {  // written once by the reader thread before group.leave()
    var data = Data()
}
