import CKernels

/// A weight matrix W[rows = out features, cols = in features] (PyTorch/ONNX layout) packed once into column panels
/// for the GEMM micro-kernels, with its optional bias. Either f32 panels, or 4-bit blocks that the GEMM
/// dequantizes one panel at a time (5–8× less memory traffic, same f32 results).
public final class PackedMatrix: @unchecked Sendable {
    /// Output features (N).
    public let rows: Int
    /// Input features (K).
    public let cols: Int
    /// f32 panels (empty for 4-bit storage).
    let packed: FloatBuffer
    /// 4-bit panels as raw bytes inside a FloatBuffer (nil for f32 storage), and their block size.
    let packedQ4: FloatBuffer?
    let q4BlockSize: Int
    let bias: FloatBuffer?

    /// Packs `weights` ([rows, cols] row-major) and copies `bias` ([rows]).
    public init(weights: [Float], rows: Int, cols: Int, bias: [Float]? = nil) {
        precondition(rows > 0 && cols > 0 && weights.count == rows * cols, "weights must hold rows*cols floats")
        precondition(bias == nil || bias?.count == rows, "bias must hold rows floats")
        self.rows = rows
        self.cols = cols
        let packed = FloatBuffer(count: Int(franca_gemm_packed_count(Int64(rows), Int64(cols))))
        weights.withUnsafeBufferPointer { w in
            // w holds rows*cols floats (checked above); packed holds the padded panel size from the C side.
            franca_gemm_pack(w.baseAddress, Int64(rows), Int64(cols), Int64(cols), packed.base)
        }
        self.packed = packed
        self.packedQ4 = nil
        self.q4BlockSize = 0
        self.bias = bias.map { FloatBuffer($0) }
    }

    /// Repacks a 4-bit MatMulNBits matrix; the GEMM result equals the f32 GEMM on `q4.dequantized()`.
    public init(q4: NBitsMatrix, bias: [Float]? = nil) {
        precondition(bias == nil || bias?.count == q4.rows, "bias must hold rows floats")
        rows = q4.rows
        cols = q4.cols
        let bytes = Int(franca_q4_packed_bytes(Int64(q4.rows), Int64(q4.cols), Int64(q4.blockSize)))
        let storage = FloatBuffer(count: (bytes + 3) / 4)
        q4.codes.withUnsafeBufferPointer { codes in
            q4.scales.withUnsafeBufferPointer { scales in
                // Sizes were checked by NBitsMatrix.init; storage holds the byte count the C side asked for.
                let raw = UnsafeMutableRawPointer(storage.base).assumingMemoryBound(to: UInt8.self)
                if let zp = q4.zeroPoints {
                    zp.withUnsafeBufferPointer { z in
                        franca_q4_pack(codes.baseAddress, scales.baseAddress, z.baseAddress, Int64(q4.rows), Int64(q4.cols),
                                       Int64(q4.blockSize), raw)
                    }
                } else {
                    franca_q4_pack(codes.baseAddress, scales.baseAddress, nil, Int64(q4.rows), Int64(q4.cols),
                                   Int64(q4.blockSize), raw)
                }
            }
        }
        packed = FloatBuffer(count: 0)
        packedQ4 = storage
        q4BlockSize = q4.blockSize
        self.bias = bias.map { FloatBuffer($0) }
    }

    /// True when the weights are stored as 4-bit blocks.
    public var isQuantized: Bool { packedQ4 != nil }

    /// Stacks several matrices with the same `cols` on top of each other (e.g. Q, K, V into one [3h, h] matrix).
    public convenience init(stacking parts: [(weights: [Float], rows: Int, bias: [Float]?)], cols: Int) {
        let rows = parts.reduce(0) { $0 + $1.rows }
        var w: [Float] = []
        w.reserveCapacity(rows * cols)
        var b: [Float] = []
        let hasBias = parts.contains { $0.bias != nil }
        for part in parts {
            precondition(part.weights.count == part.rows * cols, "stacked part must hold rows*cols floats")
            w += part.weights
            if hasBias { b += part.bias ?? [Float](repeating: 0, count: part.rows) }
        }
        self.init(weights: w, rows: rows, cols: cols, bias: hasBias ? b : nil)
    }

    /// Bytes held by the packed weights and bias.
    public var byteCount: Int { (packed.count + (packedQ4?.count ?? 0) + (bias?.count ?? 0)) * MemoryLayout<Float>.stride }
}
