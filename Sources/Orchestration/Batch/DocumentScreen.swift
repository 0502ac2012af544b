import Canonical
import Foundation

/// Decides, before any model sees it, whether an input item is a document worth running: bad documents fail
/// alone with a record of their own instead of stopping the batch.
///
/// Policy (one place, so it is easy to state): invalid UTF-8 is **rejected**, not repaired — offsets in a record
/// must point into the text the user has, and a replacement character would silently shift what the models read.
/// A rejected document's record keeps an empty `document.text` (its bytes may be huge or binary) and carries
/// `metadata.rejected` (the kind) and `metadata.byteCount`, plus one `errors[]` entry with step `input`.
public struct DocumentScreen: Sendable {
    /// The `errors[].step` of a document rejected before the chain ran.
    public static let inputStep = "input"

    /// Failure kinds, as they appear in `errors[].kind`, the ledger and `summary.json`.
    public enum Kind: String, Sendable, CaseIterable {
        case invalidUTF8 = "invalid-utf8"
        case empty
        case binary
        case tooLarge = "too-large"
        case unreadable
        case invalidJSON = "invalid-json"
        case missingID = "missing-id"
        case missingText = "missing-text"
    }

    public var maxDocumentBytes: Int
    /// Share of control characters (other than tab, newline, carriage return, form feed) above which a text is
    /// binary; any NUL makes it binary too.
    public var maxControlRatio: Double

    public init(maxDocumentBytes: Int = 1 << 20, maxControlRatio: Double = 0.1) {
        self.maxDocumentBytes = maxDocumentBytes
        self.maxControlRatio = maxControlRatio
    }

    public enum Verdict: Sendable {
        case accepted(Document)
        /// A finished record holding only the document and its `input` error.
        case rejected(CanonicalRecord, kind: String)
    }

    public func screen(_ item: InputItem) -> Verdict {
        func reject(_ kind: String, _ message: String, byteCount: Int?) -> Verdict {
            var metadata = item.metadata
            metadata["rejected"] = .string(kind)
            if let byteCount { metadata["byteCount"] = .integer(Int64(byteCount)) }
            let document = Document(id: item.id, text: "", source: item.source, mediaType: item.mediaType, metadata: metadata)
            let error = StepError(step: Self.inputStep, kind: kind, message: message)
            return .rejected(CanonicalRecord(document: document, errors: [error]), kind: kind)
        }
        switch item.content {
        case .oversized(let count):
            return reject(Kind.tooLarge.rawValue, "document is \(count) bytes, more than the limit of \(maxDocumentBytes) (raise it with --max-document-bytes)", byteCount: count)
        case let .unreadable(kind, message):
            return reject(kind, message, byteCount: nil)
        case .bytes(let data):
            if data.count > maxDocumentBytes {
                return reject(Kind.tooLarge.rawValue, "document is \(data.count) bytes, more than the limit of \(maxDocumentBytes) (raise it with --max-document-bytes)", byteCount: data.count)
            }
            if let offset = item.invalidUTF8Offset ?? UTF8Check.firstInvalidOffset([UInt8](data)) {
                return reject(Kind.invalidUTF8.rawValue, "not valid UTF-8: first bad byte at offset \(offset); documents are rejected, not repaired (convert the file to UTF-8)", byteCount: data.count)
            }
            let text = String(decoding: data, as: UTF8.self)
            if let why = binaryReason(text) {
                return reject(Kind.binary.rawValue, "looks binary, not text: \(why)", byteCount: data.count)
            }
            if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
                return reject(Kind.empty.rawValue, data.isEmpty ? "document is empty" : "document holds only whitespace", byteCount: data.count)
            }
            return .accepted(Document(id: item.id, text: text, source: item.source, mediaType: item.mediaType, metadata: item.metadata))
        }
    }

    /// Why a text looks binary: a NUL, or too many control characters.
    func binaryReason(_ text: String) -> String? {
        var total = 0, control = 0
        for scalar in text.unicodeScalars {
            total += 1
            if scalar.value == 0 { return "contains a NUL character at scalar offset \(total - 1)" }
            if scalar.value < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D].contains(scalar.value) || scalar.value == 0x7F { control += 1 }
        }
        guard total > 0 else { return nil }
        let ratio = Double(control) / Double(total)
        if ratio > maxControlRatio {
            return "\(control) of \(total) characters are control characters (more than \(Int(maxControlRatio * 100))%)"
        }
        return nil
    }
}
