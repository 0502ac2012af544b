import Foundation
import Testing
import Inference

/// The sampler's one-pass top-k selection against the plain reference it replaced (sort every finite logit, keep
/// the first k): same seed, same logits → same token, including ties and masked (-infinity) logits.
@Suite struct SamplerTests {
    /// llama.cpp's chain as the sampler documents it, with a full sort.
    static func reference(_ logits: [Float], _ options: SamplingOptions, _ random: inout SplitMix64) -> Int32? {
        var c: [(id: Int32, logit: Float)] = []
        for (i, l) in logits.enumerated() where l > -Float.infinity { c.append((Int32(i), l)) }
        guard !c.isEmpty else { return nil }
        c.sort { $0.logit > $1.logit || ($0.logit == $1.logit && $0.id < $1.id) }
        if options.topK > 0, c.count > options.topK { c.removeSubrange(options.topK...) }
        func softmax(_ x: [Float], _ t: Float) -> [Float] {
            let m = x.max()!
            let e = x.map { expf(($0 - m) / t) }
            let s = e.reduce(0, +)
            return e.map { $0 / s }
        }
        if options.topP < 1 {
            var cumulative: Float = 0, keep = c.count
            for (i, p) in softmax(c.map(\.logit), 1).enumerated() {
                cumulative += p
                if cumulative >= options.topP { keep = i + 1; break }
            }
            c.removeSubrange(keep...)
        }
        let r = Float(random.nextUnitDouble())
        var cumulative: Float = 0
        for (i, p) in softmax(c.map(\.logit), options.temperature).enumerated() {
            cumulative += p
            if r < cumulative { return c[i].id }
        }
        return c.last?.id
    }

    @Test(arguments: [0, 1, 5, 40, 1000])
    func topKSelectionMatchesTheFullSort(topK: Int) {
        var data = SplitMix64(seed: 7)
        for round in 0..<200 {
            let n = [1, 3, 64, 2000][round % 4]
            // Few distinct values (many ties) and some masked entries.
            let logits: [Float] = (0..<n).map { _ in
                let u = data.next() % 16
                return u == 0 ? -.infinity : Float(u % 7) * 0.5
            }
            let options = SamplingOptions(temperature: [1, 0.7][round % 2], topK: topK, topP: [1, 0.95, 0.5][round % 3],
                                          seed: UInt64(round))
            var sampler = Sampler(options: options)
            var random = SplitMix64(seed: UInt64(round))
            #expect(sampler.sample(logits) == Self.reference(logits, options, &random), "round \(round)")
        }
    }
}
