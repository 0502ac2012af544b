import Foundation
import Testing
import Kernels

/// GELU is built on an erf approximation with |error| ≤ 1.5e-7; allowed absolute difference to exact GELU.
let geluTolerance: Float = 1e-6
/// LayerNorm / softmax outputs vs Double references.
let rowOpsTolerance: Float = 2e-5

@Test(arguments: KernelPath.supported)
func geluMatchesExactErfForm(path: KernelPath) {
    var xs: [Float] = stride(from: -10, through: 10, by: 0.0137).map { Float($0) }
    xs += [0, -0.0, 1e-8, -1e-8, 30, -30, 87, -87]
    let buf = FloatBuffer(xs)
    RowOps.gelu(buf.matrix(rows: 1, cols: xs.count), path: path) // count is not a multiple of 8: tail covered
    var worst: Float = 0
    for (i, x) in xs.enumerated() {
        worst = max(worst, abs(buf[i] - Float(ReferenceKernels.gelu(Double(x)))))
    }
    #expect(worst <= geluTolerance, "path \(path): max |gelu error| \(worst)")
}

@Test(arguments: KernelPath.supported)
func addLayerNormMatchesReference(path: KernelPath) {
    var rng = TestRandom(seed: 7)
    for (rows, dim) in [(1, 1), (3, 7), (5, 384), (2, 45)] {
        let x = rng.floats(rows * dim, scale: 3).map { $0 + 5 } // offset mean checks the centring
        let d = rng.floats(rows * dim)
        let gamma = rng.floats(dim), beta = rng.floats(dim)
        let expected = ReferenceKernels.addLayerNorm(x: x, delta: d, rows: rows, dim: dim, gamma: gamma, beta: beta, eps: 1e-12)
        let xb = FloatBuffer(x), db = FloatBuffer(d)
        RowOps.addLayerNorm(xb.matrix(rows: rows, cols: dim), delta: db.matrix(rows: rows, cols: dim),
                            gamma: FloatBuffer(gamma), beta: FloatBuffer(beta), eps: 1e-12, path: path)
        let worst = zip(xb.toArray(), expected).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= rowOpsTolerance, "path \(path) rows=\(rows) dim=\(dim): \(worst)")
        if dim > 1 { #expect(abs(xb[0] - expected[0]) <= rowOpsTolerance) }
    }
}

@Test func layerNormOfConstantRowIsBeta() {
    // Hand-computed: a constant row has zero variance, so the output is exactly beta.
    let x = FloatBuffer([Float](repeating: 2.5, count: 10))
    let beta = FloatBuffer((0..<10).map { Float($0) })
    RowOps.addLayerNorm(x.matrix(rows: 1, cols: 10), delta: nil, gamma: FloatBuffer([Float](repeating: 3, count: 10)),
                        beta: beta, eps: 1e-12)
    #expect(x.toArray() == beta.toArray())
}

@Test(arguments: KernelPath.supported)
func softmaxMatchesReference(path: KernelPath) {
    var rng = TestRandom(seed: 11)
    for (rows, cols) in [(1, 1), (4, 35), (2, 8), (3, 100)] {
        let x = rng.floats(rows * cols, scale: 20)
        let expected = ReferenceKernels.softmax(x, rows: rows, cols: cols)
        let b = FloatBuffer(x)
        RowOps.softmax(b.matrix(rows: rows, cols: cols), path: path)
        let worst = zip(b.toArray(), expected).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-6, "path \(path) \(rows)x\(cols): \(worst)")
    }
    // Hand-computed: softmax([0, ln 3]) = [0.25, 0.75].
    let two = FloatBuffer([0, Float(log(3.0))])
    RowOps.softmax(two.matrix(rows: 1, cols: 2), path: path)
    #expect(abs(two[0] - 0.25) < 1e-6 && abs(two[1] - 0.75) < 1e-6)
}
