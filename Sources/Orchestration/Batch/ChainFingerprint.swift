import Canonical
import Foundation
import Inference

/// What a chain's output depends on, hashed: the chain file, and per step the adapter files, adapter versions and
/// model file sha256s it runs (fallbacks included). A change re-runs only documents that ran an affected step,
/// and `franca diff` attributes output changes to the steps whose fingerprint differs.
public struct ChainFingerprint: Codable, Hashable, Sendable {
    /// One adapter a step may run (the step's own, or its fallback).
    public struct AdapterPart: Codable, Hashable, Sendable {
        public var id: String
        public var version: String
        /// sha256 of `Adapters/<id>.yaml`.
        public var fileSHA256: String
        public var model: String
        /// Role → sha256 of each model file, as the adapter pins it.
        public var modelFiles: [String: String]

        public init(id: String, version: String, fileSHA256: String, model: String, modelFiles: [String: String]) {
            self.id = id; self.version = version; self.fileSHA256 = fileSHA256; self.model = model; self.modelFiles = modelFiles
        }

        private enum CodingKeys: String, CodingKey { case id, version, fileSHA256, model, modelFiles }

        private struct RoleKey: CodingKey {
            let stringValue: String
            init(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }

        /// `modelFiles` in role order: a dictionary's own order changes from one process to the next, and
        /// summary.json and the ledger must not.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(version, forKey: .version)
            try c.encode(fileSHA256, forKey: .fileSHA256)
            try c.encode(model, forKey: .model)
            var files = c.nestedContainer(keyedBy: RoleKey.self, forKey: .modelFiles)
            for role in modelFiles.keys.sorted() { try files.encode(modelFiles[role], forKey: RoleKey(stringValue: role)) }
        }
    }

    public struct Step: Codable, Hashable, Sendable {
        public var id: String
        /// Set for check steps (and `transform:NAME` for transform steps).
        public var check: String?
        /// The step's adapter first, then its fallback.
        public var adapters: [AdapterPart]
        /// Hash of everything above.
        public var hash: String

        public init(id: String, check: String?, adapters: [AdapterPart]) {
            self.id = id; self.check = check; self.adapters = adapters
            var text = "step \(id)\n"
            if let check { text += "check \(check)\n" }
            for a in adapters {
                text += "adapter \(a.id) \(a.version) \(a.fileSHA256) model \(a.model)\n"
                for role in a.modelFiles.keys.sorted() { text += "  \(role) \(a.modelFiles[role] ?? "")\n" }
            }
            hash = SHA256.hexHash(Array(text.utf8))
        }
    }

    public var chain: String
    /// sha256 of `Chains/<name>.yaml`: any edit to the chain (steps, `when`, limits) re-runs every document.
    public var chainFileSHA256: String
    public var steps: [Step]
    /// Hash of the chain file hash and every step hash: the run's single fingerprint.
    public var hash: String

    public init(chain: String, chainFileSHA256: String, steps: [Step]) {
        self.chain = chain; self.chainFileSHA256 = chainFileSHA256; self.steps = steps
        let text = "chain \(chain) \(chainFileSHA256)\n" + steps.map { "\($0.id) \($0.hash)\n" }.joined()
        hash = SHA256.hexHash(Array(text.utf8))
    }

    public func step(_ id: String) -> Step? { steps.first { $0.id == id } }

    /// The fingerprint of a chain of a loaded project, reading the chain and adapter files for their hashes.
    public init(chain: ChainDefinition, project: Project) throws {
        func fileHash(_ relative: String) throws -> String {
            let url = project.root.appendingPathComponent(relative)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw BatchError.io(path: url.path, operation: "read", reason: "cannot read the file to fingerprint it")
            }
            return SHA256.hexHash(data)
        }
        func part(_ adapterID: String) throws -> AdapterPart {
            guard let adapter = project.adapter(adapterID) else {
                throw BatchError.io(path: "\(Project.adaptersFolder)/\(adapterID).yaml", operation: "load", reason: "adapter '\(adapterID)' is not in the project")
            }
            var files: [String: String] = [:]
            for f in adapter.model.files { files[f.role] = f.sha256 }
            return AdapterPart(id: adapter.id, version: adapter.version.description,
                               fileSHA256: try fileHash("\(Project.adaptersFolder)/\(adapter.id).yaml"),
                               model: adapter.model.id, modelFiles: files)
        }
        var steps: [Step] = []
        for step in chain.steps {
            switch step.action {
            case .check(let kind):
                steps.append(Step(id: step.id, check: kind.rawValue, adapters: []))
            case .transform(let kind):
                steps.append(Step(id: step.id, check: "transform:\(kind.rawValue)", adapters: []))
            case .adapter(let id):
                var parts = [try part(id)]
                if let fallback = step.fallback { parts.append(try part(fallback)) }
                steps.append(Step(id: step.id, check: nil, adapters: parts))
            }
        }
        self.init(chain: chain.name, chainFileSHA256: try fileHash("\(Project.chainsFolder)/\(chain.name).yaml"), steps: steps)
    }

    /// Why a step's output may differ between `old` and `self` ("adapter rampart-pii 1.0.0 → 1.1.0"); nil when
    /// the step is unchanged.
    public func changeDescription(step id: String, from old: ChainFingerprint) -> String? {
        let now = step(id), before = old.step(id)
        guard now?.hash != before?.hash else { return nil }
        guard let now else { return "step \(id) removed" }
        guard let before else { return "step \(id) added" }
        if now.check != before.check { return "check \(before.check ?? "-") → \(now.check ?? "-")" }
        var reasons: [String] = []
        let oldByID = Dictionary(before.adapters.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for a in now.adapters {
            guard let b = oldByID[a.id] else { reasons.append("adapter \(a.id) added"); continue }
            if a.version != b.version { reasons.append("adapter \(a.id) \(b.version) → \(a.version)") }
            else if a.fileSHA256 != b.fileSHA256 { reasons.append("adapter \(a.id) file changed") }
            if a.model != b.model { reasons.append("model \(b.model) → \(a.model)") }
            else if a.modelFiles != b.modelFiles {
                let roles = Set(a.modelFiles.keys).union(b.modelFiles.keys).filter { a.modelFiles[$0] != b.modelFiles[$0] }.sorted()
                reasons.append("model \(a.model) \(roles.joined(separator: ", ")) sha256 changed")
            }
        }
        for b in before.adapters where !now.adapters.contains(where: { $0.id == b.id }) { reasons.append("adapter \(b.id) removed") }
        return reasons.isEmpty ? "step \(id) changed" : reasons.joined(separator: "; ")
    }

    public func jsonValue() throws -> JSONValue { try JSONValueEncoder().encode(self) }

    public init(json: JSONValue) throws { self = try JSONValueDecoder().decode(ChainFingerprint.self, from: json) }
}
