import Foundation
import Kernels

/// One input sequence: token ids (with [CLS]/[SEP] already added), optional attention mask and token types.
public struct BertInput: Sendable {
    public var ids: [Int32]
    /// 1 = real token, 0 = padding that other tokens must not attend to. Nil means all ones.
    public var attentionMask: [Int32]?
    /// Segment ids; nil means all zeros.
    public var tokenTypes: [Int32]?

    public init(ids: [Int32], attentionMask: [Int32]? = nil, tokenTypes: [Int32]? = nil) {
        self.ids = ids
        self.attentionMask = attentionMask
        self.tokenTypes = tokenTypes
    }
}

/// A BERT encoder (token classification and sentence embeddings) on Franca's kernels.
///
/// Batches hold sequences of different lengths; they are packed back to back (no padding compute) and attention
/// stays inside each sequence. Activations are allocated once per batch capacity and reused; calls from several
/// threads are serialised. Work is split over a persistent worker pool.
public final class BertModel: @unchecked Sendable {
    public let config: BertConfig
    /// Threads each call uses (the caller included).
    public var threads: Int { pool.threads }
    /// Upper bound on tokens per forward pass; bigger batches run in several passes (bounds activation memory).
    public let maxTokensPerPass: Int

    let weights: BertPackedWeights
    let pool: WorkerPool
    /// Guards `state` (and the pool's single job slot) across callers.
    private let lock = NSLock()
    private var state: BertRunState?

    public init(config: BertConfig, weights: BertWeights, options: RuntimeOptions = .default, maxTokensPerPass: Int = 4096,
                file: String = "(weights)") throws {
        try weights.validate(against: config, file: file)
        self.config = config
        self.weights = BertPackedWeights(weights)
        self.pool = SharedWorkerPools.pool(threads: options.threads)
        self.maxTokensPerPass = max(maxTokensPerPass, config.maxPositions)
    }

    /// Label names of the classification head (config `id2label`).
    public var labels: [String] { config.labels }
    public var hasClassifier: Bool { weights.classifier != nil }

    // MARK: Public calls

    /// Per-token label probabilities (softmax of the logits): [sequence][token][label].
    public func classifyTokens(batch: [[Int32]]) throws -> [[[Float]]] {
        try classifyTokens(inputs: batch.map { BertInput(ids: $0) })
    }

    public func classifyTokens(inputs: [BertInput]) throws -> [[[Float]]] { try run(inputs, output: .probabilities) }

    /// Per-token logits of the classification head: [sequence][token][label].
    public func tokenLogits(inputs: [BertInput]) throws -> [[[Float]]] { try run(inputs, output: .logits) }

    /// Last hidden states: [sequence][token][hidden].
    public func hiddenStates(inputs: [BertInput]) throws -> [[[Float]]] { try run(inputs, output: .hidden) }

    /// Sentence embeddings: mean of the last hidden states over the attention mask, L2-normalised. [sequence][hidden]
    public func embed(batch: [[Int32]]) throws -> [[Float]] { try embed(inputs: batch.map { BertInput(ids: $0) }) }

    public func embed(inputs: [BertInput]) throws -> [[Float]] {
        let states = try run(inputs, output: .hidden)
        return zip(inputs, states).map { input, rows in
            var sum = [Float](repeating: 0, count: config.hiddenSize)
            var count = 0
            for (t, row) in rows.enumerated() where (input.attentionMask?[t] ?? 1) != 0 {
                for j in 0..<sum.count { sum[j] += row[j] }
                count += 1
            }
            let mean = sum.map { $0 / Float(max(count, 1)) }
            let norm = max(mean.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
            return mean.map { $0 / norm }
        }
    }

    /// Argmax label id per token, from probabilities or logits.
    public static func argmax(_ rows: [[Float]]) -> [Int] {
        rows.map { row in row.indices.max { row[$0] < row[$1] } ?? 0 }
    }

    // MARK: Batching

    enum Output { case hidden, logits, probabilities }

    private func run(_ inputs: [BertInput], output: Output) throws -> [[[Float]]] {
        if output != .hidden, weights.classifier == nil { throw BertError.noClassifier }
        try validate(inputs)
        lock.lock()
        defer { lock.unlock() }
        var results: [[[Float]]] = []
        results.reserveCapacity(inputs.count)
        var next = 0
        while next < inputs.count {
            var batch = BertPackedBatch()
            while next < inputs.count, batch.sequences == 0 || batch.tokens + inputs[next].ids.count <= maxTokensPerPass {
                batch.append(inputs[next])
                next += 1
            }
            let state = stateFor(batch)
            forward(batch, state: state, classify: output != .hidden)
            results += collect(batch, state: state, output: output)
        }
        return results
    }

    private func validate(_ inputs: [BertInput]) throws {
        for (s, input) in inputs.enumerated() {
            let n = input.ids.count
            if n == 0 { throw BertError.emptySequence(index: s) }
            if n > config.maxPositions { throw BertError.sequenceTooLong(index: s, length: n, maximum: config.maxPositions) }
            for (p, id) in input.ids.enumerated() where id < 0 || Int(id) >= config.vocabularySize {
                throw BertError.tokenOutOfRange(sequence: s, position: p, id: id, vocabularySize: config.vocabularySize)
            }
            if let mask = input.attentionMask, mask.count != n {
                throw BertError.inputMismatch(sequence: s, what: "attention mask", expected: n, found: mask.count)
            }
            if let types = input.tokenTypes {
                if types.count != n { throw BertError.inputMismatch(sequence: s, what: "token types", expected: n, found: types.count) }
                if let bad = types.firstIndex(where: { $0 < 0 || Int($0) >= config.typeVocabularySize }) {
                    throw BertError.tokenOutOfRange(sequence: s, position: bad, id: types[bad], vocabularySize: config.typeVocabularySize)
                }
            }
        }
    }

    private func stateFor(_ batch: BertPackedBatch) -> BertRunState {
        if let state, state.fits(tokens: batch.tokens, maxLength: batch.maxLength) { return state }
        // Grow to at least double the old capacity so a slowly growing workload reallocates rarely.
        let tokens = max(batch.tokens, min(2 * (state?.tokenCapacity ?? 0), maxTokensPerPass))
        let length = max(batch.maxLength, state?.lengthCapacity ?? 0)
        let fresh = BertRunState(config: config, labels: weights.classifier?.rows ?? 0, tokens: tokens, maxLength: length,
                                 threads: pool.threads)
        state = fresh
        return fresh
    }

    private func collect(_ batch: BertPackedBatch, state: BertRunState, output: Output) -> [[[Float]]] {
        let width = output == .hidden ? config.hiddenSize : (weights.classifier?.rows ?? 0)
        let buffer = output == .hidden ? state.x : state.logits
        let m = buffer.matrix(rows: batch.tokens, cols: width)
        if output == .probabilities { RowOps.softmax(m) }
        return (0..<batch.sequences).map { s in batch.range(of: s).map { m.row($0) } }
    }
}
