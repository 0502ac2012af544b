import Foundation

/// Loaders from the real checkpoint formats. Both go through the HF-name mapping in `BertWeights+Named.swift`.
extension BertWeights {
    /// A Hugging Face safetensors checkpoint (BertModel or BertForTokenClassification), e.g. all-MiniLM-L6-v2.
    public static func load(safetensors file: SafetensorsFile, config: BertConfig) throws -> BertWeights {
        try BertWeights(config: config, file: file.path) { name in
            guard file.contains(name) else { return nil }
            return (try file.info(name).shape, try file.floats(name))
        }
    }

    /// An ONNX export whose linear layers are `com.microsoft.MatMulNBits` (dequantized to f32 here, as
    /// onnxruntime does with accuracy_level 0) and whose embeddings are uint8 tables behind `DequantizeLinear`,
    /// e.g. Rampart's model_q4.onnx. Plain float initializers (LayerNorm, biases) are read by name.
    public static func load(onnx model: ONNXModelFile, config: BertConfig) throws -> BertWeights {
        var modules: [String: MatMulNBitsNodeInfo] = [:]
        for node in model.matMulNBitsNodes() { modules[node.logicalName] = node }
        let quantized = try model.linearQuantizedTensors()
        return try BertWeights(config: config, file: model.path) { name in
            if name.hasSuffix(".weight") {
                let module = String(name.dropLast(".weight".count))
                if let node = modules[module] {
                    let w = try model.matMulNBitsWeight(module: module)
                    return ([node.n, node.k], w.dequantized())
                }
                if let table = quantized[name + "_quantized"] {
                    return (table.dims, table.dequantized())
                }
            }
            if name.hasSuffix(".bias"), let node = modules[String(name.dropLast(".bias".count))],
               let bias = node.biasInitializer {
                let t = try model.initializer(bias)
                return (t.dims, try t.floats())
            }
            guard model.hasInitializer(name) else { return nil }
            let t = try model.initializer(name)
            return (t.dims, try t.floats())
        }
    }
}

extension BertModel {
    /// Loads a model folder holding config.json and model.safetensors (e.g. all-MiniLM-L6-v2).
    public static func load(safetensors path: String, config configPath: String, options: RuntimeOptions = .default) throws -> BertModel {
        let config = try BertConfig(contentsOf: URL(fileURLWithPath: configPath))
        let weights = try BertWeights.load(safetensors: try SafetensorsFile(path: path), config: config)
        return try BertModel(config: config, weights: weights, options: options, file: path)
    }

    /// Loads an ONNX BERT with MatMulNBits weights and its config.json (e.g. Rampart's model_q4.onnx).
    public static func load(onnx path: String, config configPath: String, options: RuntimeOptions = .default) throws -> BertModel {
        let config = try BertConfig(contentsOf: URL(fileURLWithPath: configPath))
        let weights = try BertWeights.load(onnx: try ONNXModelFile(path: path), config: config)
        return try BertModel(config: config, weights: weights, options: options, file: path)
    }
}
