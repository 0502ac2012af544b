import Foundation
import Inference

extension ModelFile {
    /// The model store's description of this file (`ModelStore.fetch` / `locate`), with a relative `local:` path
    /// resolved against the project root.
    public func spec(root: URL) throws -> ModelFileSpec {
        let store: ModelFileSpec.Source
        switch source {
        case .pypi(let requirement, let path):
            store = .pypi(requirement: requirement.description, path: path)
        case .parts(let parts):
            store = .pypiParts(parts.map { (requirement: $0.requirement.description, path: $0.path) })
        case .local(let path):
            store = .local(path: path.hasPrefix("/") ? path : root.appendingPathComponent(path).standardizedFileURL.path)
        }
        return try ModelFileSpec(role: role, sha256: sha256, source: store)
    }
}

extension ModelDefinition {
    /// Every file of the model as the store sees it, in file order.
    public func specs(root: URL) throws -> [ModelFileSpec] { try files.map { try $0.spec(root: root) } }
}
