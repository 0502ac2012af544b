import ArgumentParser
import Canonical
import Foundation
import Orchestration

/// `franca embed MODEL --text …`: a normalised sentence embedding, as JSON.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Compute a sentence embedding (mean-pooled, L2-normalised) with an encoder model (JSON).",
        discussion: "MODEL is an adapter id or a model id of the project (e.g. minilm-compliance or all-minilm-l6-v2)."
    )

    @Argument(help: "Adapter or model id.") var model: String
    @OptionGroup var document: DocumentInput
    @OptionGroup var options: ModelOptions

    @Option(help: "Word pieces read at most (longer texts are truncated, as sentence-transformers does).")
    var maxTokens = 256

    func run() throws {
        let text = try document.read()
        let (_, catalog, definition, _) = try options.resolve(model)
        let runner = try options.load(definition, catalog: catalog)
        guard let vector = try runner.embed([text], maxTokens: maxTokens).first else { return }
        let out: JSONObject = ["model": .string(definition.id), "dimensions": .integer(Int64(vector.count)),
                               "embedding": .array(vector.map { .number(Double($0)) })]
        print(JSONValue.object(out).serialized(options: []))
    }
}
