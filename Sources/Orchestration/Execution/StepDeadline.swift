import Foundation

/// A step that ran past its `limits.timeout`.
public struct StepTimeout: Error, Equatable, Sendable, CustomStringConvertible {
    public var seconds: Double
    public var description: String { "the step ran longer than its timeout of \(Self.format(seconds))" }

    static func format(_ s: Double) -> String {
        s < 1 ? "\(Int((s * 1000).rounded()))ms" : s == s.rounded() ? "\(Int(s))s" : "\(s)s"
    }
}

/// Runs work under a wall-clock deadline. The work runs on its own thread; when the deadline passes first the
/// caller gets `StepTimeout` and the work's eventual result is dropped (it cannot be interrupted, so it must not
/// touch shared state — executor steps work on copies and commit only what returns in time).
enum StepDeadline {
    private final class Box<T>: @unchecked Sendable {  // written by the worker before `done.signal()`
        var result: Result<T, Error>?
    }

    static func run<T>(seconds: Double?, _ work: @escaping () throws -> T) throws -> T {
        guard let seconds else { return try work() }
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        let unsafeWork = UnsafeTransfer(work)
        let thread = Thread {
            box.result = Result { try unsafeWork.value() }
            done.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
        if done.wait(timeout: .now() + seconds) == .timedOut { throw StepTimeout(seconds: seconds) }
        guard let result = box.result else { throw StepTimeout(seconds: seconds) }
        return try result.get()
    }

    private struct UnsafeTransfer<V>: @unchecked Sendable {  // the closure runs on exactly one other thread
        let value: V
        init(_ value: V) { self.value = value }
    }
}
