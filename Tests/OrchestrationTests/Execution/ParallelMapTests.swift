import Foundation
import Orchestration
import Synchronization
import Testing

@Suite struct ParallelMapTests {
    struct Odd: Error, Equatable { var value: Int }

    @Test("Results come back in input order, each element transformed once")
    func order() {
        let calls = Mutex(0)
        let input = Array(0..<1000)
        let out = input.parallelMap { x -> String in
            calls.withLock { $0 += 1 }
            return String(x * 3)
        }
        #expect(out == input.map { String($0 * 3) })
        #expect(calls.withLock { $0 } == 1000)
        #expect(zip(["a", "b"], [1, 2]).parallelMap { "\($0)\($1)" } == ["a1", "b2"])
        #expect([Int]().parallelMap { $0 } == [])
    }

    @Test("A throwing transform throws the first failing element's error in input order, as map does")
    func firstErrorInOrder() {
        // Later elements finish first: the error of element 3 must still win over 5, 7, ...
        let input = Array(0..<64)
        #expect(throws: Odd(value: 3)) {
            _ = try input.parallelMap { x throws(Odd) -> Int in
                if x == 3 { usleep(20_000) }
                if x >= 3, x % 2 == 1 { throw Odd(value: x) }
                return x
            }
        }
        #expect(throws: Odd(value: 7)) { try [7].parallelMap { x throws(Odd) -> Int in throw Odd(value: x) } }
    }
}
