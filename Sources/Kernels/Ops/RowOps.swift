import CKernels

/// Row-wise element operations: LayerNorm with residual, GELU, softmax.
public enum RowOps {
    /// x = LayerNorm(x + delta) · gamma + beta per row (delta nil: plain LayerNorm). BERT uses eps = 1e-12.
    public static func addLayerNorm(_ x: MatrixView, delta: MatrixView?, gamma: FloatBuffer, beta: FloatBuffer,
                                    eps: Float, path: KernelPath = .auto) {
        precondition(gamma.count == x.cols && beta.count == x.cols, "layer norm: gamma/beta must have \(x.cols) entries")
        if let delta { precondition(delta.rows == x.rows && delta.cols == x.cols, "layer norm: delta shape differs") }
        if x.rows == 0 { return }
        withExtendedLifetime((x.buffer, delta?.buffer, gamma, beta)) {
            franca_add_layernorm(x.pointer, Int64(x.stride), delta.map { UnsafePointer($0.pointer) }, Int64(delta?.stride ?? 0),
                                 Int64(x.rows), Int64(x.cols), gamma.base, beta.base, eps, path.rawValue)
        }
    }

    /// In-place exact GELU over every element of x.
    public static func gelu(_ x: MatrixView, path: KernelPath = .auto) {
        withExtendedLifetime(x.buffer) {
            for r in 0..<x.rows { franca_gelu(x.pointer + r * x.stride, Int64(x.cols), path.rawValue) }
        }
    }

    /// In-place softmax of each row.
    public static func softmax(_ x: MatrixView, path: KernelPath = .auto) {
        if x.rows == 0 || x.cols == 0 { return }
        withExtendedLifetime(x.buffer) {
            franca_softmax_rows(x.pointer, Int64(x.rows), Int64(x.cols), Int64(x.stride), path.rawValue)
        }
    }
}
