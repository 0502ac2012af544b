import CKernels

/// `C = A · Wᵀ` with W a GGML-typed matrix (one row per output) and A float activations, the way llama.cpp does
/// it: A is packed once into the weight type's activation type (Q8_0, Q8_1, Q8_K, F16 or F32), then every
/// output is one `vec_dot` of a weight row with a packed activation row.
public enum QuantMatmul {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unsupportedWeightType(GGMLType)
        case shape(String)

        public var description: String {
            switch self {
            case .unsupportedWeightType(let t): return "no matmul for weights of type \(t.name)"
            case .shape(let s): return "matmul shape: \(s)"
            }
        }
    }

    /// Bytes one packed activation row of `k` elements takes for weights of `type`.
    public static func activationRowBytes(weightType type: GGMLType, k: Int) -> Int? {
        type.traits.vecDotType.byteCount(elements: k)
    }

    /// Packs `tokens` rows of `k` floats (row stride `lda`) into `packed` for weights of `type`.
    public static func packActivations(weightType type: GGMLType, a: UnsafePointer<Float>, lda: Int, tokens: Int,
                                       k: Int, into packed: UnsafeMutableRawPointer) throws {
        let act = type.traits.vecDotType
        guard let quantize = act.bestQuantizeRow, let rowBytes = act.byteCount(elements: k) else {
            throw Failure.unsupportedWeightType(type)
        }
        for t in 0..<tokens { quantize(a + t * lda, packed + t * rowBytes, k) }
    }

    /// c[t·ldc + r] = W[r] · A[t] for every output row r < rows and token t < tokens; `packed` from `packActivations`.
    /// `batchTokens` (default `tokens`): the size of the batch these rows belong to, which picks the kernel the way
    /// llama.cpp does (see `GGMLType.bestDot(batchTokens:)`).
    public static func run(weights: UnsafeRawPointer, type: GGMLType, rows: Int, k: Int,
                           packed: UnsafeRawPointer, tokens: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                           pool: WorkerPool?, batchTokens: Int? = nil) throws {
        guard let dot = type.bestDot(batchTokens: batchTokens ?? tokens) else { throw Failure.unsupportedWeightType(type) }
        guard k % type.blockSize == 0, let wRow = type.byteCount(elements: k),
              let aRow = type.traits.vecDotType.byteCount(elements: k) else {
            throw Failure.shape("row length \(k) is not a multiple of the \(type.name) block size \(type.blockSize)")
        }
        // For these types in fast mode `dot` is the fast single-row kernel, whose bits the 4-row and 4-token
        // kernels keep (Rows4DotTests).
        if tokens == 1, let rows4 = type.decodeRows4 {
            franca_qgemv_rows4_run(pool?.handle, rows4, dot, weights, wRow, rows, packed, k, c)
            return
        }
        var args = franca_qmatmul_args(
            w: weights.assumingMemoryBound(to: UInt8.self), w_row_bytes: Int64(wRow), rows: Int64(rows),
            a: packed.assumingMemoryBound(to: UInt8.self), a_row_bytes: Int64(aRow), tokens: Int64(tokens),
            k: Int64(k), c: c, ldc: Int64(ldc), dot: dot,
            dot_tokens4: tokens >= 4 ? type.prefillTokens4 : nil)
        franca_qmatmul(pool?.handle, &args)
    }
}

/// Causal grouped-query attention of new tokens over a float KV cache (see `franca_decoder_attention`).
public enum DecoderAttention {
    /// Where the query tokens' keys and values are: one cache for all of them (one sequence), or one cache per
    /// token (`tokens` pointers each, for a step over several sequences).
    public enum Caches {
        case shared(keys: UnsafePointer<Float>, values: UnsafePointer<Float>)
        case perToken(keys: UnsafePointer<UnsafePointer<Float>?>, values: UnsafePointer<UnsafePointer<Float>?>)
    }

    /// `batchOrder`: sum the values in llama.cpp's order for a batch of ≥ 2 tokens of one sequence (else its
    /// single-token order).
    public static func run(q: UnsafePointer<Float>, ldq: Int, caches: Caches, ldkv: Int, out: UnsafeMutablePointer<Float>,
                           ldo: Int, positions: UnsafePointer<Int64>, tokens: Int, heads: Int, kvHeads: Int,
                           headDim: Int, window: Int, scale: Float, batchOrder: Bool,
                           scratch: UnsafeMutablePointer<Float>, maxPositions: Int, pool: WorkerPool?) {
        var args = franca_decoder_attention_args(
            q: q, ldq: Int64(ldq), k_cache: nil, v_cache: nil, ldkv: Int64(ldkv), out: out, ldo: Int64(ldo),
            positions: positions, tokens: Int64(tokens), heads: Int64(heads), kv_heads: Int64(kvHeads),
            head_dim: Int64(headDim), window: Int64(window), scale: scale, scratch: scratch,
            max_positions: Int64(maxPositions), k_caches: nil, v_caches: nil, batch_order: batchOrder ? 1 : 0)
        switch caches {
        case let .shared(keys, values): args.k_cache = keys; args.v_cache = values
        case let .perToken(keys, values): args.k_caches = keys; args.v_caches = values
        }
        franca_decoder_attention(pool?.handle, &args)
    }

    /// Floats of scratch the attention needs for a pool.
    public static func scratchCount(maxPositions: Int, pool: WorkerPool?) -> Int {
        max(1, pool?.threads ?? 1) * maxPositions
    }
}

/// Activations of the decoder's feed-forward block.
public enum DecoderActivation {
    /// gate[i] = silu(gate[i]) · up[i], with llama.cpp's vector exp when the CPU has AVX2 (`franca_swiglu`).
    public static func swiglu(gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
        franca_swiglu(gate, up, Int64(count))
    }
}
