import Kernels
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
        let quantizedTables = try model.linearQuantizedTensors()
        return try BertWeights(config: config, file: model.path, lookup: { name in
            if name.hasSuffix(".weight") {
                let module = String(name.dropLast(".weight".count))
                if let node = modules[module] {
                    return ([node.n, node.k], try model.matMulNBitsWeight(module: module).dequantized())
                }
                if let table = quantizedTables[name + "_quantized"] {
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
        }, quantized: { module in
            guard let node = modules[module], node.bits == 4 else { return nil } // other widths: dequantized f32
            let w = try model.matMulNBitsWeight(module: module)
            let codes = w.withCodes { [UInt8]($0) }
            let zeroPoints: [Float]?
            if case .implicit(let z) = w.zeroPoints, z == 8 {
                zeroPoints = nil
            } else {
                zeroPoints = (0..<w.n).flatMap { r in (0..<w.kBlocks).map { b in w.zeroPoint(row: r, block: b) } }
            }
            guard let q = NBitsMatrix(rows: w.n, cols: w.k, blockSize: w.blockSize, codes: codes, scales: w.scales,
                                      zeroPoints: zeroPoints) else {
                throw BertError.unsupportedTensor(file: model.path, name: node.codesInitializer,
                                                  reason: "4-bit codes, scales or zero points do not match N \(w.n), K \(w.k), block \(w.blockSize)")
            }
            return q
        })
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
