import Canonical
import Foundation
import Inference

/// Builds the runner for a model definition from its verified files (paths by role).
public enum ModelLoader {
    /// Format/architecture pairs with a runner today.
    public static let supported = ["onnx/bert", "safetensors/bert"]

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
        default:
            throw ModelRunnerError.unsupportedModel(modelID: model.id, format: model.format.rawValue,
                                                    architecture: model.architecture, supported: supported)
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
