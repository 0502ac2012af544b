import Canonical
import Foundation
import Inference

/// The default `ConstraintProvider`: compiles a generative adapter's native output schema into a grammar
/// (once per adapter) and masks decoding over the runner's vocabulary (one token trie per model, built on first
/// use). Adapters with `grammar: native-output` therefore always produce JSON that parses and validates.
public enum NativeOutputGrammar {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var vocabularies: [String: GrammarVocabulary] = [:]
    nonisolated(unsafe) private static var grammars: [String: JSONSchemaGrammar] = [:]

    public static let provider: ConstraintProvider = { adapter, runner, schema in
        try constraint(cacheKey: "\(adapter.id)@\(adapter.version)", modelID: runner.modelID, runner: runner,
                       schema: schema.root)
    }

    /// A fresh constraint for one generation; nil when the runner has no tokenizer (not a generator).
    public static func constraint(cacheKey: String, modelID: String, runner: any ModelRunner,
                                  schema: JSONValue) throws -> GrammarTokenConstraint? {
        guard let tokenizer = runner.textTokenizer else { return nil }
        lock.lock()
        defer { lock.unlock() }
        let grammar: JSONSchemaGrammar
        if let g = grammars[cacheKey] {
            grammar = g
        } else {
            grammar = try JSONSchemaGrammar(schema: schema)
            grammars[cacheKey] = grammar
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
