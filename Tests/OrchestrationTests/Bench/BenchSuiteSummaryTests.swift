import Canonical
import Foundation
import Orchestration
import Testing

/// `franca bench all`'s table rows from hand-written child reports; every expected figure is computed by hand.
@Suite("Bench suite summary")
struct BenchSuiteSummaryTests {
    static let generate = try! JSONValue.parse("""
    {"benchmark": "generate", "fileBytes": 104857600, "peakRSSBytes": 157286400, "results": [
      {"runtime": "franca", "threads": 1, "prefillTokensPerSecond": 100, "decodeTokensPerSecond": 50,
       "decodeWeightBytesPerToken": 200000000, "kvCacheBytes": 1048576},
      {"runtime": "franca", "threads": 2, "prefillTokensPerSecond": 180, "decodeTokensPerSecond": 60,
       "decodeWeightBytesPerToken": 200000000, "kvCacheBytes": 2097152},
      {"runtime": "llama.cpp (llama-cpp-python 0.3.36)", "threads": 1, "prefillTokensPerSecond": 80, "decodeTokensPerSecond": 40},
      {"runtime": "llama.cpp (llama-cpp-python 0.3.36)", "threads": 2, "prefillTokensPerSecond": 200, "decodeTokensPerSecond": 50}
    ]}
    """)
    static let kernels = try! JSONValue.parse(#"{"bandwidthCeilingGBps": {"1": 20, "2": 16}}"#)

    @Test func generateRowsCompareSideBySide() throws {
        let ceiling = BenchSuiteSummary.ceiling(kernels: Self.kernels)
        #expect(ceiling == [1: 20, 2: 16])
        let rows = BenchSuiteSummary.generateRows(label: "M", report: Self.generate, ceiling: ceiling, targets: true)
        #expect(rows.map(\.benchmark) == ["M prefill", "M decode", "M decode weights", "M prefill", "M decode",
                                          "M decode weights", "M peak RSS"])
        #expect(rows.map(\.threads) == [1, 1, 1, 2, 2, 2, nil])
        #expect(rows.allSatisfy { $0.referenceName != nil })
        #expect(rows[0].referenceName == "llama.cpp")
        // 100/80, 50/40; 2e8 B × 50 tok/s = 10 GB/s of a 20 GB/s ceiling
        #expect(rows[0].ratio == 1.25 && rows[1].ratio == 1.25)
        #expect(rows[2].franca == 10 && rows[2].ratio == 0.5)
        #expect(rows[0].target == nil && rows[2].target == .atLeast(0.85))
        // 2 threads: 180/200 = 0.9 (target 1.1, not met); 60/50 = 1.2 (met); 12 GB/s of 16 = 0.75
        #expect(rows[3].ratio == 0.9 && rows[3].target == .atLeast(1.1) && rows[3].target?.isMet(by: 0.9) == false)
        #expect(rows[4].ratio == 1.2 && rows[4].target?.isMet(by: 1.2) == true)
        #expect(rows[5].franca == 12 && rows[5].ratio == 0.75)
        // RSS 150 MiB against 100 MiB file + 2 MiB largest KV cache + 64 MiB = 166 MiB
        #expect(rows[6].franca == 150 && rows[6].reference == 166 && rows[6].target == .atMost(1))
        #expect(rows[6].target?.isMet(by: rows[6].ratio!) == true)
    }

    @Test func modelsWithoutTargetsAndMissingReferences() throws {
        var report = Self.generate.objectValue!
        report["results"] = .array(Array(Self.generate["results"]!.arrayValue!.prefix(2)))  // no llama.cpp rows
        let rows = BenchSuiteSummary.generateRows(label: "G", report: .object(report), ceiling: [:], targets: false)
        #expect(rows.filter { $0.benchmark != "G peak RSS" }.allSatisfy { $0.ratio == nil && $0.target == nil })
        #expect(BenchSuiteSummary.table(rows).contains("not measured"))
        let json = BenchSuiteSummary.json(rows).arrayValue!
        #expect(json[0]["ratio"] == nil && json[0]["franca"]?.doubleValue == 100)
    }

    @Test func encoderRowsUseDocumentsPerSecond() throws {
        let report = try JSONValue.parse("""
        {"results": [{"runtime": "franca", "threads": 1, "documentsPerSecond": 30},
                     {"runtime": "franca", "threads": 2, "documentsPerSecond": 45},
                     {"runtime": "onnxruntime 1.32.0", "threads": 1, "documentsPerSecond": 20},
                     {"runtime": "onnxruntime 1.32.0", "threads": 2, "documentsPerSecond": 36}]}
        """)
        let rows = BenchSuiteSummary.encoderRows(label: "NER", report: report)
        #expect(rows.map(\.ratio) == [1.5, 1.25])
        #expect(rows.map { $0.target?.isMet(by: $0.ratio!) } == [true, false])
        let json = BenchSuiteSummary.json(rows).arrayValue!
        #expect(json[0]["targetMet"] == .bool(true) && json[1]["targetMet"] == .bool(false))
        #expect(json[1]["target"] == .string("≥ 1.50×"))
        let table = BenchSuiteSummary.table(rows)
        #expect(table.contains("1.50×  ≥ 1.50× met") && table.contains("1.25×  ≥ 1.50× not met"))
    }
}
