import Canonical
import Foundation
import Inference

/// The default `ConstraintProvider`: compiles a generative adapter's native output schema into a grammar
/// (once per adapter) and masks decoding over the runner's vocabulary (one token trie per model, built on first
/// use). Adapters with `grammar: native-output` therefore always produce JSON that parses and validates. An
/// adapter that quotes the record (`input.quote`) gets a grammar per generation: its schema narrowed to the
/// record's pieces (`QuotedChoices`), compiled fresh and not kept.
public enum NativeOutputGrammar {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var vocabularies: [String: GrammarVocabulary] = [:]
    nonisolated(unsafe) private static var grammars: [String: JSONSchemaGrammar] = [:]

    public static let provider: ConstraintProvider = { adapter, runner, schema, choices in
        if choices.isEmpty {
            return try constraint(cacheKey: "\(adapter.id)@\(adapter.version)", modelID: runner.modelID, runner: runner,
                                  schema: schema.root)
        }
        return try constraint(cacheKey: nil, modelID: runner.modelID, runner: runner,
                              schema: try choices.narrowing(schema.root, adapter: adapter.id))
    }

    /// A fresh constraint for one generation; nil when the runner has no tokenizer (not a generator). The compiled
    /// grammar is kept under `cacheKey` (nil: compiled for this generation only).
    public static func constraint(cacheKey: String?, modelID: String, runner: any ModelRunner,
                                  schema: JSONValue) throws -> GrammarTokenConstraint? {
        guard let tokenizer = runner.textTokenizer else { return nil }
        lock.lock()
        defer { lock.unlock() }
        let grammar: JSONSchemaGrammar
        if let cacheKey, let g = grammars[cacheKey] {
            grammar = g
        } else {
            grammar = try JSONSchemaGrammar(schema: schema)
            if let cacheKey { grammars[cacheKey] = grammar }
        }
        let vocabulary: GrammarVocabulary
        if let v = vocabularies[modelID] {
            vocabulary = v
        } else {
            vocabulary = GrammarVocabulary(tokenizer: tokenizer)
            vocabularies[modelID] = vocabulary
        }
        return GrammarTokenConstraint(grammar: grammar, vocabulary: vocabulary)
    }
}
