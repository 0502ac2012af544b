import Foundation

/// Plain, obviously-correct Swift twins of the fast kernels, on arrays, accumulating in Double.
///
/// Tests compare every fast path against these over odd sizes; nothing at run time uses them.
public enum ReferenceKernels {
    /// C[m, n] = A[m, k] · W[n, k]ᵀ + bias.
    public static func gemm(a: [Float], m: Int, k: Int, w: [Float], n: Int, bias: [Float]?, gelu: Bool = false) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for kk in 0..<k { s += Double(a[i * k + kk]) * Double(w[j * k + kk]) }
                if let bias { s += Double(bias[j]) }
                c[i * n + j] = Float(gelu ? Self.gelu(s) : s)
            }
        }
        return c
    }

    /// Exact GELU in Double: 0.5·x·(1 + erf(x/√2)).
    public static func gelu(_ x: Double) -> Double { 0.5 * x * (1 + erf(x / 2.0.squareRoot())) }

    /// LayerNorm of each row of x ([rows, dim]) after adding delta.
    public static func addLayerNorm(x: [Float], delta: [Float]?, rows: Int, dim: Int, gamma: [Float], beta: [Float], eps: Float) -> [Float] {
        var out = x
        for r in 0..<rows {
            var v = (0..<dim).map { Double(x[r * dim + $0]) + Double(delta?[r * dim + $0] ?? 0) }
            let mean = v.reduce(0, +) / Double(dim)
            let varc = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(dim)
            let inv = 1 / (varc + Double(eps)).squareRoot()
            for i in 0..<dim {
                v[i] = (v[i] - mean) * inv * Double(gamma[i]) + Double(beta[i])
                out[r * dim + i] = Float(v[i])
            }
        }
        return out
    }

    /// Softmax of each row of x ([rows, cols]).
    public static func softmax(_ x: [Float], rows: Int, cols: Int) -> [Float] {
        var out = x
        for r in 0..<rows {
            let row = (0..<cols).map { Double(x[r * cols + $0]) }
            let mx = row.max() ?? 0
            let e = row.map { exp($0 - mx) }
            let s = e.reduce(0, +)
            for i in 0..<cols { out[r * cols + i] = Float(e[i] / s) }
        }
        return out
    }

    /// Attention over packed sequences; qkv is [tokens, 3·heads·headDim], result [tokens, heads·headDim].
    public static func attention(qkv: [Float], tokens: Int, sequenceStarts: [Int], keyKeep: [Bool],
                                 heads: Int, headDim: Int, scale: Float) -> [Float] {
        let hidden = heads * headDim
        var out = [Float](repeating: 0, count: tokens * hidden)
        for s in 0..<(sequenceStarts.count - 1) {
            let range = sequenceStarts[s]..<sequenceStarts[s + 1]
            for h in 0..<heads {
                for i in range {
                    var scores: [(Int, Double)] = []
                    for j in range where keyKeep[j] {
                        var dot = 0.0
                        for d in 0..<headDim {
                            dot += Double(qkv[i * 3 * hidden + h * headDim + d]) * Double(qkv[j * 3 * hidden + hidden + h * headDim + d])
                        }
                        scores.append((j, dot * Double(scale)))
                    }
                    guard let mx = scores.map(\.1).max() else { continue }
                    let e = scores.map { ($0.0, exp($0.1 - mx)) }
                    let sum = e.reduce(0) { $0 + $1.1 }
                    for d in 0..<headDim {
                        var acc = 0.0
                        for (j, p) in e { acc += p / sum * Double(qkv[j * 3 * hidden + 2 * hidden + h * headDim + d]) }
                        out[i * hidden + h * headDim + d] = Float(acc)
                    }
                }
            }
        }
        return out
    }
}
