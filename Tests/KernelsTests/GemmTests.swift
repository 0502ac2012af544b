import Testing
import Kernels

/// Allowed |fast − reference| for a GEMM output, relative to Σ|a·w| (f32 accumulation order differs from Double).
let gemmRelativeTolerance: Float = 2e-6

private func checkGemm(m: Int, n: Int, k: Int, bias: Bool, gelu: Bool, path: KernelPath, pool: WorkerPool?) {
    var rng = TestRandom(seed: UInt64(m * 1_000_003 + n * 1009 + k))
    let a = rng.floats(m * k)
    let w = rng.floats(n * k)
    let b = bias ? rng.floats(n) : nil
    let expected = ReferenceKernels.gemm(a: a, m: m, k: k, w: w, n: n, bias: b, gelu: gelu)
    let packed = PackedMatrix(weights: w, rows: n, cols: k, bias: b)
    // Output placed inside a wider buffer (stride n + 3) to check strides and that nothing outside is written.
    let cBuf = FloatBuffer([Float](repeating: 7, count: m * (n + 3)))
    let c = cBuf.matrix(rows: m, cols: n, stride: n + 3)
    Gemm.run(FloatBuffer(a).matrix(rows: m, cols: k), packed, into: c, epilogue: gelu ? .gelu : .none, pool: pool, path: path)
    var worst: Float = 0
    for i in 0..<m {
        for j in 0..<n {
            var mag: Float = abs(b?[j] ?? 0)
            for kk in 0..<k { mag += abs(a[i * k + kk] * w[j * k + kk]) }
            worst = max(worst, abs(c[i, j] - expected[i * n + j]) / (1 + mag))
        }
        for j in n..<(n + 3) { #expect(cBuf[i * (n + 3) + j] == 7, "GEMM wrote outside C at row \(i) col \(j)") }
    }
    #expect(worst <= gemmRelativeTolerance, "path \(path) m=\(m) n=\(n) k=\(k): relative error \(worst)")
}

@Test(arguments: KernelPath.supported)
func gemmMatchesReferenceOnOddSizes(path: KernelPath) {
    for (m, n, k) in [(1, 1, 1), (1, 16, 8), (5, 17, 7), (7, 35, 31), (13, 33, 64), (6, 32, 384), (25, 48, 100), (100, 19, 37)] {
        checkGemm(m: m, n: n, k: k, bias: true, gelu: false, path: path, pool: nil)
        checkGemm(m: m, n: n, k: k, bias: false, gelu: false, path: path, pool: nil)
    }
}

@Test(arguments: KernelPath.supported)
func gemmWithGeluEpilogueMatchesReference(path: KernelPath) {
    for (m, n, k) in [(3, 5, 9), (14, 40, 33), (97, 17, 16)] {
        checkGemm(m: m, n: n, k: k, bias: true, gelu: true, path: path, pool: nil)
    }
}

@Test func gemmOnThreadPoolEqualsSingleThreadBitForBit() {
    let pool = WorkerPool(threads: 3)
    #expect(pool.threads == 3)
    var rng = TestRandom(seed: 42)
    let (m, n, k) = (211, 70, 45) // several row blocks and panel groups
    let a = FloatBuffer(rng.floats(m * k))
    let w = PackedMatrix(weights: rng.floats(n * k), rows: n, cols: k, bias: rng.floats(n))
    let one = FloatBuffer(count: m * n), many = FloatBuffer(count: m * n)
    Gemm.run(a.matrix(rows: m, cols: k), w, into: one.matrix(rows: m, cols: n))
    for _ in 0..<20 { Gemm.run(a.matrix(rows: m, cols: k), w, into: many.matrix(rows: m, cols: n), pool: pool) }
    #expect(one.toArray() == many.toArray())
    checkGemm(m: 150, n: 50, k: 21, bias: true, gelu: true, path: .auto, pool: pool)
}
