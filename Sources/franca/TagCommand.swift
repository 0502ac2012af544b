import ArgumentParser
import Canonical
import Foundation
import Orchestration

/// `franca tag MODEL --text …`: per-token labels with offsets and the aggregated spans, as JSON.
struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Run a token-classification model on a text: per-token labels and aggregated spans (JSON).",
        discussion: """
        MODEL is an adapter id or a model id of the project (e.g. rampart-pii). Spans follow the adapter's \
        bio-spans transform (strategy, threshold, label map, merges); offsets count Unicode scalars. Long texts \
        are read in overlapping windows. A model missing on this machine is fetched first.
        """
    )

    @Argument(help: "Adapter or model id.") var model: String
    @OptionGroup var document: DocumentInput
    @OptionGroup var options: ModelOptions

    @Flag(help: "Leave out the per-token list.") var spansOnly = false

    func run() throws {
        let text = try document.read()
        let (_, catalog, definition, adapter) = try options.resolve(model)
        let runner = try options.load(definition, catalog: catalog)
        var window = TokenWindowSpec()
        if let adapter, case let .text(input) = adapter.input, let w = input.window {
            window = TokenWindowSpec(maxTokens: w.maxTokens, overlap: w.overlap)
        }
        guard let result = try runner.classifyTokens([text], window: window).first else { return }
        let transform = adapter?.output.lazy.compactMap { t -> BIOSpansTransform? in
            if case let .bioSpans(b) = t { return b } else { return nil }
        }.first
        let aggregator = transform.map { BIOSpanAggregator(transform: $0, labels: result.labels) }
            ?? .identity(labels: result.labels)
        let spans = aggregator.entities(result, text: text)
        var out: JSONObject = ["model": .string(definition.id)]
        if let adapter { out["adapter"] = .string(adapter.id) }
        out["windows"] = .integer(Int64(result.windowCount))
        if !spansOnly, case let .array(tokens)? = result.nativeJSON()["tokens"] { out["tokens"] = .array(tokens) }
        out["spans"] = .array(spans.map { $0.json() })
        print(JSONValue.object(out).serialized(options: [.pretty]))
    }
}
