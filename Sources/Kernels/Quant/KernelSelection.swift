import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which quantized kernels the decoder's matmuls call: the SIMD ones in CKernels (`franca_quant.h`) when the CPU
/// has AVX2 + FMA + F16C, else the scalar references of the traits table.
///
/// `FRANCA_KERNELS=scalar` in the environment forces the references (tests, benchmarks, bisecting a wrong answer);
/// `mode` can also be flipped in-process (the kernel benchmark does) while no matmul runs.
public enum QuantKernels {
    public enum Mode: String, Sendable {
        /// The fastest kernel this CPU supports for each type.
        case fast
        /// Always the scalar reference.
        case scalar
    }

    nonisolated(unsafe) public static var mode: Mode = {
        if let v = getenv("FRANCA_KERNELS"), String(cString: v).lowercased() == "scalar" { return .scalar }
        return .fast
    }()

    /// True when the running CPU can execute the AVX2 kernels.
    public static let avx2Available: Bool = franca_quant_avx2_supported() != 0

    /// Reads `bytes` bytes of `buffer` (32-byte aligned for the vector path) split over `pool`; the result is a
    /// checksum to keep the reads. Used to measure the memory-bandwidth ceiling of a matrix-vector product.
    @discardableResult
    public static func streamRead(_ buffer: UnsafeRawPointer, bytes: Int, pool: WorkerPool?) -> UInt64 {
        franca_stream_read(pool?.handle, buffer, Int64(bytes))
    }
}

extension GGMLType {
    /// The SIMD dot product for weights of this type, when one exists and the CPU can run it (whatever `mode` is).
    public var fastDot: VecDotFn? {
        guard QuantKernels.avx2Available else { return nil }
        switch self {
        case .f32: return franca_dot_f32_avx2
        case .f16: return franca_dot_f16_avx2
        case .bf16: return franca_dot_bf16_avx2
        case .q8_0: return franca_dot_q8_0_avx2
        case .q4_0: return franca_dot_q4_0_avx2
        case .q4_1: return franca_dot_q4_1_avx2
        case .q5_0: return franca_dot_q5_0_avx2
        case .q5_1: return franca_dot_q5_1_avx2
        case .q1_0: return franca_dot_q1_0_avx2
        case .q2_0: return franca_dot_q2_0_avx2
        case .pq2_0: return franca_dot_pq2_0_avx2
        case .q4_K: return franca_dot_q4_K_avx2
        case .q5_K: return franca_dot_q5_K_avx2
        case .q6_K: return franca_dot_q6_K_avx2
        case .tq1_0: return franca_dot_tq1_0_avx2
        case .tq2_0: return franca_dot_tq2_0_avx2
        case .q8_1, .q8_K, .q2_K, .q3_K: return nil
        }
    }

    /// The SIMD activation quantizer for this type, byte-identical to the reference (nil: none, or no AVX2).
    public var fastQuantizeRow: QuantizeRowFn? {
        guard QuantKernels.avx2Available else { return nil }
        switch self {
        case .q8_0: return franca_quantize_q8_0_avx2
        case .q8_1: return franca_quantize_q8_1_avx2
        case .q8_K: return franca_quantize_q8_K_avx2
        default: return nil
        }
    }

    /// Best available dot product of a row of this type with activations in `vecDotType`.
    public var bestDot: VecDotFn? {
        if QuantKernels.mode == .fast, let f = fastDot { return f }
        return traits.dot
    }

    /// The dot product for a matmul over a batch of `batchTokens` activation rows. llama.cpp switches K-quant
    /// weights to another kernel (another float summation order) for batches of 8 tokens or more; the fast path
    /// follows it so prompts give llama.cpp's numbers bit for bit.
    public func bestDot(batchTokens: Int) -> VecDotFn? {
        if batchTokens >= 8, QuantKernels.mode == .fast, QuantKernels.avx2Available {
            switch self {
            case .q4_K: return franca_dot_q4_K_batch_avx2
            case .q5_K: return franca_dot_q5_K_batch_avx2
            case .q6_K: return franca_dot_q6_K_batch_avx2
            default: break
            }
        }
        return bestDot
    }

    /// Best available packing of activations into this (activation) type.
    public var bestQuantizeRow: QuantizeRowFn? {
        if QuantKernels.mode == .fast, let f = fastQuantizeRow { return f }
        return traits.quantizeRow
    }
}

/// Four weight rows at once against one activation row (see `franca_qgemv_rows4_fn`): out[r] = dot(row r, a).
public typealias Rows4DotFn = @convention(c) (_ weights: UnsafeRawPointer, _ rowBytes: Int, _ activations: UnsafeRawPointer,
                                              _ count: Int, _ out: UnsafeMutablePointer<Float>) -> Void

extension GGMLType {
    /// The 4-row SIMD kernel for this weight type (Q8_0, Q4_1, Q5_0, Q4_K, Q6_K), when the CPU can run it.
    public var fastRows4: Rows4DotFn? {
        guard QuantKernels.avx2Available else { return nil }
        switch self {
        case .q8_0: return franca_qgemv_rows4_q8_0_avx2
        case .q4_1: return franca_qgemv_rows4_q4_1_avx2
        case .q5_0: return franca_qgemv_rows4_q5_0_avx2
        case .q4_K: return franca_qgemv_rows4_q4_K_avx2
        case .q6_K: return franca_qgemv_rows4_q6_K_avx2
        default: return nil
        }
    }
}

extension GGMLType {
    /// The 4-row kernel `QuantMatmul.run` uses for a one-token product (the decode step): only for types whose
    /// 4-row kernel gives, row for row, the single-row kernel's bits (Rows4DotTests), so logits never depend on
    /// it. Each activation block is loaded once for 4 weight rows: Q4_1 at 576 columns went from 2.9 to 4.0 GB/s
    /// of weights on one core (`franca bench kernels`). Q4_K/Q6_K's 4-row kernels predate the single-row kernels'
    /// alignment with llama.cpp's summation order and are not used.
    public var decodeRows4: Rows4DotFn? {
        guard QuantKernels.mode == .fast else { return nil }
        switch self {
        case .q8_0, .q4_1, .q5_0: return fastRows4
        default: return nil
        }
    }

    /// The 1-row × 4-token kernel `QuantMatmul.run` uses for products of several tokens (prefill): the weight
    /// block is unpacked once for 4 tokens and the 4 accumulator chains overlap, each token's result with exactly
    /// the single-row fast kernel's bits (Rows4DotTests). Q4_1 and Q8_0, the SmolLM2 types, Q5_0 (most of Gemma 3
    /// 270M Q4_K_M's layer weights) and Q1_0 (Bonsai).
    public var prefillTokens4: Tokens4DotFn? {
        guard QuantKernels.mode == .fast, QuantKernels.avx2Available else { return nil }
        switch self {
        case .q4_1: return franca_qdot_tokens4_q4_1_avx2
        case .q8_0: return franca_qdot_tokens4_q8_0_avx2
        case .q5_0: return franca_qdot_tokens4_q5_0_avx2
        case .q1_0: return franca_qdot_tokens4_q1_0_avx2
        default: return nil
        }
    }
}

/// One weight row against 4 activation rows (see `franca_qdot_tokens4_fn`): out[t] = dot(w, token t).
public typealias Tokens4DotFn = @convention(c) (_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer,
                                                _ activationRowBytes: Int, _ count: Int, _ out: UnsafeMutablePointer<Float>) -> Void

extension QuantKernels {
    /// y[r] = W[r] · a for r < rows with the 4-row kernel of `type` over `pool` (one token; what `QuantMatmul.run`
    /// does for `decodeRows4` types).
    /// Returns false when `type` has no 4-row kernel on this CPU.
    public static func gemvRows4(weights: UnsafeRawPointer, type: GGMLType, rows: Int, k: Int,
                                 packed: UnsafeRawPointer, y: UnsafeMutablePointer<Float>, pool: WorkerPool?) -> Bool {
        guard let rows4 = type.fastRows4, let dot = type.fastDot, let rowBytes = type.byteCount(elements: k) else { return false }
        franca_qgemv_rows4_run(pool?.handle, rows4, dot, weights, rowBytes, rows, packed, k, y)
        return true
    }
}
