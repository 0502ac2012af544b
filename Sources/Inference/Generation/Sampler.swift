import Foundation

/// Picks the next token: greedy argmax, or llama.cpp's sampler chain (repetition penalty → top-k → top-p →
/// temperature → draw) with a seeded generator so a seed always gives the same text.
public struct Sampler {
    public let options: SamplingOptions
    private var random: SplitMix64

    public init(options: SamplingOptions) {
        self.options = options
        random = SplitMix64(seed: options.seed)
    }

    /// Penalises tokens seen in the last `repetitionWindow` tokens (llama.cpp: divide positive logits, multiply
    /// negative ones), in place.
    public func applyRepetitionPenalty(_ logits: inout [Float], history: [Int32]) {
        let p = options.repetitionPenalty
        guard p != 1, options.repetitionWindow > 0 else { return }
        var seen = Set<Int32>()
        for id in history.suffix(options.repetitionWindow) where seen.insert(id).inserted {
            let i = Int(id)
            guard i >= 0, i < logits.count else { continue }
            logits[i] = logits[i] > 0 ? logits[i] / p : logits[i] * p
        }
    }

    /// The chosen token; nil when every token is masked (-infinity).
    public mutating func sample(_ logits: [Float]) -> Int32? {
        if options.temperature <= 0 { return Sampler.argmax(logits) }
        var candidates = Sampler.ranked(logits, keep: options.topK)
        guard !candidates.isEmpty else { return nil }
        // Softmax at temperature 1 for top-p (llama.cpp applies top-p before temperature).
        if options.topP < 1 {
            let probs = Sampler.softmax(candidates.map(\.logit), temperature: 1)
            var cumulative: Float = 0
            var keep = candidates.count
            for (i, p) in probs.enumerated() {
                cumulative += p
                if cumulative >= options.topP { keep = i + 1; break }
            }
            candidates.removeSubrange(keep...)
        }
        let probs = Sampler.softmax(candidates.map(\.logit), temperature: options.temperature)
        let r = Float(random.nextUnitDouble())
        var cumulative: Float = 0
        for (i, p) in probs.enumerated() {
            cumulative += p
            if r < cumulative { return candidates[i].id }
        }
        return candidates.last?.id
    }

    /// The finite logits by decreasing logit (lower id first on ties), only the first `keep` of them when
    /// `keep > 0`. Selects in one pass (sorting 262k logits per token would cost more than the mask).
    static func ranked(_ logits: [Float], keep: Int) -> [(id: Int32, logit: Float)] {
        var out: [(id: Int32, logit: Float)] = []
        if keep <= 0 {
            for (i, l) in logits.enumerated() where l > -Float.infinity { out.append((Int32(i), l)) }
            out.sort { $0.logit > $1.logit || ($0.logit == $1.logit && $0.id < $1.id) }
            return out
        }
        out.reserveCapacity(keep + 1)
        for (i, l) in logits.enumerated() where l > -Float.infinity {
            // Ids grow, so an equal logit ranks after those kept: it must beat the last one strictly.
            if out.count == keep, !(l > out[keep - 1].logit) { continue }
            var lo = 0, hi = out.count
            while lo < hi { let mid = (lo + hi) / 2; if out[mid].logit >= l { lo = mid + 1 } else { hi = mid } }
            out.insert((Int32(i), l), at: lo)
            if out.count > keep { out.removeLast() }
        }
        return out
    }

    /// Index of the largest logit (the first on ties); nil when all are -infinity or the array is empty.
    public static func argmax(_ logits: [Float]) -> Int32? {
        var best = -Float.infinity, index = -1
        for (i, l) in logits.enumerated() where l > best { best = l; index = i }
        return index < 0 ? nil : Int32(index)
    }

    static func softmax(_ logits: [Float], temperature: Float) -> [Float] {
        guard let maxLogit = logits.max() else { return [] }
        var out = logits.map { expf(($0 - maxLogit) / temperature) }
        let sum = out.reduce(0, +)
        for i in out.indices { out[i] /= sum }
        return out
    }
}

/// SplitMix64: small, fast and the same on every platform (Swift's default generator is not seedable).
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUnitDouble() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
