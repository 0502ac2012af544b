import Canonical
import Foundation
import Orchestration

/// A processor that needs no model: marks every "Alice" and "Bob" as PERSON (step `pii`) and, for documents
/// whose text contains "obligation", adds one obligation (step `duties`); texts containing "FAILME" get a step
/// error. It counts what it sees, and can throw on a chosen call to stand in for a model that stops loading.
final class FakeProcessor: DocumentProcessor, @unchecked Sendable {
    let lock = NSLock()
    var calls = 0
    var seen: [String] = []
    var batchSizes: [Int] = []
    var throwOnCall: Int?
    /// On this call, the records come back under the wrong document ids (a processor breaking its contract).
    var misnameOnCall: Int?
    var version = "1.0.0"
    var modelSHA = String(repeating: "a", count: 64)
    /// Texts containing this word get a step error (set to nil to stop failing them).
    var failWord: String? = "FAILME"
    var names = ["Alice", "Bob"]

    struct Boom: Error, CustomStringConvertible { var description: String { "model 'fake' failed to load" } }

    func process(_ documents: [Document]) throws -> [CanonicalRecord] {
        lock.lock()
        calls += 1
        let call = calls
        seen += documents.map(\.id)
        batchSizes.append(documents.count)
        lock.unlock()
        if call == throwOnCall { throw Boom() }
        if call == misnameOnCall {
            return documents.map { record(Document(id: $0.id + "-other", text: $0.text, source: $0.source)) }
        }
        return documents.map(record)
    }

    func record(_ d: Document) -> CanonicalRecord {
        var r = CanonicalRecord(document: d)
        let scalars = Array(d.text.unicodeScalars)
        for name in names {
            let pattern = Array(name.unicodeScalars)
            var i = 0
            while i + pattern.count <= scalars.count {
                if Array(scalars[i..<(i + pattern.count)]) == pattern {
                    r.entities.append(Entity(id: "e\(r.entities.count + 1)", type: .person, text: name, start: i, end: i + pattern.count,
                                             score: 0.9, producedBy: "pii"))
                    i += pattern.count
                } else { i += 1 }
            }
        }
        r.provenance.append(Provenance(step: "pii", adapter: .init(id: "fake-pii", version: version), model: .init(id: "fake", sha256: modelSHA),
                                       startedAt: "2025-01-01T00:00:00Z", durationMs: 2.5, tokensIn: 10, tokensOut: 0))
        if d.text.contains("obligation") {
            r.obligations.append(Obligation(id: "o1", text: "obligation", modality: .must, party: "Supplier", action: "deliver",
                                            deadline: nil, status: .unknown, evidence: [], producedBy: "duties"))
            r.provenance.append(Provenance(step: "duties", adapter: .init(id: "fake-duties", version: "1.0.0"),
                                           startedAt: "2025-01-01T00:00:00Z", durationMs: 40, tokensIn: 100, tokensOut: 20))
        }
        if let failWord, d.text.contains(failWord) {
            r.errors.append(StepError(step: "pii", kind: "invalid-output", message: "the fake model said no"))
        }
        return r
    }

    /// The fingerprint of the chain this processor stands for.
    func fingerprint(chainHash: String = "chain-1", dutiesVersion: String = "1.0.0") -> ChainFingerprint {
        ChainFingerprint(chain: "fake", chainFileSHA256: chainHash, steps: [
            .init(id: "pii", check: nil, adapters: [.init(id: "fake-pii", version: version, fileSHA256: "f1", model: "fake", modelFiles: ["weights": modelSHA])]),
            .init(id: "duties", check: nil, adapters: [.init(id: "fake-duties", version: dutiesVersion, fileSHA256: "f2", model: "fake2", modelFiles: [:])]),
            .init(id: "record", check: "schema-valid", adapters: []),
        ])
    }
}

/// A fresh temporary folder, removed by the caller with `cleanup()`.
struct TempDir {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("franca-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func file(_ relative: String, _ text: String) throws { try data(relative, Data(text.utf8)) }
    func data(_ relative: String, _ data: Data) throws {
        let u = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: u)
    }
    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

enum BatchHarness {
    /// Runs `processor` over `input` into `out` and writes summary and report, like `franca run --input --out`.
    static func run(_ processor: FakeProcessor, input: String, out: URL, fingerprint: ChainFingerprint? = nil,
                    options: BatchRunner.Options = .init(batchSize: 4), idField: String = "id", textField: String = "text")
        throws -> (BatchRunner.Outcome, RunSummary) {
        let runner = try BatchRunner(processor: processor, fingerprint: fingerprint ?? processor.fingerprint(), outDir: out, options: options)
        let source = try BatchInput.open(path: input, idField: idField, textField: textField, maxDocumentBytes: options.maxDocumentBytes)
        let outcome = try runner.run(input: source)
        let summary = try RunOutputs.write(outcome: outcome, runner: runner, input: input)
        return (outcome, summary)
    }

    /// The lines of records.jsonl, each parsed; fails on a torn or non-record line.
    static func records(_ out: URL) throws -> [CanonicalRecord] {
        let text = try String(contentsOf: out.appendingPathComponent("records.jsonl"), encoding: .utf8)
        guard expectNoTrailingGarbage(text) else { throw TornLine() }
        return try text.split(separator: "\n").map { try CanonicalRecord(json: JSONValue.parse(String($0))) }
    }

    static func ids(_ out: URL) throws -> [String] { try records(out).map(\.document.id) }

    static func allLinesValid(_ out: URL) throws -> Bool {
        let schema = try JSONSchema.canonical()
        let text = try String(contentsOf: out.appendingPathComponent("records.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").allSatisfy { schema.validate(try JSONValue.parse(String($0))).isEmpty }
    }
}

/// records.jsonl ends with a newline (no torn last line) unless empty.
func expectNoTrailingGarbage(_ text: String) -> Bool { text.isEmpty || text.hasSuffix("\n") }

struct TornLine: Error, CustomStringConvertible { var description: String { "records.jsonl ends in a torn line" } }
