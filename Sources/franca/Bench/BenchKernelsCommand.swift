import ArgumentParser
import Canonical
import Foundation
import Inference
import Kernels

/// `franca bench kernels`: weight bytes streamed per second by the quantized matrix-vector product (the decode
/// step) for each weight type, SIMD against scalar, at 1 and 2 threads, next to the machine's memory-bandwidth
/// ceiling (a plain streaming read of a large buffer).
struct BenchKernelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "GB/s of weights per quantization type for a matrix-vector product vs the memory-bandwidth ceiling.",
        discussion: """
        Each type runs one token through QuantMatmul.run over a random weight matrix with the row length of a real \
        model (SmolLM2 576, Gemma 3 640 or 2048, Bonsai 2048) and enough rows for --mib MiB of weights, so the weights stream \
        from memory as they do in decode. Times are the best of --repeats runs; activation packing is not timed. \
        For Q8_0, Q4_1, Q5_0, Q4_K and Q6_K the 4-row kernel driver (QuantKernels.gemvRows4) is measured too.
        """
    )

    @Option(help: "Weight types to measure (comma separated); default: the types the decoder models use.")
    var types: String = "q4_1,q8_0,q4_0,q5_0,q5_1,q4_K,q5_K,q6_K,q1_0,q2_0,pq2_0,tq1_0,tq2_0,f16,f32"
    @Option(help: "MiB of weights per matrix (larger than the last-level cache).") var mib = 64
    @Option(help: "Timed repetitions per measurement (the best is reported).") var repeats = 7
    @Flag(help: "Skip the scalar reference kernels (they are slow).") var noScalar = false
    @Option(help: "Also write the results to this JSON file.") var jsonOut: String?

    /// Row length per type: the real model that uses the type (FORMATS.md §10).
    static func rowLength(_ t: GGMLType) -> (k: Int, model: String) {
        switch t {
        case .q4_1, .q8_0: return (576, "SmolLM2-135M")
        case .q5_0: return (640, "Gemma-3-270M")
        case .q4_K, .q6_K: return (2048, "Gemma-3-270M ffn_down")  // K-quants need k % 256 == 0; 640 is not
        case .q1_0, .q2_0, .pq2_0, .tq1_0, .tq2_0: return (2048, "Bonsai-1.7B")
        default: return (2048, "generic")
        }
    }

    func run() throws {
        let parsed = try types.split(separator: ",").map { name -> GGMLType in
            let n = name.trimmingCharacters(in: .whitespaces).uppercased()
            guard let t = GGMLType.allCases.first(where: { $0.name == n }) else {
                throw ValidationError("unknown type \(name); known: \(GGMLType.allCases.map(\.name).joined(separator: ", "))")
            }
            return t
        }
        let savedMode = QuantKernels.mode
        defer { QuantKernels.mode = savedMode }
        let ceiling = Self.bandwidthCeiling(repeats: repeats)
        Stderr.line(String(format: "memory bandwidth ceiling (stream read of 256 MiB): 1 thread %.2f GB/s, 2 threads %.2f GB/s",
                           ceiling[1] ?? 0, ceiling[2] ?? 0))
        Stderr.line("AVX2 kernels: \(QuantKernels.avx2Available ? "available" : "not available (scalar only)")")
        Stderr.line("type    k     rows     MiB   fast 1T   fast 2T  scalar 1T  scalar 2T  rows4 1T  rows4 2T   (GB/s of weights; % of ceiling)")
        var rows: [JSONValue] = []
        for t in parsed {
            let (k, model) = Self.rowLength(t)
            guard let rowBytes = t.byteCount(elements: k), t.bestDot != nil || t.traits.dot != nil else { continue }
            let nrows = max(1, mib * 1 << 20 / rowBytes)
            let m = try Matrix(type: t, rows: nrows, k: k)
            var line = t.name.padding(toLength: 6, withPad: " ", startingAt: 0)
                + String(format: " %5d %8d %5.1f", k, nrows, Double(m.weightBytes) / 1048576)
            var result: JSONObject = ["type": .string(t.name), "k": .integer(Int64(k)), "rows": .integer(Int64(nrows)),
                                               "weightBytes": .integer(Int64(m.weightBytes)), "model": .string(model)]
            for mode in [QuantKernels.Mode.fast, .scalar] {
                for threads in [1, 2] {
                    let key = "\(mode.rawValue)\(threads)T"
                    if mode == .scalar && noScalar { line += "         -"; continue }
                    QuantKernels.mode = mode
                    let seconds = try m.time(threads: threads, repeats: mode == .scalar ? min(repeats, 3) : repeats)
                    let gbps = Double(m.weightBytes) / seconds / 1e9
                    result[key + "GBps"] = .number(gbps)
                    result[key + "Seconds"] = .number(seconds)
                    line += String(format: "  %6.2f %3.0f%%", gbps, 100 * gbps / (ceiling[threads] ?? .infinity))
                }
            }
            QuantKernels.mode = savedMode
            if t.fastRows4 != nil {
                for threads in [1, 2] {
                    let seconds = try m.time(threads: threads, repeats: repeats, rows4: true)
                    let gbps = Double(m.weightBytes) / seconds / 1e9
                    result["rows4\(threads)TGBps"] = .number(gbps)
                    line += String(format: "  %6.2f %3.0f%%", gbps, 100 * gbps / (ceiling[threads] ?? .infinity))
                }
            }
            Stderr.line(line)
            rows.append(.object(result))
        }
        let report = JSONValue.object([
            "benchmark": .string("kernels"), "cpu": .string(InferenceCore.cpu.description),
            "avx2": .bool(QuantKernels.avx2Available),
            "bandwidthCeilingGBps": .object(["1": .number(ceiling[1] ?? 0), "2": .number(ceiling[2] ?? 0)]),
            "results": .array(rows),
        ])
        print(report.serialized(options: [.pretty]))
        if let path = jsonOut { try report.serialized(options: [.pretty]).write(toFile: path, atomically: true, encoding: .utf8) }
    }

    /// GB/s of a streaming read of 256 MiB on 1 and 2 threads (best of `repeats`).
    static func bandwidthCeiling(repeats: Int) -> [Int: Double] {
        let bytes = 256 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 4096)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 1, count: bytes)
        var out: [Int: Double] = [:]
        for threads in [1, 2] {
            let pool = SharedWorkerPools.pool(threads: threads)
            QuantKernels.streamRead(buffer, bytes: bytes, pool: pool)
            var best = Double.infinity
            for _ in 0 ..< max(1, repeats) {
                let start = DispatchTime.now().uptimeNanoseconds
                QuantKernels.streamRead(buffer, bytes: bytes, pool: pool)
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            out[threads] = Double(bytes) / best / 1e9
        }
        return out
    }

    /// A random weight matrix of one type with one packed activation row.
    final class Matrix {
        let type: GGMLType, rows: Int, k: Int, weightBytes: Int
        let weights: UnsafeMutableRawPointer
        let activations: [Float]
        var output: [Float]

        init(type: GGMLType, rows: Int, k: Int) throws {
            guard let rowBytes = type.byteCount(elements: k) else { throw ValidationError("bad row length \(k) for \(type)") }
            self.type = type; self.rows = rows; self.k = k
            weightBytes = rowBytes * rows
            weights = UnsafeMutableRawPointer.allocate(byteCount: weightBytes, alignment: 64)
            // Random codes; every 16-bit word of a float type is a small finite value, fp16 scale fields stay finite.
            var state: UInt64 = 0x9E3779B97F4A7C15
            let words = weights.bindMemory(to: UInt16.self, capacity: weightBytes / 2)
            for i in 0 ..< weightBytes / 2 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                words[i] = UInt16(truncatingIfNeeded: state >> 33) & 0x3BFF
            }
            activations = (0 ..< k).map { Float(sin(Double($0) * 0.37)) }
            output = [Float](repeating: 0, count: rows)
        }

        deinit { weights.deallocate() }

        /// Best-of-`repeats` seconds for one matrix-vector product (after a warm-up run).
        /// `rows4`: the 4-row kernel driver (`QuantKernels.gemvRows4`) instead of `QuantMatmul.run`.
        func time(threads: Int, repeats: Int, rows4: Bool = false) throws -> Double {
            let pool = SharedWorkerPools.pool(threads: threads)
            guard let aBytes = QuantMatmul.activationRowBytes(weightType: type, k: k) else {
                throw ValidationError("no activation type for \(type)")
            }
            let packed = UnsafeMutableRawPointer.allocate(byteCount: aBytes, alignment: 64)
            defer { packed.deallocate() }
            try activations.withUnsafeBufferPointer {
                try QuantMatmul.packActivations(weightType: type, a: $0.baseAddress!, lda: k, tokens: 1, k: k, into: packed)
            }
            var best = Double.infinity
            try output.withUnsafeMutableBufferPointer { c in
                for r in 0 ... max(1, repeats) {
                    let start = DispatchTime.now().uptimeNanoseconds
                    if rows4 {
                        _ = QuantKernels.gemvRows4(weights: weights, type: type, rows: rows, k: k, packed: packed,
                                                   y: c.baseAddress!, pool: pool)
                    } else {
                        try QuantMatmul.run(weights: weights, type: type, rows: rows, k: k, packed: packed, tokens: 1,
                                            c: c.baseAddress!, ldc: rows, pool: pool)
                    }
                    let s = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                    if r > 0 { best = min(best, s) }
                }
            }
            return best
        }
    }
}
