import Canonical
import Foundation

/// One line of `franca bench all`: a Franca figure next to its reference (another runtime's figure, the machine's
/// bandwidth ceiling or a memory budget) and their ratio, with the issue's target for that ratio.
public struct BenchSuiteRow: Equatable, Sendable {
    public var benchmark: String
    public var threads: Int?
    public var unit: String
    public var franca: Double
    public var referenceName: String?
    public var reference: Double?
    /// `franca / reference`.
    public var ratio: Double? { reference.flatMap { $0 > 0 ? franca / $0 : nil } }
    /// The issue's target for the ratio, if it sets one.
    public var target: BenchTarget?

    public init(benchmark: String, threads: Int?, unit: String, franca: Double, referenceName: String? = nil,
                reference: Double? = nil, target: BenchTarget? = nil) {
        self.benchmark = benchmark; self.threads = threads; self.unit = unit; self.franca = franca
        self.referenceName = referenceName; self.reference = reference; self.target = target
    }
}

/// A bound on a ratio: at least or at most `value`.
public enum BenchTarget: Equatable, Sendable {
    case atLeast(Double)
    case atMost(Double)

    public var text: String {
        switch self {
        case .atLeast(let x): return String(format: "≥ %.2f×", x)
        case .atMost(let x): return String(format: "≤ %.2f×", x)
        }
    }

    public func isMet(by ratio: Double) -> Bool {
        switch self {
        case .atLeast(let x): return ratio >= x
        case .atMost(let x): return ratio <= x
        }
    }
}

/// Turns the JSON reports of `franca bench generate | ner | embed | kernels` into the suite's side-by-side rows.
public enum BenchSuiteSummary {
    /// Memory allowed on top of weights and KV cache (issue 9: peak RSS ≤ weights + KV cache + 64 MiB).
    public static let rssAllowance = 64 << 20

    /// The bandwidth ceiling per thread count from a `bench kernels` report.
    public static func ceiling(kernels: JSONValue) -> [Int: Double] {
        var out: [Int: Double] = [:]
        for (key, value) in kernels["bandwidthCeilingGBps"]?.objectValue ?? [:] {
            if let threads = Int(key), let gbps = value.doubleValue { out[threads] = gbps }
        }
        return out
    }

    /// Prefill and decode tokens/s against llama.cpp, decode GB/s of weights against the bandwidth ceiling, and
    /// peak RSS against weights + KV cache + 64 MiB. `targets`: the issue's ratios apply (SmolLM2 Q4_1 only).
    public static func generateRows(label: String, report: JSONValue, ceiling: [Int: Double], targets: Bool) -> [BenchSuiteRow] {
        let results = report["results"]?.arrayValue ?? []
        let francaRows = results.filter { $0["runtime"]?.stringValue == "franca" }
        var rows: [BenchSuiteRow] = []
        for f in francaRows {
            guard let threads = f["threads"]?.intValue else { continue }
            let ref = results.first { $0["runtime"]?.stringValue != "franca" && $0["threads"]?.intValue == threads }
            let refName = ref?["runtime"]?.stringValue.map(shortName)
            let speedTarget: BenchTarget? = targets && threads == 2 ? .atLeast(1.1) : nil
            if let p = f["prefillTokensPerSecond"]?.doubleValue {
                rows.append(BenchSuiteRow(benchmark: "\(label) prefill", threads: threads, unit: "tok/s", franca: p,
                                          referenceName: refName, reference: ref?["prefillTokensPerSecond"]?.doubleValue,
                                          target: speedTarget))
            }
            if let d = f["decodeTokensPerSecond"]?.doubleValue {
                rows.append(BenchSuiteRow(benchmark: "\(label) decode", threads: threads, unit: "tok/s", franca: d,
                                          referenceName: refName, reference: ref?["decodeTokensPerSecond"]?.doubleValue,
                                          target: speedTarget))
                if let bytes = f["decodeWeightBytesPerToken"]?.doubleValue {
                    rows.append(BenchSuiteRow(benchmark: "\(label) decode weights", threads: threads, unit: "GB/s",
                                              franca: bytes * d / 1e9, referenceName: "bandwidth ceiling",
                                              reference: ceiling[threads],
                                              target: targets ? .atLeast(0.85) : nil))
                }
            }
        }
        if let rss = report["peakRSSBytes"]?.doubleValue, rss > 0, let file = report["fileBytes"]?.doubleValue {
            let kv = francaRows.compactMap { $0["kvCacheBytes"]?.doubleValue }.max() ?? 0
            rows.append(BenchSuiteRow(benchmark: "\(label) peak RSS", threads: nil, unit: "MiB", franca: rss / 1_048_576,
                                      referenceName: "weights+KV+64MiB",
                                      reference: (file + kv + Double(rssAllowance)) / 1_048_576,
                                      target: .atMost(1)))
        }
        return rows
    }

    /// Documents/s against the reference runtime of a `bench ner` or `bench embed` report (target 1.5×).
    public static func encoderRows(label: String, report: JSONValue) -> [BenchSuiteRow] {
        let results = report["results"]?.arrayValue ?? []
        return results.filter { $0["runtime"]?.stringValue == "franca" }.compactMap { f in
            guard let threads = f["threads"]?.intValue, let docs = f["documentsPerSecond"]?.doubleValue else { return nil }
            let ref = results.first { $0["runtime"]?.stringValue != "franca" && $0["threads"]?.intValue == threads }
            return BenchSuiteRow(benchmark: label, threads: threads, unit: "docs/s", franca: docs,
                                 referenceName: ref?["runtime"]?.stringValue.map(shortName),
                                 reference: ref?["documentsPerSecond"]?.doubleValue, target: .atLeast(1.5))
        }
    }

    /// "llama.cpp (llama-cpp-python 0.3.36)" → "llama.cpp"; "sentence-transformers (torch …)" → "sentence-transformers".
    static func shortName(_ runtime: String) -> String {
        String(runtime.split(separator: " (").first ?? Substring(runtime))
    }

    /// A fixed-width table, one row a line.
    public static func table(_ rows: [BenchSuiteRow]) -> String {
        let width = max(28, rows.map(\.benchmark.count).max() ?? 0)
        var lines = ["benchmark".padding(toLength: width, withPad: " ", startingAt: 0)
                     + "  T       franca  reference                        ratio  target"]
        for r in rows {
            var line = r.benchmark.padding(toLength: width, withPad: " ", startingAt: 0)
            line += "  " + (r.threads.map(String.init) ?? "-")
            line += String(format: " %9.1f %-6@", r.franca, r.unit as NSString)
            if let ref = r.reference, let name = r.referenceName {
                line += String(format: " %9.1f %-21@", ref, String(name.prefix(21)) as NSString)
            } else {
                line += " " + "not measured".padding(toLength: 31, withPad: " ", startingAt: 0)
            }
            if let ratio = r.ratio {
                line += String(format: " %5.2f×", ratio)
                if let t = r.target { line += "  \(t.text) \(t.isMet(by: ratio) ? "met" : "not met")" }
            } else {
                line += "      -"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    public static func json(_ rows: [BenchSuiteRow]) -> JSONValue {
        .array(rows.map { r in
            var o: JSONObject = ["benchmark": .string(r.benchmark), "unit": .string(r.unit), "franca": .number(r.franca)]
            if let t = r.threads { o["threads"] = .integer(Int64(t)) }
            if let n = r.referenceName { o["referenceName"] = .string(n) }
            if let v = r.reference { o["reference"] = .number(v) }
            if let ratio = r.ratio { o["ratio"] = .number(ratio) }
            if let t = r.target, let ratio = r.ratio {
                o["target"] = .string(t.text)
                o["targetMet"] = .bool(t.isMet(by: ratio))
            }
            return .object(o)
        })
    }
}
