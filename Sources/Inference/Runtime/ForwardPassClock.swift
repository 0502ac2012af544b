import Dispatch
import Synchronization

/// Process-wide time spent inside model forward passes (encoder batches, decoder evaluations), so a batch run can
/// say how much of its wall time was the models themselves and how much everything around them.
///
/// Runners wrap each forward call in `measure`; concurrent calls add their own durations (with two documents in
/// flight the total can exceed wall time). Two clock reads per call: negligible next to a forward pass.
public enum ForwardPassClock {
    private static let nanoseconds = Atomic<UInt64>(0)
    private static let calls = Atomic<UInt64>(0)

    /// Runs `body` and adds its duration to the total.
    @inlinable
    public static func measure<T>(_ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { add(DispatchTime.now().uptimeNanoseconds &- start) }
        return try body()
    }

    @usableFromInline
    static func add(_ elapsed: UInt64) {
        nanoseconds.add(elapsed, ordering: .relaxed)
        calls.add(1, ordering: .relaxed)
    }

    /// Total seconds and number of forward calls so far (take two readings and subtract).
    public static func reading() -> (seconds: Double, calls: UInt64) {
        (Double(nanoseconds.load(ordering: .relaxed)) / 1e9, calls.load(ordering: .relaxed))
    }
}
