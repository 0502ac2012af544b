import Foundation
import Inference
import Orchestration

/// Real models named by the repository's own adapters, found in the model store (never fetched by a test).
///
/// `.ci/run` pulls them first, so under `CI=true` a missing model fails its test instead of skipping it.
enum RepoModels {
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
    static let project: Project? = Project.load(root: Fixtures.repoRoot).0
    static let catalog: ModelCatalog? = project.flatMap { try? ModelCatalog(project: $0) }

    /// All of the model's files are in the store and verified.
    static func present(_ name: String) -> Bool {
        guard let catalog, let model = try? catalog.model(named: name), let specs = try? catalog.specs(of: model) else {
            return false
        }
        let store = ModelStore()
        return specs.allSatisfy { if case .verified = store.status(of: $0) { return true } else { return false } }
    }

    static func available(_ name: String) -> Bool { isCI || present(name) }

    /// Loads a model from the store (verified files only; a missing file is an error naming `franca models pull`).
    static func load(_ name: String, threads: Int = 2) throws -> any ModelRunner {
        guard let catalog else { throw CLIError("the repository's project did not load") }
        let model = try catalog.model(named: name)
        let store = ModelStore()
        var files: [String: URL] = [:]
        for spec in try catalog.specs(of: model) { files[spec.role] = try store.locate(spec, modelID: model.id) }
        return try ModelLoader.load(model, files: files, options: RuntimeOptions(threads: threads))
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: any ModelRunner] = [:]

    /// One shared instance per model for the whole test run (loading costs more than most tests).
    static func shared(_ name: String) throws -> any ModelRunner {
        lock.lock()
        defer { lock.unlock() }
        if let r = cache[name] { return r }
        let r = try load(name)
        cache[name] = r
        return r
    }

    struct CLIError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }
}
