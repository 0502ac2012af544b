import ArgumentParser
import Canonical
import Foundation
import Inference
import Orchestration

/// `franca tokenize MODEL --text …`: token ids (and offsets where the tokenizer keeps them), as JSON.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokenize a text with a model's tokenizer: ids, pieces and offsets (JSON).",
        discussion: """
        MODEL is an adapter id or model id of the project, or a path to a .gguf file (its byte-level BPE or \
        SentencePiece tokenizer, built from the file's metadata; ids only). WordPiece offsets count Unicode scalars.
        """
    )

    @Argument(help: "Adapter id, model id, or path to a .gguf file.") var model: String
    @OptionGroup var document: DocumentInput
    @OptionGroup var options: ModelOptions

    @Flag(help: "GGUF: do not add the BOS token the model's metadata asks for.") var noBos = false
    @Flag(help: "GGUF: treat special-token text such as <|im_start|> as plain text.") var noParseSpecial = false

    func run() throws {
        let text = try document.read()
        if model.hasSuffix(".gguf") || FileManager.default.fileExists(atPath: model) {
            let tokenizer = try GGUFTokenizerFactory.make(gguf: try GGUFFile(path: model))
            let ids = tokenizer.encode(text, addSpecial: !noBos, parseSpecial: !noParseSpecial)
            let pieces = ids.map { JSONValue.string(tokenizer.tokenText($0) ?? "") }
            let out: JSONObject = ["model": .string(model), "count": .integer(Int64(ids.count)),
                                   "ids": .array(ids.map { .integer(Int64($0)) }), "pieces": .array(pieces)]
            print(JSONValue.object(out).serialized(options: [.pretty]))
            return
        }
        let (_, catalog, definition, _) = try options.resolve(model)
        let runner = try options.load(definition, catalog: catalog)
        let tokens = try runner.tokenize(text)
        let out: JSONObject = [
            "model": .string(definition.id), "count": .integer(Int64(tokens.count)),
            "tokens": .array(tokens.map { t in
                var o: JSONObject = ["id": .integer(Int64(t.id)), "text": .string(t.text),
                                     "start": .integer(Int64(t.start)), "end": .integer(Int64(t.end))]
                if let w = t.wordIndex { o["word"] = .integer(Int64(w)) }
                return .object(o)
            }),
        ]
        print(JSONValue.object(out).serialized(options: [.pretty]))
    }
}
