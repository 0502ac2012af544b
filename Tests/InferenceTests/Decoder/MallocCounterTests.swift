import Foundation
import Inference
import MallocCounter
import Testing

/// Issue 9: no per-token allocations on the decode path. The decode step (`DecoderSession.evaluate(token:into:)`,
/// what `Generator` runs per generated token) of a warm session is counted with the test executable's malloc
/// counter (Tests/MallocCounter: malloc, calloc, realloc and the aligned allocators, per thread). The pool's
/// workers run C task functions that allocate nothing; the calling thread does all the Swift work of a step.
@Suite struct MallocCounterTests {
    /// The counter sees Swift allocations at all (so the zero below can fail).
    @Test func counterCountsAnArrayAllocation() {
        let before = franca_malloc_count_thread()
        let array = [Int](repeating: 7, count: 1000)
        let after = franca_malloc_count_thread()
        #expect(array.count == 1000)
        #expect(after - before >= 1)
    }

    static func argmax(_ p: UnsafeMutableBufferPointer<Float>) -> Int32 {
        var best = 0
        for i in 1..<p.count where p[i] > p[best] { best = i }
        return Int32(best)
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)), arguments: [1, 2])
    func smolLM2DecodeStepsAllocateNothing(threads: Int) throws {
        let model = try DecoderModel(path: try #require(TestModels.path(TestModels.smolLM2)), options: RuntimeOptions(threads: threads))
        let session = model.makeSession(contextLength: 256)
        let reference = model.makeSession(contextLength: 256)
        let prompt: [Int32] = [1, 9690, 198, 1780, 314, 253, 1345, 30]
        let vocab = model.config.vocabSize
        let logits = UnsafeMutableBufferPointer<Float>.allocate(capacity: vocab)
        defer { logits.deallocate() }
        let first = try session.evaluate(prompt)
        _ = logits.initialize(from: first)
        _ = try reference.evaluate(prompt)
        var next = Self.argmax(logits)
        // Warm-up: the first steps size the lazily made activation buffers.
        for _ in 0..<2 {
            try session.evaluate(token: next, into: logits)
            next = Self.argmax(logits)
        }
        let before = franca_malloc_count_thread()
        for _ in 0..<24 {
            try session.evaluate(token: next, into: logits)
            next = Self.argmax(logits)
        }
        let allocations = franca_malloc_count_thread() - before
        #expect(allocations == 0, "\(allocations) allocations in 24 decode steps at \(threads) thread(s)")

        // The same tokens one at a time through evaluate([token]): the same cache and bit-identical last logits.
        var last: [Float] = []
        for token in session.tokens.dropFirst(prompt.count) { last = try reference.evaluate([token]) }
        #expect(reference.tokens == session.tokens && session.tokens.count == prompt.count + 26)
        #expect(Array(logits) == last)
    }
}
