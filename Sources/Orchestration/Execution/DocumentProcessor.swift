import Canonical

/// Turns documents into canonical records: the seam between the batch runner and chain execution.
///
/// A document's own failure (a step that threw, a check that failed) is recorded in that record's `errors[]`
/// and never thrown; `process` throws only when nothing can run at all (a model that will not load).
public protocol DocumentProcessor: AnyObject, Sendable {
    /// One record per document, in the order given. Several documents at once let model calls batch.
    func process(_ documents: [Document]) throws -> [CanonicalRecord]
}
