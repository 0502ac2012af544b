import Foundation
import Inference

/// Why a model name given on the command line or in a chain could not be used.
public enum ModelCatalogError: Error, Equatable, CustomStringConvertible {
    case unknownModel(name: String, known: [String], suggestion: String?)
    case conflictingDefinitions(modelID: String, adapters: [String])
    case invalidFileSpec(modelID: String, role: String, message: String)

    public var description: String {
        switch self {
        case let .unknownModel(name, known, suggestion):
            let hint = suggestion.map { " Did you mean '\($0)'?" } ?? ""
            let list = known.isEmpty ? "none (the project has no adapters)" : known.joined(separator: ", ")
            return "unknown model '\(name)'.\(hint) Known models and adapters: \(list)"
        case let .conflictingDefinitions(modelID, adapters):
            return "model '\(modelID)' is defined differently by adapters \(adapters.joined(separator: ", ")): "
                + "its files and sha256s must agree"
        case let .invalidFileSpec(modelID, role, message):
            return "model '\(modelID)', file '\(role)': \(message)"
        }
    }
}

/// The models a project's adapters name, by model id; adapters that share a model share its files.
public struct ModelCatalog: Sendable {
    public let root: URL
    /// Model id → definition (from the first adapter, by id order, that names it).
    public let models: [String: ModelDefinition]
    /// Adapter id → model id.
    public let adapterModels: [String: String]

    public init(project: Project) throws {
        root = project.root
        var models: [String: ModelDefinition] = [:]
        var owners: [String: [String]] = [:]
        var adapterModels: [String: String] = [:]
        for adapter in project.sortedAdapters {
            let model = adapter.model
            adapterModels[adapter.id] = model.id
            owners[model.id, default: []].append(adapter.id)
            if let existing = models[model.id] {
                let a = try Self.specs(existing, root: project.root)
                let b = try Self.specs(model, root: project.root)
                guard a == b else { throw ModelCatalogError.conflictingDefinitions(modelID: model.id, adapters: owners[model.id] ?? []) }
            } else {
                models[model.id] = model
            }
        }
        self.models = models
        self.adapterModels = adapterModels
    }

    public var sortedModelIDs: [String] { models.keys.sorted() }

    /// A model by its model id or by the id of an adapter that uses it.
    public func model(named name: String) throws -> ModelDefinition {
        if let m = models[name] { return m }
        if let id = adapterModels[name], let m = models[id] { return m }
        let known = Array(Set(models.keys).union(adapterModels.keys)).sorted()
        throw ModelCatalogError.unknownModel(name: name, known: known, suggestion: Suggestions.closest(to: name, in: known))
    }

    /// The store's view of each of the model's files, in file order.
    public func specs(of model: ModelDefinition) throws -> [ModelFileSpec] { try Self.specs(model, root: root) }

    static func specs(_ model: ModelDefinition, root: URL) throws -> [ModelFileSpec] {
        try model.files.map { file in
            do { return try file.spec(root: root) } catch {
                throw ModelCatalogError.invalidFileSpec(modelID: model.id, role: file.role, message: "\(error)")
            }
        }
    }

    /// Paths of a model's files by role, fetching what is missing first (the only network use, announced by
    /// `progress`); files present and verified are returned at once.
    public func locateOrFetch(_ model: ModelDefinition, store: ModelStore,
                              progress: ModelFetchProgressHandler? = nil) throws -> [String: URL] {
        let specs = try specs(of: model)
        var paths: [String: URL] = [:]
        let missing = specs.filter { spec in
            if case .verified = store.status(of: spec) { return false }
            if case .local = spec.source { return false }
            return true
        }
        if !missing.isEmpty { try store.fetch(missing, modelID: model.id, progress: progress) }
        for spec in specs { paths[spec.role] = try store.locate(spec, modelID: model.id, progress: progress) }
        return paths
    }
}
