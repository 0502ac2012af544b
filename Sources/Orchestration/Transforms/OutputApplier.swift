import Canonical
import Foundation

/// Applies an adapter's `output:` transforms, in order, to one record: native output in, canonical record out.
/// After each transform the record must still validate against the canonical schema; otherwise the error names
/// that transform.
public struct OutputApplier: Sendable {
    public var adapter: AdapterDefinition
    public var context: CanonicalWriteContext
    public var canonical: JSONSchema

    public init(adapter: AdapterDefinition, context: CanonicalWriteContext, canonical: JSONSchema) {
        self.adapter = adapter
        self.context = context
        self.canonical = canonical
    }

    /// - Parameter classification: the token classifier's full result (probabilities per label) when the native
    ///   output came from a live run; `bio-spans` then aggregates real probabilities instead of the native
    ///   output's arg-max label and score.
    public func apply(native: JSONValue, classification: TokenClassification? = nil,
                      to record: CanonicalRecord) throws -> CanonicalRecord {
        var json = try record.toJSONValue()
        for (index, transform) in adapter.output.enumerated() {
            switch transform {
            case .json(let t):
                try JSONMapTransformer.apply(t, index: index, native: native, to: &json, context: context)
            case .bioSpans(let t):
                try applyBIOSpans(t, index: index, native: native, classification: classification, to: &json)
            case .unifiedDiff(let t):
                try applyDiff(t, index: index, native: native, to: &json)
            case .embedding(let t):
                try applyEmbedding(t, index: index, native: native, to: &json)
            }
            let violations = canonical.validate(json)
            if !violations.isEmpty {
                throw TransformError(adapter: adapter.id, transform: index, path: "",
                                     kind: .invalidResult(violations.map(\.description)))
            }
        }
        switch Result(catching: { () throws(CanonicalDecodingError) -> CanonicalRecord in try CanonicalRecord(json: json) }) {
        case .success(let record): return record
        case .failure(let error):
            throw TransformError(adapter: adapter.id, transform: max(0, adapter.output.count - 1), path: error.pointer,
                                 kind: .invalidResult([error.description]))
        }
    }

    // MARK: bio-spans

    func applyBIOSpans(_ t: BIOSpansTransform, index: Int, native: JSONValue, classification: TokenClassification?,
                       to json: inout JSONValue) throws(TransformError) {
        let text = json["document"]?["text"]?.stringValue ?? ""
        let entities: [AggregatedEntity]
        if let classification {
            entities = BIOSpanAggregator(transform: t, labels: classification.labels).entities(classification, text: text)
        } else {
            let (tokens, labels) = try Self.taggedTokens(native, pointer: t.from, adapter: adapter.id, index: index)
            entities = BIOSpanAggregator(transform: t, labels: labels).entities(tokens: tokens, text: text)
        }
        guard case .field(let top)? = t.into.segments.first else { return }
        var byIndex: [Int: JSONValue] = [:]
        for (k, e) in entities.enumerated() {
            var o: JSONObject = ["type": .string(e.type), "text": .string(e.text), "start": .integer(Int64(e.start)),
                                 "end": .integer(Int64(e.end)), "score": .number(min(1, max(0, (e.score * 1e6).rounded() / 1e6)))]
            if e.parts.count > 1 {
                let scalars = Array(text.unicodeScalars)
                o["attributes"] = .object(["parts": .array(e.parts.map { p in
                    .object(["type": .string(p.label), "start": .integer(Int64(p.start)), "end": .integer(Int64(p.end)),
                             "text": .string(CanonicalDefaults.slice(.integer(Int64(p.start)), .integer(Int64(p.end)), scalars) ?? "")])
                })])
            }
            byIndex[k] = .object(o)
        }
        try JSONMapTransformer.merge(byIndex, into: top, record: &json, inPlace: false, text: text, step: context.step)
    }

    /// Tokens from a native token list (`label` + `score` only): the label gets the score, the rest share what
    /// is left, so the aggregation sees the same arg-max the model reported.
    static func taggedTokens(_ native: JSONValue, pointer: NativePointer, adapter: String,
                             index: Int) throws(TransformError) -> ([TaggedToken], [String]) {
        guard let list = JSONPaths.values(at: pointer, in: native).first?.value else {
            throw TransformError(adapter: adapter, transform: index, path: pointer.text, kind: .missingSource)
        }
        guard let items = list.arrayValue else {
            throw TransformError(adapter: adapter, transform: index, path: pointer.text,
                                 kind: .wrongShape(expected: "an array of tokens", found: list.typeName))
        }
        var labels = ["O"]
        for item in items {
            if let l = item["label"]?.stringValue, !labels.contains(l) { labels.append(l) }
        }
        var tokens: [TaggedToken] = []
        for (k, item) in items.enumerated() {
            guard let start = item["start"]?.intValue, let end = item["end"]?.intValue,
                  let label = item["label"]?.stringValue, let li = labels.firstIndex(of: label) else {
                throw TransformError(adapter: adapter, transform: index, path: "\(pointer.text)/\(k)",
                                     kind: .wrongShape(expected: "a token with start, end and label", found: item.typeName))
            }
            let score = Float(item["score"]?.doubleValue ?? 1)
            let rest = labels.count > 1 ? (1 - score) / Float(labels.count - 1) : 0
            var p = [Float](repeating: rest, count: labels.count)
            p[li] = score
            tokens.append(TaggedToken(start: start, end: end, wordIndex: item["word"]?.intValue, probabilities: p))
        }
        return (tokens, labels)
    }

    // MARK: unified-diff

    func applyDiff(_ t: UnifiedDiffTransform, index: Int, native: JSONValue, to json: inout JSONValue) throws(TransformError) {
        guard let value = JSONPaths.values(at: t.from, in: native).first?.value else {
            throw TransformError(adapter: adapter.id, transform: index, path: t.from.text, kind: .missingSource)
        }
        guard var diffText = value.stringValue else {
            throw TransformError(adapter: adapter.id, transform: index, path: t.from.text,
                                 kind: .wrongShape(expected: t.source == .file ? "the changed file as a string" : "a diff string",
                                                   found: value.typeName))
        }
        if t.source == .file { diffText = try fileDiff(t, index: index, file: diffText, native: native, record: json) }
        let diff: UnifiedDiff
        switch Result(catching: { () throws(UnifiedDiffError) -> UnifiedDiff in try UnifiedDiff.parse(diffText) }) {
        case .success(let d): diff = d
        case .failure(let error):
            throw TransformError(adapter: adapter.id, transform: index, path: t.from.text, kind: .malformedDiff(error))
        }
        var path = diff.files.first?.path
        if let p = t.path, let v = JSONPaths.values(at: p, in: native).first?.value {
            guard let s = v.stringValue, !s.isEmpty else {
                throw TransformError(adapter: adapter.id, transform: index, path: p.text,
                                     kind: .wrongShape(expected: "a non-empty path string", found: v.typeName))
            }
            path = s
        }
        var o: JSONObject = ["kind": "diff"]
        // The diff is in the language of the code it changes, when the record holds that code.
        let code = (json["artifacts"]?.arrayValue ?? []).first { $0["kind"]?.stringValue == "code" && $0["path"]?.stringValue == path }
        if let language = code?["language"] { o["language"] = language }
        if let path { o["path"] = .string(path) }
        o["content"] = .string(diffText)
        guard case .field(let top)? = t.into.segments.first else { return }
        try JSONMapTransformer.merge([0: .object(o)], into: top, record: &json, inPlace: false,
                                     text: json["document"]?["text"]?.stringValue ?? "", step: context.step)
    }

    /// `file:` — the diff from the record's `code` artifact at the answered path to the answered file. A changed
    /// file that drops the original's final newline keeps it (a JSON string's last `\n` is formatting, not a
    /// change anyone asked for); one that changes nothing is an error.
    func fileDiff(_ t: UnifiedDiffTransform, index: Int, file: String, native: JSONValue,
                  record json: JSONValue) throws(TransformError) -> String {
        let pointer = t.path ?? t.from
        let artifacts = (json["artifacts"]?.arrayValue ?? []).filter { $0["kind"]?.stringValue == "code" }
        let path: String
        if let p = t.path {
            guard let s = JSONPaths.values(at: p, in: native).first?.value.stringValue, !s.isEmpty else {
                throw TransformError(adapter: adapter.id, transform: index, path: pointer.text,
                                     kind: .wrongShape(expected: "a non-empty path string", found: "nothing"))
            }
            path = s
        } else {
            // No path in the answer: the file replaces the record's first code artifact.
            guard let s = artifacts.first?["path"]?.stringValue, !s.isEmpty else {
                throw TransformError(adapter: adapter.id, transform: index, path: pointer.text,
                                     kind: .wrongShape(expected: "a code artifact with a path in the record", found: "none"))
            }
            path = s
        }
        let code = artifacts.first { $0["path"]?.stringValue == path }
        guard let original = code?["content"]?.stringValue else {
            throw TransformError(adapter: adapter.id, transform: index, path: pointer.text,
                                 kind: .wrongShape(expected: "the path of a code artifact of the record", found: path.debugDescription))
        }
        var changed = file
        if original.hasSuffix("\n"), !changed.isEmpty, !changed.hasSuffix("\n") { changed += "\n" }
        guard let diff = UnifiedDiff.make(path: path, old: original, new: changed) else {
            throw TransformError(adapter: adapter.id, transform: index, path: t.from.text, kind: .unchangedFile)
        }
        return diff
    }

    // MARK: embedding

    func applyEmbedding(_ t: EmbeddingTransform, index: Int, native: JSONValue, to json: inout JSONValue) throws(TransformError) {
        guard let value = JSONPaths.values(at: t.from, in: native).first?.value else {
            throw TransformError(adapter: adapter.id, transform: index, path: t.from.text, kind: .missingSource)
        }
        guard let items = value.arrayValue, let vector = Optional(items.compactMap(\.doubleValue)), vector.count == items.count else {
            throw TransformError(adapter: adapter.id, transform: index, path: t.from.text,
                                 kind: .wrongShape(expected: "an array of numbers", found: value.typeName))
        }
        var out = vector
        if t.normalize {
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 0 { out = vector.map { $0 / norm } }
        }
        JSONPaths.write(.array(out.map { .number(($0 * 1e6).rounded() / 1e6) }), at: JSONPaths.steps(t.into, indices: []), into: &json)
    }
}
