import Canonical

/// One step turning native model output into canonical fields. An adapter lists them in order; each kind has its
/// own typed options so an unknown option is a load error, not a silently ignored key.
public enum OutputTransform: Sendable {
    case bioSpans(BIOSpansTransform)
    case json(JSONMapTransform)
    case unifiedDiff(UnifiedDiffTransform)
    case embedding(EmbeddingTransform)

    /// The kind names as written after `transform:`.
    public enum Kind: String, Sendable, CaseIterable {
        case bioSpans = "bio-spans"
        case json
        case unifiedDiff = "unified-diff"
        case embedding
    }

    public var kind: Kind {
        switch self {
        case .bioSpans: return .bioSpans
        case .json: return .json
        case .unifiedDiff: return .unifiedDiff
        case .embedding: return .embedding
        }
    }
}

/// Per-token BIO labels → entity spans with character offsets (word-piece aggregation, label maps, merges).
public struct BIOSpansTransform: Sendable {
    /// How word pieces of one word share a label (Hugging Face's aggregation strategies).
    public enum Strategy: String, Sendable, CaseIterable {
        case simple, first, average, max
    }

    /// Where the token list is in the native output (default `/tokens`); each token has `label` and offsets.
    public var from: NativePointer
    /// A canonical array field, `entities`.
    public var into: CanonicalPath
    public var strategy: Strategy
    /// Spans scoring below this are dropped.
    public var threshold: Double
    /// Model label (without `B-`/`I-`) → canonical entity type, in file order. Labels not listed are dropped.
    public var labels: [(native: String, canonical: String)]
    /// Adjacent typed pieces joined into one entity.
    public var merge: [LabelMerge]
    public var location: SourceLocation
}

/// `{ parts: [GIVEN_NAME, SURNAME], as: PERSON }`: adjacent spans with these model labels become one entity of
/// type `as`, keeping the pieces as attributes.
public struct LabelMerge: Sendable, Hashable {
    public var parts: [String]
    public var type: String
}

/// JSON field mapping by path: native pointers (with `*`) → canonical paths (with `[]`).
public struct JSONMapTransform: Sendable {
    public var map: [FieldMapping]
    public var location: SourceLocation

    public init(map: [FieldMapping], location: SourceLocation = SourceLocation(file: "<memory>")) {
        self.map = map; self.location = location
    }
}

/// A unified diff in the native output → one canonical artifact of kind `diff`.
public struct UnifiedDiffTransform: Sendable {
    /// What the native string holds.
    public enum Source: String, Sendable {
        /// A unified diff (`from: /diff`).
        case diff = "from"
        /// The whole changed file (`file: /content`): the diff is computed against the record's `code` artifact
        /// with the same path, so the model never writes diff syntax.
        case file
    }

    /// Where the diff text (or the changed file) is (`/diff`).
    public var from: NativePointer
    public var source: Source = .diff
    /// Where the target file path is (`/path`), if the model reports it.
    public var path: NativePointer?
    /// A canonical array field, `artifacts`.
    public var into: CanonicalPath
    public var location: SourceLocation
}

/// A pooled embedding vector → a canonical field.
public struct EmbeddingTransform: Sendable {
    public var from: NativePointer
    public var into: CanonicalPath
    public var normalize: Bool
    public var location: SourceLocation
}
