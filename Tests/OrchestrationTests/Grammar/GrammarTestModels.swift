import Foundation
import Inference
import Orchestration

/// Real GGUF vocabularies for the grammar tests: the model files the repository's adapters name, found in the model
/// store that `franca models pull` fills (`$FRANCA_MODELS`), or under `FRANCA_TEST_MODELS_DIR` (unpacked wheels)
/// when that is set. Absent files skip the tests, unless `CI=true`, where a missing file is a failure.
enum GrammarTestModels {
    /// Catalog model ids (Adapters/*.yaml `model.id`).
    static let smolLM2 = "smollm2"
    static let gemma3 = "gemma3-270m"

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static func path(_ model: String) -> String? {
        guard let catalog = RepoModels.catalog, let definition = try? catalog.model(named: model),
              let spec = try? catalog.specs(of: definition).first else { return nil }
        if let dir = ProcessInfo.processInfo.environment["FRANCA_TEST_MODELS_DIR"], !dir.isEmpty,
           case .pypi(_, let inner) = spec.source {
            let p = URL(fileURLWithPath: dir).appendingPathComponent(inner).path
            if FileManager.default.fileExists(atPath: p) { return p }
        }
        return (try? ModelStore().locate(spec, modelID: definition.id))?.path
    }

    static func available(_ relative: String) -> Bool { isCI || path(relative) != nil }

    struct Loaded: Sendable {
        let tokenizer: any TextTokenizer
        let vocabulary: GrammarVocabulary
    }

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: Loaded] = [:]

    /// Tokenizer and grammar vocabulary of a model file, built once per test run.
    static func load(_ relative: String) throws -> Loaded {
        lock.lock()
        defer { lock.unlock() }
        if let hit = cache[relative] { return hit }
        guard let p = path(relative) else { throw Missing(description: "\(relative) not in the model store (run `franca models pull`)") }
        let tokenizer = try GGUFTokenizerFactory.make(gguf: try GGUFFile(path: p))
        let loaded = Loaded(tokenizer: tokenizer, vocabulary: GrammarVocabulary(tokenizer: tokenizer))
        cache[relative] = loaded
        return loaded
    }
}
