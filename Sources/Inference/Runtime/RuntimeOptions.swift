import Foundation
import Kernels

/// How much of the machine inference may use.
public struct RuntimeOptions: Sendable, Equatable {
    /// Threads per model call, the calling thread included.
    public var threads: Int

    public init(threads: Int) { self.threads = max(1, threads) }

    /// `FRANCA_THREADS` when set to a positive integer, else every online core.
    public static var `default`: RuntimeOptions {
        if let text = ProcessInfo.processInfo.environment["FRANCA_THREADS"], let n = Int(text), n > 0 {
            return RuntimeOptions(threads: n)
        }
        return RuntimeOptions(threads: WorkerPool.availableCores)
    }
}

/// One persistent worker pool per thread count, shared by every model in the process so that several loaded
/// models do not start competing sets of threads.
public enum SharedWorkerPools {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var pools: [Int: WorkerPool] = [:]

    public static func pool(threads: Int) -> WorkerPool {
        let n = max(1, threads)
        lock.lock()
        defer { lock.unlock() }
        if let pool = pools[n] { return pool }
        let pool = WorkerPool(threads: n)
        pools[n] = pool
        return pool
    }
}
