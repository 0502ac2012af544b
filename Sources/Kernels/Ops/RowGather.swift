/// Copies or adds table rows selected by index: the embedding lookups of a transformer.
public enum RowGather {
    /// out[i] (+)= table[indices[i]] for each i; `table` holds rows of `out.cols` floats.
    /// Indices must already be validated against the table (callers turn bad ids into typed errors first).
    public static func run(table: FloatBuffer, indices: [Int32], into out: MatrixView, accumulate: Bool) {
        let width = out.cols
        let tableRows = width == 0 ? 0 : table.count / width
        precondition(indices.count == out.rows, "gather: one index per output row")
        precondition(indices.allSatisfy { $0 >= 0 && Int($0) < tableRows }, "gather: index outside the table")
        withExtendedLifetime((table, out.buffer)) {
            for (i, index) in indices.enumerated() {
                // Both rows lie inside their buffers: checked by the preconditions above and by MatrixView.
                let src = table.base + Int(index) * width
                let dst = out.pointer + i * out.stride
                if accumulate {
                    for j in 0..<width { dst[j] += src[j] }
                } else {
                    dst.update(from: src, count: width)
                }
            }
        }
    }
}
