import Canonical
import Foundation
import Inference

/// Builds the runner for a model definition from its verified files (paths by role).
public enum ModelLoader {
    /// Format/architecture pairs with a runner today.
    public static let supported = ["onnx/bert", "safetensors/bert"] + DecoderArchitectures.names.map { "gguf/\($0)" }

    public static func load(_ model: ModelDefinition, files: [String: URL],
                            options: RuntimeOptions = .default) throws -> any ModelRunner {
        func file(_ role: String) throws -> URL {
            guard let url = files[role] else {
                throw ModelRunnerError.missingFile(modelID: model.id, role: role, have: files.keys.sorted())
            }
            return url
        }
        switch (model.format, model.architecture) {
        case (.onnx, "bert"), (.safetensors, "bert"):
            let weights = try file("weights").path, config = try file("config").path
            let bert = model.format == .onnx
                ? try BertModel.load(onnx: weights, config: config, options: options)
                : try BertModel.load(safetensors: weights, config: config, options: options)
            let lowercase = try boolOption(model, "lowercase", default: true)
            let tokenizer = try WordPieceTokenizer(vocabFile: try file("vocab"), lowercase: lowercase)
            return BertRunner(modelID: model.id, model: bert, tokenizer: tokenizer)
        case (.gguf, let arch) where DecoderArchitectures.names.contains(arch):
            let decoder = try DecoderModel(path: try file("weights").path, options: options)
            guard decoder.config.architecture == arch else {
                throw ModelRunnerError.invalidOption(
                    modelID: model.id, option: "architecture",
                    message: "the adapter says '\(arch)' but the file is '\(decoder.config.architecture)'")
            }
            let context = try intOption(model, "contextLength", default: min(decoder.config.trainedContext, 4096))
            return DecoderRunner(modelID: model.id, model: decoder, template: try chatTemplateOption(model),
                                 contextLength: context)
        default:
            throw ModelRunnerError.unsupportedModel(modelID: model.id, format: model.format.rawValue,
                                                    architecture: model.architecture, supported: supported)
        }
    }

    static func intOption(_ model: ModelDefinition, _ name: String, default value: Int) throws -> Int {
        guard let v = model.options[name] else { return value }
        guard case .integer(let n) = v, n > 0, n <= 1 << 20 else {
            throw ModelRunnerError.invalidOption(modelID: model.id, option: name, message: "expected a positive integer")
        }
        return Int(n)
    }

    /// `chatTemplate: chatml | gemma | qwen3` overrides the template detected from the weights.
    static func chatTemplateOption(_ model: ModelDefinition) throws -> ChatTemplate? {
        guard let v = model.options["chatTemplate"] else { return nil }
        switch v.stringValue {
        case "chatml": return .chatML(defaultSystem: nil)
        case "gemma": return .gemma
        case "qwen3": return .qwen3(thinking: true)
        default:
            throw ModelRunnerError.invalidOption(modelID: model.id, option: "chatTemplate",
                                                 message: "expected chatml, gemma or qwen3")
        }
    }

    static func boolOption(_ model: ModelDefinition, _ name: String, default value: Bool) throws -> Bool {
        guard let v = model.options[name] else { return value }
        guard let b = v.boolValue else {
            throw ModelRunnerError.invalidOption(modelID: model.id, option: name, message: "expected true or false")
        }
        return b
    }
}
