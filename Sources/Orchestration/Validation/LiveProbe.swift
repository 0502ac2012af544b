import Canonical
import Foundation

/// A document the live probe runs the model on.
public struct LiveSample: Sendable, Hashable {
    /// Root-relative path or file name, for the report.
    public var name: String
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}

/// `franca validate --live`: runs the real model on sample documents and checks each actual native output against
/// the native output schema (the new one when given) — catching a model whose behaviour drifted without a schema
/// change — then replays the adapter's transforms on it.
///
/// Sample documents: the files given with `--sample`, else every `*.txt` under the project's `Examples/` folder
/// (recursively, sorted), the documents the chains are demonstrated on.
public enum LiveProbe {
    /// Why the probe cannot run for this adapter yet, or nil when it can.
    public static func unavailableReason(_ adapter: AdapterDefinition) -> String? {
        let pair = "\(adapter.model.format.rawValue)/\(adapter.model.architecture)"
        switch adapter.model.task {
        case .tokenClassification:
            guard ModelLoader.supported.contains(pair) else {
                return "live probe needs a runner for \(pair) (supported: \(ModelLoader.supported.joined(separator: ", ")))"
            }
            return nil
        case .generation:
            return "live probe needs the decoder: generative adapters are probed once prompts can be rendered and decoded here"
        case .embedding:
            return "live probe needs the native-output builder for embedding adapters (\(adapter.id)'s native output is computed from embeddings by the executor)"
        }
    }

    /// Every `*.txt` under `root/Examples`, recursively, sorted by path.
    public static func defaultSamples(root: URL) throws -> [LiveSample] {
        let dir = root.appendingPathComponent("Examples")
        guard let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        var urls: [URL] = []
        for case let url as URL in walker where url.pathExtension == "txt" { urls.append(url) }
        let base = root.standardizedFileURL.path
        return try urls.sorted { $0.path < $1.path }.map { url in
            var name = url.standardizedFileURL.path
            if name.hasPrefix(base + "/") { name = String(name.dropFirst(base.count + 1)) }
            return try sample(url, name: name)
        }
    }

    public static func sample(_ url: URL, name: String) throws -> LiveSample {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw AdapterValidationError.unreadableSample(path: url.path, reason: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw AdapterValidationError.unreadableSample(path: url.path, reason: "not UTF-8 text")
        }
        return LiveSample(name: name, text: text)
    }

    /// The probe's report for an adapter that cannot be probed yet.
    public static func skipped(_ reason: String) -> LiveReport {
        LiveReport(status: .skipped, message: reason, samples: [])
    }

    /// Runs a token classifier on the samples and checks its native outputs against `schema`.
    public static func run(adapter: AdapterDefinition, runner: any ModelRunner, samples: [LiveSample],
                           schema: LoadedSchema) throws -> LiveReport {
        guard adapter.model.task == .tokenClassification else {
            return skipped(unavailableReason(adapter) ?? "live probe supports token classifiers only")
        }
        guard !samples.isEmpty else {
            return LiveReport(status: .failed, message: "no sample documents: add *.txt files under Examples/ or pass --sample FILE",
                              samples: [])
        }
        var window = TokenWindowSpec()
        if case .text(let input) = adapter.input, let w = input.window {
            window = TokenWindowSpec(maxTokens: w.maxTokens, overlap: w.overlap)
        }
        let results = try runner.classifyTokens(samples.map(\.text), window: window)
        let reports = zip(samples, results).map { sample, result in
            judge(adapter: adapter, sample: sample, native: result.nativeJSON(), classification: result, schema: schema)
        }
        return report(reports, schema: schema)
    }

    /// One sample's native output checked against the schema and replayed through the transforms.
    public static func judge(adapter: AdapterDefinition, sample: LiveSample, native: JSONValue,
                             classification: TokenClassification? = nil, schema: LoadedSchema) -> LiveReport.Sample {
        let violations = schema.schema.validate(native)
        var produced = 0
        var replayError: String?
        do {
            let fragment = try ExampleReplay.canonicalFragment(adapter: adapter, native: native, documentText: sample.text,
                                                               classification: classification)
            produced = fragment.values.reduce(0) { $0 + ($1.arrayValue?.count ?? 1) }
        } catch {
            replayError = "\(error)"
        }
        let items = native.objectValue?.values.first { $0.arrayValue != nil }?.arrayValue?.count ?? 0
        return LiveReport.Sample(name: sample.name, conforms: violations.isEmpty, violationCount: violations.count,
                                 violations: violations.prefix(5).map(\.description), nativeItems: items,
                                 produced: produced, replayError: replayError)
    }

    /// The probe's verdict over judged samples.
    public static func report(_ samples: [LiveReport.Sample], schema: LoadedSchema) -> LiveReport {
        let bad = samples.filter { !$0.conforms || $0.replayError != nil }
        let message = bad.isEmpty
            ? "\(samples.count) sample\(samples.count == 1 ? "" : "s") conform to \(schema.path)"
            : "\(bad.count) of \(samples.count) samples do not conform to \(schema.path)"
        return LiveReport(status: bad.isEmpty ? .passed : .failed, message: message, samples: samples)
    }
}
