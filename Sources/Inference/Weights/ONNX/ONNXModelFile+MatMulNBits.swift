/// One `MatMulNBits` node and what surrounds it, for architectures that map graph nodes to named weights.
public struct MatMulNBitsNodeInfo: Equatable, Sendable {
    public let nodeName: String
    /// The PyTorch-style module name, e.g. `bert.encoder.layer.0.attention.self.query`: taken from the bias
    /// initializer's name (`<module>.bias`) when there is one, else from the node name
    /// (`/bert/encoder/layer.0/attention/self/query/MatMul_Q4` → `bert.encoder.layer.0.attention.self.query`).
    public let logicalName: String
    /// Activation input A.
    public let input: String
    public let codesInitializer: String
    public let scalesInitializer: String
    public let zeroPointsInitializer: String?
    public let output: String
    public let k: Int
    public let n: Int
    public let bits: Int
    public let blockSize: Int
    /// The bias initializer, from the node's own `bias` input (index 5) or from the `Add` that consumes the
    /// output with an initializer as its other operand (how Rampart's exporter wrote it).
    public let biasInitializer: String?
    /// The name of that `Add` node, when the bias came from one.
    public let biasAddNode: String?
    /// The value to continue from: the bias Add's output when there is one, else the node's output.
    public let resultName: String
}

extension ONNXModelFile {
    /// Every `MatMulNBits` node in graph order, with the bias found for it and its logical module name.
    public func matMulNBitsNodes() -> [MatMulNBitsNodeInfo] {
        nodes(opType: "MatMulNBits").compactMap { node in
            guard let output = node.outputs.first, let a = node.input(0), let b = node.input(1), let s = node.input(2) else { return nil }
            var bias = node.input(5)
            var addNode: String?
            var result = output
            if bias == nil,
               let add = consumers(of: output).first(where: { $0.opType == "Add" && $0.inputs.count == 2 }),
               let other = add.inputs.first(where: { $0 != output }), hasInitializer(other),
               let addOutput = add.outputs.first {
                bias = other
                addNode = add.name
                result = addOutput
            }
            let logical: String
            if let bias, bias.hasSuffix(".bias") {
                logical = String(bias.dropLast(".bias".count))
            } else {
                logical = Self.moduleName(fromNodeName: node.name)
            }
            return MatMulNBitsNodeInfo(
                nodeName: node.name, logicalName: logical, input: a, codesInitializer: b, scalesInitializer: s,
                zeroPointsInitializer: node.input(3), output: output,
                k: Int(node.int("K") ?? 0), n: Int(node.int("N") ?? 0), bits: Int(node.int("bits") ?? 4),
                blockSize: Int(node.int("block_size") ?? 0),
                biasInitializer: bias, biasAddNode: addNode, resultName: result)
        }
    }

    /// `/bert/encoder/layer.0/attention/self/query/MatMul_Q4` → `bert.encoder.layer.0.attention.self.query`:
    /// drop the leading slash and the final `MatMul…` component, join the rest with dots.
    public static func moduleName(fromNodeName name: String) -> String {
        var parts = name.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if let last = parts.last, last.hasPrefix("MatMul"), parts.count > 1 { parts.removeLast() }
        return parts.joined(separator: ".")
    }

    /// The quantized weight of the module `logicalName` (e.g. `bert.encoder.layer.3.output.dense`).
    public func matMulNBitsWeight(module logicalName: String) throws -> MatMulNBitsWeight {
        guard let info = matMulNBitsNodes().first(where: { $0.logicalName == logicalName }) else {
            throw ONNXError.nodeNotFound(path: path, name: "MatMulNBits for module '\(logicalName)'")
        }
        return try MatMulNBitsWeight(node: try node(named: info.nodeName), in: self)
    }

    /// The quantized weight of a node found by `matMulNBitsNodes()` (no second scan of the graph).
    public func matMulNBitsWeight(_ info: MatMulNBitsNodeInfo) throws -> MatMulNBitsWeight {
        try MatMulNBitsWeight(node: try node(named: info.nodeName), in: self)
    }

    /// The dequantized table behind each `DequantizeLinear` node (through a `Gather` if needed), keyed by
    /// the data initializer's name, e.g. `bert.embeddings.word_embeddings.weight_quantized`.
    public func linearQuantizedTensors() throws -> [String: LinearQuantizedTensor] {
        var out: [String: LinearQuantizedTensor] = [:]
        for node in nodes(opType: "DequantizeLinear") {
            let t = try LinearQuantizedTensor(node: node, in: self)
            out[t.name] = t
        }
        return out
    }
}
