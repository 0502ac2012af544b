import CKernels

/// Multi-head self-attention over several sequences packed one after another (no padding rows).
public enum Attention {
    /// Floats of scratch each worker needs for sequences up to `maxLength` tokens.
    public static func scratchCount(maxLength: Int, headDim: Int) -> Int {
        Int(franca_attention_scratch_count(Int64(maxLength), Int64(headDim)))
    }

    /// out[t, h·d ..< (h+1)·d] = softmax(scale · q_t·Kᵀ over kept keys of t's sequence) · V for every head h.
    ///
    /// - qkv: [tokens, 3·heads·headDim]: Q | K | V per row.
    /// - sequenceStarts: tokens of sequence s are rows sequenceStarts[s] ..< sequenceStarts[s+1].
    /// - keyKeep: per token, nonzero when other tokens may attend to it (the attention mask).
    /// - scratch: at least `pool.threads × scratchCount(maxLength:headDim:)` floats.
    public static func run(qkv: MatrixView, out: MatrixView, sequenceStarts: [Int64], keyKeep: [UInt8],
                           heads: Int, headDim: Int, scale: Float, maxLength: Int, scratch: FloatBuffer,
                           pool: WorkerPool? = nil, path: KernelPath = .auto) {
        let hidden = heads * headDim
        let tokens = qkv.rows
        precondition(qkv.cols == 3 * hidden && out.cols == hidden && out.rows == tokens, "attention: shapes do not match")
        precondition(sequenceStarts.first == 0 && sequenceStarts.last == Int64(tokens), "attention: sequence starts must cover all rows")
        precondition(zip(sequenceStarts, sequenceStarts.dropFirst()).allSatisfy { $0 <= $1 && $1 - $0 <= Int64(maxLength) },
                     "attention: sequence starts must increase and lengths stay within maxLength")
        precondition(keyKeep.count >= tokens, "attention: keyKeep needs one entry per token")
        let threads = pool?.threads ?? 1
        precondition(scratch.count >= threads * scratchCount(maxLength: maxLength, headDim: headDim), "attention: scratch too small")
        if tokens == 0 { return }
        sequenceStarts.withUnsafeBufferPointer { starts in
            keyKeep.withUnsafeBufferPointer { keep in
                var args = franca_attention_args()
                args.qkv = UnsafePointer(qkv.pointer)
                args.ld_qkv = Int64(qkv.stride)
                args.out = out.pointer
                args.ld_out = Int64(out.stride)
                args.seq_start = starts.baseAddress
                args.seqs = Int64(starts.count - 1)
                args.key_keep = keep.baseAddress
                args.heads = Int64(heads)
                args.head_dim = Int64(headDim)
                args.scale = scale
                args.scratch = scratch.base
                args.max_len = Int64(maxLength)
                args.path = path.rawValue
                withExtendedLifetime((qkv.buffer, out.buffer, scratch)) {
                    franca_attention(pool?.handle, &args)
                }
            }
        }
    }
}
