import Foundation
import Kernels

/// One conversation with a decoder: its KV cache, its position and the scratch buffers of the forward pass.
/// Not thread-safe; use one session per concurrent generation (sessions that share buffers, see
/// `DecoderModel.makeSession(contextLength:sharingBuffersWith:)`, must be used one at a time).
public final class DecoderSession {
    public let model: DecoderModel
    /// Tokens the cache can hold.
    public let capacity: Int
    /// Tokens evaluated so far (the next token's position).
    public internal(set) var position = 0
    /// The token ids in the cache, in order (prompt prefixes can be reused by `truncate`).
    public internal(set) var tokens: [Int32] = []
    /// Tokens a forward call processes at once; longer inputs run in several micro-batches.
    public let microBatch: Int
    let cache: KVCache
    let scratch: DecoderScratch
    /// `FRANCA_DEBUG_DUMP` (see `debugDump`); off unless set.
    static let debugDumpDir = ProcessInfo.processInfo.environment["FRANCA_DEBUG_DUMP"]
    var debugDumpCall = 0
    /// The one slot of a decode step, kept so `evaluate(token:into:)` allocates nothing.
    var stepSlot: [DecoderTokenSlot] = []

    /// `sharing`: a session of the same model whose forward-pass buffers this one reuses when they are large
    /// enough (sessions used one at a time, as a runner's are, need only one set).
    init(model: DecoderModel, capacity: Int, microBatch: Int = 256, sharing other: DecoderSession? = nil) {
        self.model = model
        self.capacity = capacity
        self.microBatch = max(1, min(microBatch, capacity))
        let c = model.config
        cache = KVCache(layers: c.layerCount, capacity: capacity, rowWidth: c.kvHeads * c.headDim)
        if let other, other.model === model, other.scratch.tokens >= self.microBatch,
           other.scratch.maxPositions >= capacity {
            scratch = other.scratch
        } else {
            scratch = DecoderScratch(config: c, tokens: self.microBatch, capacity: capacity, pool: model.pool)
        }
        tokens.reserveCapacity(capacity)
        stepSlot.reserveCapacity(1)
    }

    /// Bytes of this session's key/value cache at full capacity (F32 keys and values for every layer).
    public var cacheBytes: Int { 2 * cache.layers * cache.capacity * cache.rowWidth * MemoryLayout<Float>.stride }

    /// Forgets everything after the first `count` tokens (keeps a shared prompt prefix).
    public func truncate(to count: Int) {
        let n = max(0, min(count, position))
        position = n
        tokens.removeSubrange(n...)
    }

    public func reset() { truncate(to: 0) }

    /// Takes the first `count` cached tokens of `other` (a session of the same model): their keys and values are
    /// copied, so this session continues as if it had evaluated them itself.
    public func copyPrefix(of other: DecoderSession, count: Int) {
        precondition(other.model === model && count <= other.position && count <= capacity)
        let width = cache.rowWidth
        for l in 0..<cache.layers {
            cache.keys[l].update(from: other.cache.keys[l], count: count * width)
            cache.values[l].update(from: other.cache.values[l], count: count * width)
        }
        position = count
        tokens.removeAll(keepingCapacity: true)
        tokens.append(contentsOf: other.tokens.prefix(count))
    }

    /// How many leading tokens of `ids` this session holds.
    func sharedPrefix(with ids: [Int32]) -> Int {
        var n = 0
        while n < min(tokens.count, ids.count), tokens[n] == ids[n] { n += 1 }
        return n
    }

    /// Runs `input` through the model after the tokens already in the cache and returns logits: of the last token
    /// (`vocabSize` floats), or of every input token (`input.count × vocabSize`) when `allLogits`.
    public func evaluate(_ input: [Int32], allLogits: Bool = false) throws -> [Float] {
        guard !input.isEmpty else { throw DecoderError.emptyPrompt }
        let vocab = model.config.vocabSize
        for id in input where id < 0 || Int(id) >= vocab { throw DecoderError.invalidToken(id, vocabSize: vocab) }
        guard position + input.count <= capacity else { throw DecoderError.contextFull(capacity: capacity) }
        var logits = [Float](repeating: 0, count: (allLogits ? input.count : 1) * vocab)
        var start = 0
        while start < input.count {
            let end = min(start + microBatch, input.count)
            let chunk = Array(input[start..<end])
            let isLast = end == input.count
            try logits.withUnsafeMutableBufferPointer { out in
                let target = allLogits ? out.baseAddress! + start * vocab : out.baseAddress!
                try forward(chunk, logits: allLogits ? .all(target) : (isLast ? .last(target) : .none))
            }
            position += chunk.count
            tokens += chunk
            start = end
        }
        return logits
    }

    /// The decode step: one next token, its logits written to `logits` (at least `vocabSize` floats). The same
    /// pass as `evaluate([token])` (bit-identical logits), without allocating: once the session exists, a decode
    /// step mallocs nothing (MallocCounterTests).
    public func evaluate(token: Int32, into logits: UnsafeMutableBufferPointer<Float>) throws {
        let vocab = model.config.vocabSize
        guard token >= 0, Int(token) < vocab else { throw DecoderError.invalidToken(token, vocabSize: vocab) }
        guard position < capacity else { throw DecoderError.contextFull(capacity: capacity) }
        precondition(logits.count >= vocab, "a logits buffer of \(logits.count) floats for a vocabulary of \(vocab)")
        stepSlot.removeAll(keepingCapacity: true)
        stepSlot.append(DecoderTokenSlot(id: token, cache: cache, position: position))
        try DecoderPass(model: model, scratch: scratch, sequenceTokens: 1, dump: debugDumper())
            .run(stepSlot, logits: .last(logits.baseAddress!))
        debugDumpCall += 1
        position += 1
        tokens.append(token)
    }
}
