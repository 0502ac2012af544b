import Testing
import Kernels

private func randomNBits(rows: Int, cols: Int, blockSize: Int, zeroPoints: Bool, seed: UInt64) -> NBitsMatrix? {
    var rng = TestRandom(seed: seed)
    let blocks = (cols + blockSize - 1) / blockSize
    let codes = (0..<(rows * blocks * blockSize / 2)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    let scales = rng.floats(rows * blocks, scale: 0.05)
    let zps = zeroPoints ? (0..<(rows * blocks)).map { _ in Float(rng.next() % 16) } : nil
    return NBitsMatrix(rows: rows, cols: cols, blockSize: blockSize, codes: codes, scales: scales, zeroPoints: zps)
}

@Test func nbitsDequantizeHandValues() throws {
    // One row, K = 4, block 4: bytes 0x21, 0xF0 → codes [1, 2, 0, 15]; scale 0.5, implicit zero point 8.
    let m = try #require(NBitsMatrix(rows: 1, cols: 4, blockSize: 4, codes: [0x21, 0xF0], scales: [0.5], zeroPoints: nil))
    #expect(m.dequantized() == [-3.5, -3, -4, 3.5])
    let z = try #require(NBitsMatrix(rows: 1, cols: 4, blockSize: 4, codes: [0x21, 0xF0], scales: [2], zeroPoints: [1]))
    #expect(z.dequantized() == [0, 2, -2, 28])
    #expect(NBitsMatrix(rows: 1, cols: 4, blockSize: 4, codes: [0x21], scales: [2], zeroPoints: nil) == nil)
}

/// The 4-bit GEMM dequantizes each panel exactly as `dequantized()` does, so it must equal the f32 GEMM bit for bit.
@Test(arguments: KernelPath.supported)
func nbitsGemmEqualsF32GemmOnDequantizedWeights(path: KernelPath) throws {
    for (m, n, k, bs, zp) in [(1, 16, 32, 32, false), (5, 35, 384, 32, false), (13, 17, 70, 32, true),
                              (7, 33, 48, 16, true), (30, 40, 1536, 32, false), (100, 3, 8, 8, false)] {
        let q = try #require(randomNBits(rows: n, cols: k, blockSize: bs, zeroPoints: zp, seed: UInt64(m * 7 + n * 131 + k)))
        var rng = TestRandom(seed: UInt64(k))
        let a = FloatBuffer(rng.floats(m * k))
        let bias = rng.floats(n)
        let viaQ4 = FloatBuffer(count: m * n), viaF32 = FloatBuffer(count: m * n)
        Gemm.run(a.matrix(rows: m, cols: k), PackedMatrix(q4: q, bias: bias), into: viaQ4.matrix(rows: m, cols: n), path: path)
        Gemm.run(a.matrix(rows: m, cols: k), PackedMatrix(weights: q.dequantized(), rows: n, cols: k, bias: bias),
                 into: viaF32.matrix(rows: m, cols: n), path: path)
        #expect(viaQ4.toArray() == viaF32.toArray(), "path \(path) m=\(m) n=\(n) k=\(k) bs=\(bs)")
    }
}

@Test func nbitsGemmOnPoolMatchesReference() throws {
    let (m, n, k) = (150, 70, 96)
    let q = try #require(randomNBits(rows: n, cols: k, blockSize: 32, zeroPoints: false, seed: 5))
    var rng = TestRandom(seed: 6)
    let a = rng.floats(m * k)
    let expected = ReferenceKernels.gemm(a: a, m: m, k: k, w: q.dequantized(), n: n, bias: nil)
    let c = FloatBuffer(count: m * n)
    Gemm.run(FloatBuffer(a).matrix(rows: m, cols: k), PackedMatrix(q4: q), into: c.matrix(rows: m, cols: n), pool: WorkerPool(threads: 2))
    let worst = zip(c.toArray(), expected).map { abs($0 - $1) }.max() ?? 0
    #expect(worst <= 1e-4, "max error \(worst)")
}

@Test func nbitsStackingKeepsRowOrder() throws {
    let a = try #require(randomNBits(rows: 3, cols: 32, blockSize: 32, zeroPoints: false, seed: 1))
    let b = try #require(randomNBits(rows: 2, cols: 32, blockSize: 32, zeroPoints: true, seed: 2))
    let s = try #require(NBitsMatrix.stacking([a, b]))
    #expect(s.rows == 5 && s.dequantized() == a.dequantized() + b.dequantized())
}
