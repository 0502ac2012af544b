import Foundation
import Inference

/// Where a chain executor gets model runners. Tests inject fakes; `RunnerCache` loads real models.
public protocol RunnerProvider: AnyObject, Sendable {
    /// The runner for a model, loaded at most once per process.
    func runner(for model: ModelDefinition) throws -> any ModelRunner
}

/// Loads each model once per process (keyed by model id) and hands the same runner to every step and document;
/// a model that failed to load fails again at once instead of being reloaded for every batch.
///
/// Runner calls are serialised per model (`withRunner`): a step abandoned after its timeout may still be using
/// its runner, and the next step must not run the same model state concurrently.
public final class RunnerCache: RunnerProvider, @unchecked Sendable {  // all state behind `lock`
    public typealias Loader = @Sendable (ModelDefinition) throws -> any ModelRunner

    private let load: Loader
    private let lock = NSLock()
    private var runners: [String: Result<any ModelRunner, Error>] = [:]
    private var callLocks: [String: NSLock] = [:]

    public init(load: @escaping Loader) { self.load = load }

    /// Runners for a project's models from the model store; missing files are fetched first when `fetch` is on
    /// (the only network use), else locating them fails with the `franca models pull` hint.
    public convenience init(catalog: ModelCatalog, store: ModelStore = ModelStore(), options: RuntimeOptions = .default,
                            fetch: Bool = false) {
        self.init { model in
            let files: [String: URL]
            if fetch {
                files = try catalog.locateOrFetch(model, store: store)
            } else {
                var found: [String: URL] = [:]
                for spec in try catalog.specs(of: model) { found[spec.role] = try store.locate(spec, modelID: model.id) }
                files = found
            }
            return try ModelLoader.load(model, files: files, options: options)
        }
    }

    public func runner(for model: ModelDefinition) throws -> any ModelRunner {
        lock.lock()
        if let cached = runners[model.id] { lock.unlock(); return try cached.get() }
        lock.unlock()
        // Load outside the lock (it can take seconds); a rare double load keeps the first result.
        let result = Result { try load(model) }
        lock.lock()
        defer { lock.unlock() }
        if let cached = runners[model.id] { return try cached.get() }
        runners[model.id] = result
        return try result.get()
    }

    /// Model ids loaded (or tried) so far, sorted.
    public var modelIDs: [String] {
        lock.lock()
        defer { lock.unlock() }
        return runners.keys.sorted()
    }

    /// Runs `body` while no other call of the same model runs.
    public func withRunner<T>(_ modelID: String, _ body: () throws -> T) rethrows -> T {
        lock.lock()
        let callLock = callLocks[modelID] ?? NSLock()
        callLocks[modelID] = callLock
        lock.unlock()
        callLock.lock()
        defer { callLock.unlock() }
        return try body()
    }
}
