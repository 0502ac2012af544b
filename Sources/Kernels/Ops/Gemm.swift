import CKernels

/// What the GEMM applies to each output after adding the bias.
public enum GemmEpilogue: Int32, Sendable {
    case none = 0
    /// Exact GELU, 0.5·x·(1 + erf(x/√2)), as in BERT's intermediate layer.
    case gelu = 1
}

public enum Gemm {
    /// C[m, n] = A[m, k] · Wᵀ + bias (W is [n, k]), then the epilogue, split over the pool's threads.
    public static func run(_ a: MatrixView, _ w: PackedMatrix, into c: MatrixView, epilogue: GemmEpilogue = .none,
                           pool: WorkerPool? = nil, path: KernelPath = .auto) {
        precondition(a.cols == w.cols, "GEMM: A has \(a.cols) columns, W expects \(w.cols)")
        precondition(c.rows == a.rows && c.cols == w.rows, "GEMM: C is \(c.rows)x\(c.cols), expected \(a.rows)x\(w.rows)")
        if a.rows == 0 { return }
        var args = franca_gemm_args()
        args.a = UnsafePointer(a.pointer)
        args.lda = Int64(a.stride)
        args.packed_w = UnsafePointer(w.packed.base)
        if let q4 = w.packedQ4 {
            args.packed_q4 = UnsafeRawPointer(q4.base).assumingMemoryBound(to: UInt8.self)
            args.q4_block_size = Int64(w.q4BlockSize)
        }
        args.bias = w.bias.map { UnsafePointer($0.base) }
        args.c = c.pointer
        args.ldc = Int64(c.stride)
        args.m = Int64(a.rows)
        args.n = Int64(w.rows)
        args.k = Int64(w.cols)
        args.epilogue = epilogue.rawValue
        args.path = path.rawValue
        // The views were bounds-checked at creation; the buffers stay alive for the call through a, w, c.
        withExtendedLifetime((a.buffer, w, c.buffer)) {
            franca_gemm(pool?.handle, &args)
        }
    }
}
