import Foundation
import Testing
import Inference

/// Rampart tokens/s on the parity texts, one text per call (as the Rampart package and the onnxruntime figure in
/// `scripts/fixtures/bert_fixtures.py --bench` do), and all texts in one batch. A measurement, not a test: it runs
/// only with FRANCA_BENCH=1 (and the model present), and checks just that the labels stay right while timing.
/// CPU time of the whole process (all threads), so figures can be compared on a machine shared with other jobs.
func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

@Suite struct BertBenchmark {
    static var enabled: Bool {
        ProcessInfo.processInfo.environment["FRANCA_BENCH"] == "1" && TestModels.path(TestModels.rampartONNX) != nil
    }

    @Test(.enabled(if: enabled))
    func rampartTokensPerSecond() throws {
        let (_, cases) = try RealBertParityTests.rampartCases()
        let texts = cases.map(\.ids)
        let tokens = texts.reduce(0) { $0 + $1.count }
        let repeats = Int(ProcessInfo.processInfo.environment["FRANCA_BENCH_REPEATS"] ?? "") ?? 7
        for threads in [1, 2] {
            let t0 = Date()
            let model = try RealBertParityTests.rampart(threads: threads)
            let load = Date().timeIntervalSince(t0)
            for ids in texts { _ = try model.classifyTokens(batch: [ids]) } // warm-up
            var single: [Double] = [], batched: [Double] = [], cpu: [Double] = []
            for _ in 0..<repeats {
                let s = Date()
                let c = cpuSeconds()
                for (i, ids) in texts.enumerated() {
                    let probs = try model.classifyTokens(batch: [ids])[0]
                    #expect(BertModel.argmax(probs) == cases[i].argmax)
                }
                single.append(Date().timeIntervalSince(s))
                cpu.append(cpuSeconds() - c)
                let b = Date()
                _ = try model.classifyTokens(batch: texts)
                batched.append(Date().timeIntervalSince(b))
            }
            func rate(_ times: [Double]) -> String {
                let sorted = times.sorted()
                return String(format: "best %.0f tok/s, median %.0f tok/s", Double(tokens) / sorted[0], Double(tokens) / sorted[sorted.count / 2])
            }
            print("Franca Rampart \(threads) thread(s), load \(String(format: "%.2f", load)) s, \(tokens) tokens: "
                  + "one text per call: \(rate(single)) (\(rate(cpu)) of process CPU time); one batch: \(rate(batched))")
        }
    }
}
