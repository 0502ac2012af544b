import Kernels

/// A weight matrix straight from the GGUF memory map: `rows` outputs of `columns` inputs in a GGML type.
public struct DecoderMatrix {
    public let name: String
    public let type: GGMLType
    public let rows: Int
    public let columns: Int
    /// Keeps the mapping alive.
    let tensor: GGUFTensor
    public var rowBytes: Int { tensor.rowByteCount }
    var base: UnsafeRawPointer { tensor.bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)! }

    /// Checks shape [columns, rows] (GGUF order) and that the type has a matmul kernel.
    init(_ gguf: GGUFFile, _ name: String, columns: Int, rows: Int) throws {
        let t: GGUFTensor
        do { t = try gguf.tensor(named: name) } catch { throw DecoderError.missingTensor(name: name, path: gguf.path) }
        let shape = t.shape
        guard shape == [columns, rows] else {
            throw DecoderError.tensorShape(name: name, shape: shape, expected: [columns, rows])
        }
        guard t.type.bestDot != nil, t.type.traits.vecDotType.bestQuantizeRow != nil else {
            throw DecoderError.unsupportedTensorType(name: name, type: t.type)
        }
        self.name = name
        self.type = t.type
        self.columns = columns
        self.rows = rows
        self.tensor = t
    }

    /// Row `row` as floats (token embedding lookup); `row` must be in range.
    func dequantizeRow(_ row: Int, into dst: UnsafeMutablePointer<Float>) {
        type.dequantizeRow(src: base + row * rowBytes, dst: dst, count: columns)
    }
}

/// One transformer block's weights. Optional norms exist only in the architectures that use them.
struct DecoderLayerWeights {
    var attnNorm: [Float]
    var q: DecoderMatrix
    var k: DecoderMatrix
    var v: DecoderMatrix
    var o: DecoderMatrix
    var qNorm: [Float]?
    var kNorm: [Float]?
    var postAttnNorm: [Float]?
    var ffnNorm: [Float]
    var gate: DecoderMatrix
    var up: DecoderMatrix
    var down: DecoderMatrix
    var postFFNNorm: [Float]?
}

/// Every weight of a decoder, validated against its config when loaded.
struct DecoderWeights {
    var tokenEmbedding: DecoderMatrix
    var layers: [DecoderLayerWeights]
    var outputNorm: [Float]
    /// `output.weight`, or the token embedding when the head is tied.
    var output: DecoderMatrix

    init(gguf: GGUFFile, config c: DecoderConfig) throws {
        tokenEmbedding = try DecoderMatrix(gguf, "token_embd.weight", columns: c.hidden, rows: c.vocabSize)
        outputNorm = try Self.vector(gguf, "output_norm.weight", count: c.hidden)
        if gguf.tensorInfos.contains(where: { $0.name == "output.weight" }) {
            output = try DecoderMatrix(gguf, "output.weight", columns: c.hidden, rows: c.vocabSize)
        } else {
            output = tokenEmbedding
        }
        let qDim = c.heads * c.headDim, kvDim = c.kvHeads * c.headDim
        layers = try (0..<c.layerCount).map { i in
            let p = "blk.\(i)."
            return DecoderLayerWeights(
                attnNorm: try Self.vector(gguf, p + "attn_norm.weight", count: c.hidden),
                q: try DecoderMatrix(gguf, p + "attn_q.weight", columns: c.hidden, rows: qDim),
                k: try DecoderMatrix(gguf, p + "attn_k.weight", columns: c.hidden, rows: kvDim),
                v: try DecoderMatrix(gguf, p + "attn_v.weight", columns: c.hidden, rows: kvDim),
                o: try DecoderMatrix(gguf, p + "attn_output.weight", columns: qDim, rows: c.hidden),
                qNorm: c.qkNorm ? try Self.vector(gguf, p + "attn_q_norm.weight", count: c.headDim) : nil,
                kNorm: c.qkNorm ? try Self.vector(gguf, p + "attn_k_norm.weight", count: c.headDim) : nil,
                postAttnNorm: c.postNorms ? try Self.vector(gguf, p + "post_attention_norm.weight", count: c.hidden) : nil,
                ffnNorm: try Self.vector(gguf, p + "ffn_norm.weight", count: c.hidden),
                gate: try DecoderMatrix(gguf, p + "ffn_gate.weight", columns: c.hidden, rows: c.feedForward),
                up: try DecoderMatrix(gguf, p + "ffn_up.weight", columns: c.hidden, rows: c.feedForward),
                down: try DecoderMatrix(gguf, p + "ffn_down.weight", columns: c.feedForward, rows: c.hidden),
                postFFNNorm: c.postNorms ? try Self.vector(gguf, p + "post_ffw_norm.weight", count: c.hidden) : nil)
        }
    }

    /// A norm vector (any float type) as `count` floats.
    static func vector(_ gguf: GGUFFile, _ name: String, count: Int) throws -> [Float] {
        let t: GGUFTensor
        do { t = try gguf.tensor(named: name) } catch { throw DecoderError.missingTensor(name: name, path: gguf.path) }
        guard t.shape == [count] else { throw DecoderError.tensorShape(name: name, shape: t.shape, expected: [count]) }
        guard [.f32, .f16, .bf16].contains(t.type) else { throw DecoderError.unsupportedTensorType(name: name, type: t.type) }
        return t.dequantized()
    }
}
