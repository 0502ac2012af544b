import CKernels

/// A weight matrix W[rows = out features, cols = in features] (PyTorch/ONNX layout) packed once into column panels
/// for the GEMM micro-kernels, with its optional bias.
public final class PackedMatrix: @unchecked Sendable {
    /// Output features (N).
    public let rows: Int
    /// Input features (K).
    public let cols: Int
    let packed: FloatBuffer
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
        self.bias = bias.map { FloatBuffer($0) }
    }

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
    public var byteCount: Int { (packed.count + (bias?.count ?? 0)) * MemoryLayout<Float>.stride }
}
