import Foundation
import Inference

/// A BERT encoder (token classifier or sentence embedder) with its WordPiece tokenizer.
public final class BertRunner: ModelRunner, @unchecked Sendable {
    public let modelID: String
    public let model: BertModel
    public let tokenizer: WordPieceTokenizer
    /// Sequences per forward pass when several documents or windows are batched together.
    public var batchSize = 16

    public init(modelID: String, model: BertModel, tokenizer: WordPieceTokenizer) {
        self.modelID = modelID
        self.model = model
        self.tokenizer = tokenizer
    }

    public var labels: [String] { model.labels }

    public func tokenize(_ text: String) throws -> [TokenPiece] {
        tokenizer.tokenize(text).map { TokenPiece(id: $0.id, text: $0.text, start: $0.start, end: $0.end, wordIndex: $0.wordIndex) }
    }

    public func classifyTokens(_ texts: [String], window: TokenWindowSpec) throws -> [TokenClassification] {
        guard model.hasClassifier else { throw ModelRunnerError.unsupportedTask(modelID: modelID, task: "classify tokens") }
        let budget = min(window.maxTokens, model.config.maxPositions - 2)
        // Cut every document into windows, then run all windows of all documents in shared batches.
        let docs = try texts.parallelMap { text -> (tokens: [WordPieceToken], windows: [Range<Int>]) in
            let tokens = tokenizer.tokenize(text)
            let windows = try TokenWindowing.windows(wordIDs: tokens.map(\.wordIndex), maxTokens: budget,
                                                     overlap: min(window.overlap, budget - 1))
            return (tokens, windows)
        }
        let sequences = docs.flatMap { doc in
            doc.windows.map { w in [tokenizer.clsID] + doc.tokens[w].map(\.id) + [tokenizer.sepID] }
        }
        var probabilities: [[[Float]]] = []
        probabilities.reserveCapacity(sequences.count)
        var i = 0
        while i < sequences.count {
            let j = min(i + batchSize, sequences.count)
            probabilities += try ForwardPassClock.measure { try model.classifyTokens(batch: Array(sequences[i ..< j])) }
            i = j
        }
        // Each document's first window among the batch's sequences.
        var firsts: [Int] = []
        var next = 0
        for doc in docs { firsts.append(next); next += doc.windows.count }
        let labels = model.labels
        let results = zip(docs, firsts).parallelMap { doc, first -> TokenClassification in
            // Drop [CLS] and [SEP] rows: row k + 1 is the window's k-th token.
            let outputs = doc.windows.enumerated().map { k, w in Array(probabilities[first + k][1 ..< 1 + w.count]) }
            let merged = TokenWindowing.merge(windows: doc.windows, outputs: outputs, tokenCount: doc.tokens.count) ?? []
            let tokens = zip(doc.tokens, merged).map { token, p -> ClassifiedToken in
                var best = 0
                for k in p.indices where p[k] > p[best] { best = k }
                return ClassifiedToken(text: token.text, id: token.id, start: token.start, end: token.end,
                                       wordIndex: token.wordIndex, label: best < labels.count ? labels[best] : "\(best)",
                                       score: p.isEmpty ? 0 : p[best], probabilities: p)
            }
            return TokenClassification(labels: labels, tokens: tokens, windowCount: doc.windows.count)
        }
        return results
    }

    public func embed(_ texts: [String], maxTokens: Int) throws -> [[Float]] {
        let budget = max(1, min(maxTokens, model.config.maxPositions - 2))
        let sequences = texts.map { text -> [Int32] in
            let ids = tokenizer.tokenize(text).prefix(budget).map(\.id)
            return [tokenizer.clsID] + ids + [tokenizer.sepID]
        }
        var out: [[Float]] = []
        var i = 0
        while i < sequences.count {
            let j = min(i + batchSize, sequences.count)
            out += try ForwardPassClock.measure { try model.embed(batch: Array(sequences[i ..< j])) }
            i = j
        }
        return out
    }
}
