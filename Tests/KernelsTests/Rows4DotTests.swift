import Testing
import Kernels

/// The 4-row kernels and their pool driver against the scalar reference dot of each row (same tolerance as
/// `FastDotTests`: 1e-5 of Σ|wᵢ·aᵢ|).
@Suite struct Rows4DotTests {
    static let types: [GGMLType] = [.q8_0, .q4_1, .q5_0, .q4_K, .q6_K]

    @Test(arguments: types)
    func fourRowsMatchScalarRows(type: GGMLType) throws {
        let rows4 = try #require(type.fastRows4, "no 4-row kernel for \(type) on this CPU")
        let scalar = try #require(type.traits.dot)
        var rng = TestRandom(seed: 0x4404 &+ UInt64(type.rawValue))
        for blocks in [1, 2, 7, 33] {
            let n = blocks * type.blockSize, rowBytes = blocks * type.bytesPerBlock
            let rows = (0..<4).map { _ in FastDotTests.weights(type, blocks: blocks, rng: &rng) }
            let w = rows.flatMap { $0 }
            let a = FastDotTests.activations(type.traits.vecDotType, elements: n, rng: &rng)
            var out = [Float](repeating: .nan, count: 4)
            w.withUnsafeBytes { wp in a.withUnsafeBytes { ap in
                out.withUnsafeMutableBufferPointer { rows4(wp.baseAddress!, rowBytes, ap.baseAddress!, n, $0.baseAddress!) }
            } }
            for r in 0..<4 {
                let s = FastDotTests.run(scalar, rows[r], a, n)
                let m = FastDotTests.magnitude(type, rows[r], a, n)
                #expect(Double(abs(out[r] - s)) <= 1e-5 * m + 1e-37, "\(type) n=\(n) row \(r): \(out[r]) vs \(s)")
            }
        }
    }

    /// The pool driver: 4-row groups plus a remainder of single rows, on 1 and 2 threads.
    @Test(arguments: types)
    func gemvDriverCoversEveryRow(type: GGMLType) throws {
        let scalar = try #require(type.traits.dot)
        try #require(type.fastRows4 != nil)
        var rng = TestRandom(seed: 0x77 &+ UInt64(type.rawValue))
        let blocks = 3, rows = 4 * 40 + 3
        let n = blocks * type.blockSize, rowBytes = blocks * type.bytesPerBlock
        let w = FastDotTests.weights(type, blocks: blocks * rows, rng: &rng)
        let a = FastDotTests.activations(type.traits.vecDotType, elements: n, rng: &rng)
        for threads in [1, 2] {
            let pool = WorkerPool(threads: threads)
            var y = [Float](repeating: .nan, count: rows)
            let ok = w.withUnsafeBytes { wp in a.withUnsafeBytes { ap in y.withUnsafeMutableBufferPointer {
                QuantKernels.gemvRows4(weights: wp.baseAddress!, type: type, rows: rows, k: n, packed: ap.baseAddress!,
                                       y: $0.baseAddress!, pool: pool)
            } } }
            #expect(ok)
            for r in 0..<rows {
                let row = Array(w[(r * rowBytes)..<((r + 1) * rowBytes)])
                let s = FastDotTests.run(scalar, row, a, n)
                #expect(Double(abs(y[r] - s)) <= 1e-5 * FastDotTests.magnitude(type, row, a, n) + 1e-37,
                        "\(type) row \(r) threads \(threads)")
            }
        }
    }

    /// The types `QuantMatmul.run` runs through the 4-row kernel for one token: every row's result has exactly the
    /// single-row fast kernel's bits (what keeps decode bit-identical to llama.cpp, see RealDecoderParityTests).
    @Test(arguments: [GGMLType.q8_0, .q4_1, .q5_0])
    func decodeRows4IsBitIdenticalToTheSingleRowKernel(type: GGMLType) throws {
        let rows4 = try #require(type.decodeRows4)
        let single = try #require(type.fastDot)
        var rng = TestRandom(seed: 0xB17 &+ UInt64(type.rawValue))
        for blocks in [1, 2, 18, 48] {
            let n = blocks * type.blockSize, rowBytes = blocks * type.bytesPerBlock
            for _ in 0..<20 {
                let rows = (0..<4).map { _ in FastDotTests.weights(type, blocks: blocks, rng: &rng) }
                let w = rows.flatMap { $0 }
                let a = FastDotTests.activations(type.traits.vecDotType, elements: n, rng: &rng)
                var out = [Float](repeating: .nan, count: 4)
                w.withUnsafeBytes { wp in a.withUnsafeBytes { ap in
                    out.withUnsafeMutableBufferPointer { rows4(wp.baseAddress!, rowBytes, ap.baseAddress!, n, $0.baseAddress!) }
                } }
                for r in 0..<4 {
                    let s = FastDotTests.run(single, rows[r], a, n)
                    #expect(out[r].bitPattern == s.bitPattern, "\(type) n=\(n) row \(r): \(out[r]) vs \(s)")
                }
            }
        }
    }

    /// Types without a bit-identical 4-row kernel keep the single-row path.
    @Test func otherTypesHaveNoDecodeRows4() {
        #expect(GGMLType.q4_K.decodeRows4 == nil && GGMLType.q6_K.decodeRows4 == nil && GGMLType.q4_0.decodeRows4 == nil)
    }

    /// The prefill kernel (one row × 4 tokens) gives each token the single-row fast kernel's exact bits.
    @Test(arguments: [GGMLType.q4_1, .q8_0, .q5_0, .q1_0])
    func prefillTokens4IsBitIdenticalToTheSingleRowKernel(type: GGMLType) throws {
        let tokens4 = try #require(type.prefillTokens4)
        let single = try #require(type.fastDot)
        let act = type.traits.vecDotType
        var rng = TestRandom(seed: 0x7044 &+ UInt64(type.rawValue))
        for blocks in [1, 2, 18, 48] {
            let n = blocks * type.blockSize
            let aRow = try #require(act.byteCount(elements: n))
            for _ in 0..<20 {
                let w = FastDotTests.weights(type, blocks: blocks, rng: &rng)
                let tokens = (0..<4).map { _ in FastDotTests.activations(act, elements: n, rng: &rng) }
                let a = tokens.flatMap { $0 }
                var out = [Float](repeating: .nan, count: 4)
                w.withUnsafeBytes { wp in a.withUnsafeBytes { ap in
                    out.withUnsafeMutableBufferPointer { tokens4(wp.baseAddress!, ap.baseAddress!, aRow, n, $0.baseAddress!) }
                } }
                for t in 0..<4 {
                    let s = FastDotTests.run(single, w, tokens[t], n)
                    #expect(out[t].bitPattern == s.bitPattern, "\(type) n=\(n) token \(t): \(out[t]) vs \(s)")
                }
            }
        }
    }
}
