import Foundation
import Kernels

/// Where a forward call writes logits.
enum LogitTarget {
    case none
    /// The last token's logits.
    case last(UnsafeMutablePointer<Float>)
    /// Every token's logits, rows of vocabSize.
    case all(UnsafeMutablePointer<Float>)
}

/// One input token of a forward pass and where its keys and values go: a cache and a position in it.
struct DecoderTokenSlot {
    let id: Int32
    let cache: KVCache
    let position: Int
}

extension DecoderSession {
    /// The session's next tokens, after those already in its cache.
    func forward(_ ids: [Int32], logits target: LogitTarget) throws {
        let slots = ids.enumerated().map { DecoderTokenSlot(id: $1, cache: cache, position: position + $0) }
        try DecoderPass(model: model, scratch: scratch, sequenceTokens: ids.count, dump: debugDumper())
            .run(slots, logits: target)
        debugDumpCall += 1
    }

    /// Debugging parity: with `FRANCA_DEBUG_DUMP=<dir>` every forward call writes its intermediate tensors as raw
    /// little-endian f32 files `<dir>/<call>_<name>.bin` (names as llama.cpp's graph callback reports them).
    func debugDumper() -> ((String, UnsafePointer<Float>, Int) -> Void)? {
        guard let dir = DecoderSession.debugDumpDir else { return nil }
        let call = debugDumpCall
        return { name, p, count in
            let data = Data(bytes: p, count: 4 * count)
            try? data.write(to: URL(fileURLWithPath: "\(dir)/\(call)_\(name).bin"))
        }
    }
}

/// The shared forward pass: every architecture is this pass with its config switches. Its tokens are the next
/// tokens of one sequence, or one next token of each of several sequences (each with its own cache); every
/// per-token operation reads only that token's rows, so a sequence's results do not depend on the others.
struct DecoderPass {
    let model: DecoderModel
    let scratch: DecoderScratch
    /// Tokens each sequence contributes to this pass: llama.cpp picks matmul kernels and the attention's summation
    /// order by the size of the batch, so a sequence's batch size is what picks them here.
    let sequenceTokens: Int
    let dump: ((String, UnsafePointer<Float>, Int) -> Void)?

    private func debugDump(_ name: String, _ p: UnsafePointer<Float>, _ count: Int) { dump?(name, p, count) }

    func run(_ slots: [DecoderTokenSlot], logits target: LogitTarget) throws {
        let c = model.config, w = model.weights, s = scratch, pool = model.pool
        let n = slots.count, hidden = c.hidden, hd = c.headDim
        let qDim = c.heads * hd, kvDim = c.kvHeads * hd, half = c.ropeDimensions / 2
        precondition(n <= s.tokens, "a forward pass of \(n) tokens in a scratch for \(s.tokens)")
        let shared = slots.allSatisfy { $0.cache === slots[0].cache }

        for (t, slot) in slots.enumerated() {
            let row = s.x + t * hidden
            w.tokenEmbedding.dequantizeRow(Int(slot.id), into: row)
            if c.embeddingScale != 1 { for i in 0..<hidden { row[i] *= c.embeddingScale } }
            s.positions[t] = Int64(slot.position)
        }

        for (l, layer) in w.layers.enumerated() {
            let shape = c.layers[l]
            // Attention block.
            for t in 0..<n {
                layer.attnNorm.withUnsafeBufferPointer {
                    DecoderMath.rmsNorm(s.x + t * hidden, s.xn + t * hidden, weight: $0.baseAddress!, n: hidden, eps: c.rmsEpsilon)
                }
            }
            debugDump("attn_norm-\(l)", s.xn, n * hidden)
            try matmuls((layer.q, s.q), (layer.k, s.k), (layer.v, s.v), input: s.xn, k: hidden, tokens: n)
            if let qn = layer.qNorm, let kn = layer.kNorm {
                for t in 0..<n {
                    qn.withUnsafeBufferPointer { wq in
                        for h in 0..<c.heads {
                            let p = s.q + t * qDim + h * hd
                            DecoderMath.rmsNorm(p, p, weight: wq.baseAddress!, n: hd, eps: c.rmsEpsilon)
                        }
                    }
                    kn.withUnsafeBufferPointer { wk in
                        for h in 0..<c.kvHeads {
                            let p = s.k + t * kvDim + h * hd
                            DecoderMath.rmsNorm(p, p, weight: wk.baseAddress!, n: hd, eps: c.rmsEpsilon)
                        }
                    }
                }
            }
            for t in 0..<n {
                let cosT = s.ropeCos + t * half, sinT = s.ropeSin + t * half
                DecoderMath.ropeAngles(position: Int(s.positions[t]), dims: c.ropeDimensions, base: shape.ropeBase,
                                       scale: shape.ropeScale, cos: cosT, sin: sinT)
                DecoderMath.rope(s.q + t * qDim, heads: c.heads, headDim: hd, dims: c.ropeDimensions,
                                 style: c.ropeStyle, cos: cosT, sin: sinT)
                DecoderMath.rope(s.k + t * kvDim, heads: c.kvHeads, headDim: hd, dims: c.ropeDimensions,
                                 style: c.ropeStyle, cos: cosT, sin: sinT)
                let slot = slots[t]
                let kDst = slot.cache.keys[l] + slot.position * kvDim, vDst = slot.cache.values[l] + slot.position * kvDim
                kDst.update(from: s.k + t * kvDim, count: kvDim)
                vDst.update(from: s.v + t * kvDim, count: kvDim)
                s.keyCaches[t] = UnsafePointer(slot.cache.keys[l])
                s.valueCaches[t] = UnsafePointer(slot.cache.values[l])
            }
            debugDump("Qcur-\(l)", s.q, n * qDim)
            debugDump("Kcur-\(l)", s.k, n * kvDim)
            let caches: DecoderAttention.Caches = shared
                ? .shared(keys: slots[0].cache.keys[l], values: slots[0].cache.values[l])
                : .perToken(keys: s.keyCaches, values: s.valueCaches)
            s.positions.withUnsafeBufferPointer { pos in
                DecoderAttention.run(q: s.q, ldq: qDim, caches: caches, ldkv: kvDim, out: s.attn, ldo: qDim,
                                     positions: pos.baseAddress!, tokens: n, heads: c.heads, kvHeads: c.kvHeads,
                                     headDim: hd, window: shape.window, scale: c.attentionScale,
                                     batchOrder: sequenceTokens >= 2, scratch: s.attentionScratch,
                                     maxPositions: s.maxPositions, pool: pool)
            }
            debugDump("kqv_out-\(l)", s.attn, n * qDim)
            try matmuls((layer.o, s.proj), input: s.attn, k: qDim, tokens: n)
            addResidual(norm: layer.postAttnNorm, tokens: n)
            debugDump("ffn_inp-\(l)", s.x, n * hidden)

            // Feed-forward block.
            for t in 0..<n {
                layer.ffnNorm.withUnsafeBufferPointer {
                    DecoderMath.rmsNorm(s.x + t * hidden, s.xn + t * hidden, weight: $0.baseAddress!, n: hidden, eps: c.rmsEpsilon)
                }
            }
            debugDump("ffn_norm-\(l)", s.xn, n * hidden)
            try matmuls((layer.gate, s.gate), (layer.up, s.up), input: s.xn, k: hidden, tokens: n)
            DecoderMath.gatedActivation(s.gate, s.up, n: n * c.feedForward, c.activation)
            debugDump("ffn_act-\(l)", s.gate, n * c.feedForward)
            try matmuls((layer.down, s.proj), input: s.gate, k: c.feedForward, tokens: n)
            debugDump("ffn_out-\(l)", s.proj, n * hidden)
            addResidual(norm: layer.postFFNNorm, tokens: n)
            debugDump("l_out-\(l)", s.x, n * hidden)
        }

        let rows: Range<Int>
        let out: UnsafeMutablePointer<Float>
        switch target {
        case .none: return
        case .last(let p): rows = (n - 1)..<n; out = p
        case .all(let p): rows = 0..<n; out = p
        }
        for t in rows {
            w.outputNorm.withUnsafeBufferPointer {
                DecoderMath.rmsNorm(s.x + t * hidden, s.xn + t * hidden, weight: $0.baseAddress!, n: hidden, eps: c.rmsEpsilon)
            }
        }
        // The kernel is picked by the sequence's whole batch, as llama.cpp does when it returns every position's logits.
        try matmul(w.output, input: s.xn + rows.lowerBound * hidden, k: hidden, tokens: rows.count,
                   output: out, ldc: c.vocabSize, batchTokens: sequenceTokens)
        if c.finalLogitSoftcap > 0 {
            let cap = c.finalLogitSoftcap
            for i in 0..<(rows.count * c.vocabSize) { out[i] = tanhf(out[i] / cap) * cap }
        }
    }

    /// x += norm(proj) (or x += proj without a post norm), for every token.
    private func addResidual(norm: [Float]?, tokens n: Int) {
        let s = scratch, hidden = model.config.hidden
        if let norm {
            norm.withUnsafeBufferPointer { w in
                for t in 0..<n {
                    let p = s.proj + t * hidden
                    DecoderMath.rmsNorm(p, p, weight: w.baseAddress!, n: hidden, eps: model.config.rmsEpsilon)
                }
            }
        }
        for i in 0..<(n * hidden) { s.x[i] += s.proj[i] }
    }

    /// One to three matrices reading the same input: the input is packed once per activation type. Fixed
    /// arguments rather than an array of jobs, so the decode path allocates nothing per call (MallocCounterTests).
    private func matmuls(_ a: (DecoderMatrix, UnsafeMutablePointer<Float>), _ b: (DecoderMatrix, UnsafeMutablePointer<Float>)? = nil,
                         _ c: (DecoderMatrix, UnsafeMutablePointer<Float>)? = nil, input: UnsafePointer<Float>, k: Int,
                         tokens: Int) throws {
        var packed: (GGMLType?, GGMLType?) = (nil, nil)
        func one(_ m: DecoderMatrix, _ out: UnsafeMutablePointer<Float>) throws {
            let act = m.type.traits.vecDotType
            let buffer = scratch.packedBuffer(for: act)
            if packed.0 != act && packed.1 != act {
                try QuantMatmul.packActivations(weightType: m.type, a: input, lda: k, tokens: tokens, k: k, into: buffer)
                if packed.0 == nil { packed.0 = act } else { packed.1 = act }
            }
            try QuantMatmul.run(weights: m.base, type: m.type, rows: m.rows, k: k, packed: buffer, tokens: tokens,
                                c: out, ldc: m.rows, pool: model.pool, batchTokens: sequenceTokens)
        }
        try one(a.0, a.1)
        if let b { try one(b.0, b.1) }
        if let c { try one(c.0, c.1) }
    }

    private func matmul(_ m: DecoderMatrix, input: UnsafePointer<Float>, k: Int, tokens: Int,
                        output: UnsafeMutablePointer<Float>, ldc: Int, batchTokens: Int) throws {
        let buffer = scratch.packedBuffer(for: m.type.traits.vecDotType)
        try QuantMatmul.packActivations(weightType: m.type, a: input, lda: k, tokens: tokens, k: k, into: buffer)
        try QuantMatmul.run(weights: m.base, type: m.type, rows: m.rows, k: k, packed: buffer, tokens: tokens,
                            c: output, ldc: ldc, pool: model.pool, batchTokens: batchTokens)
    }
}
