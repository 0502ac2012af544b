import CKernels

/// A persistent pool of worker threads that the kernels split their work over.
///
/// The threads are C pthreads running C task functions: no Swift closure or reference count crosses a thread
/// (KERNELS.md: closures in a shared object scaled 1.1× on 2 threads, C function pointers 2×).
/// The calling thread works too, so `threads == 1` means no extra threads at all.
public final class WorkerPool: @unchecked Sendable {
    /// Threads taking part in each job, the caller included.
    public let threads: Int
    /// The C pool (nil when running on the caller only). Immutable; the C side serialises concurrent jobs.
    let handle: OpaquePointer?

    /// Starts `threads - 1` workers (1 when `threads` < 1). Falls back to the caller alone if threads cannot start.
    public init(threads: Int) {
        let wanted = Int32(clamping: max(1, threads))
        if wanted > 1, let pool = franca_pool_create(wanted) {
            handle = pool
            self.threads = Int(franca_pool_threads(pool))
        } else {
            handle = nil
            self.threads = 1
        }
    }

    deinit { if let handle { franca_pool_destroy(handle) } }

    /// Cores the OS reports online (at least 1).
    public static var availableCores: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return max(1, Int(sysconf(_SC_NPROCESSORS_ONLN)))
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
