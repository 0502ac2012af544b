import Canonical

/// Why an example's native JSON could not be turned into canonical fields.
public struct ReplayError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `output[0] json map[1]`.
    public var transform: String
    /// The native pointer where it failed.
    public var path: String
    public var message: String

    public var description: String { "\(transform) at \(path.isEmpty ? "/" : path): \(message)" }
}

/// Re-runs an adapter's output transforms on a native JSON (a golden example or a live model output) and returns
/// the canonical fields they produce — the one function `franca validate` replays examples through.
///
/// It drives the executor's own transforms (`JSONMapTransformer`, and `OutputApplier`'s bio-spans, unified-diff
/// and embedding steps) over a record that holds only the document, so the replay is exactly what a chain run
/// would write — ids, `producedBy` and defaults included. It skips the executor's canonical validation after each
/// transform: an example's `expect` is a fragment (a compliance verdict updates obligations another step made),
/// and `FragmentMatch` compares just the members the example lists.
public enum ExampleReplay {
    /// The canonical fields for one native output (without `document`). `documentText` is the text the model
    /// read; for token classifiers without it, the text is rebuilt from the tokens (gaps become spaces).
    /// `classification` (a live run) lets bio-spans aggregate real probabilities.
    /// `record`: canonical fields the record holds besides the document (an example's `record:`).
    public static func canonicalFragment(adapter: AdapterDefinition, native: JSONValue, documentText: String? = nil,
                                         classification: TokenClassification? = nil,
                                         record fields: JSONObject = [:]) throws(ReplayError) -> JSONObject {
        let text = documentText ?? rebuiltText(native: native, adapter: adapter)
        var start = fields
        start["document"] = .object(["text": .string(text)])
        var record = JSONValue.object(start)
        let context = CanonicalWriteContext(adapter: adapter.id, step: "validate")
        guard let canonical = try? JSONSchema.canonical() else {
            throw ReplayError(transform: "", path: "", message: "the built-in canonical schema did not load")
        }
        let applier = OutputApplier(adapter: adapter, context: context, canonical: canonical)
        for (i, transform) in adapter.output.enumerated() {
            let name = "output[\(i)] \(transform.kind.rawValue)"
            do throws(TransformError) {
                switch transform {
                case .json(let t):
                    try JSONMapTransformer.apply(t, index: i, native: native, to: &record, context: context)
                case .bioSpans(let t):
                    try applier.applyBIOSpans(t, index: i, native: native, classification: classification, to: &record)
                case .unifiedDiff(let t):
                    try applier.applyDiff(t, index: i, native: native, to: &record)
                case .embedding(let t):
                    try applier.applyEmbedding(t, index: i, native: native, to: &record)
                }
            } catch {
                throw ReplayError(transform: name, path: error.path, message: "\(error)")
            }
        }
        var fragment = record.objectValue ?? [:]
        fragment["document"] = nil
        return fragment
    }

    /// The document behind a token list, rebuilt from the pieces of the adapter's `bio-spans` source ("" otherwise).
    static func rebuiltText(native: JSONValue, adapter: AdapterDefinition) -> String {
        for case .bioSpans(let b) in adapter.output {
            guard let items = native.value(atPointer: b.from.text)?.arrayValue else { continue }
            return rebuiltText(items.compactMap { item in
                guard let start = item["start"]?.intValue, let end = item["end"]?.intValue, start <= end else { return nil }
                return (start, end, item["text"]?.stringValue ?? "")
            })
        }
        return ""
    }

    /// A document rebuilt from token pieces placed at their offsets (in Unicode scalars), spaces elsewhere.
    public static func rebuiltText(_ pieces: [(start: Int, end: Int, text: String)]) -> String {
        let length = pieces.map(\.end).max() ?? 0
        var scalars = [Unicode.Scalar](repeating: " ", count: length)
        for p in pieces {
            let s = Array(p.text.unicodeScalars)
            guard s.count == p.end - p.start, p.start >= 0 else { continue }
            for (k, c) in s.enumerated() where p.start + k < length { scalars[p.start + k] = c }
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }
}
