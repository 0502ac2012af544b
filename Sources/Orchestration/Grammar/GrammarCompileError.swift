/// Why a JSON Schema could not become a generation grammar: the keyword, where it is (a JSON Pointer into the
/// schema document) and what to do about it.
///
/// The grammar never drops a keyword silently: what it cannot enforce while decoding is refused here, so an
/// adapter's native output always validates against the schema it declares.
public struct GrammarCompileError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// A keyword the grammar cannot enforce (`format`, `uniqueItems`, `allOf`, ...).
        case unsupportedKeyword
        /// A supported keyword used in a way the grammar cannot enforce (a regex feature, `$ref` to another file).
        case unsupportedUse
        /// The keyword's value is malformed.
        case invalidValue
        /// No JSON value satisfies the schema here (`minLength` above `maxLength`, an empty `enum`).
        case unsatisfiable
    }

    public var kind: Kind
    /// The keyword at fault (`format`), or `schema` for a problem with a whole subschema.
    public var keyword: String
    /// JSON Pointer to the keyword (`/properties/date/format`); empty for the document itself.
    public var pointer: String
    public var message: String
    /// Further problems found in the same schema (all are reported at once).
    public var additionalProblems: [GrammarCompileError] = []

    public init(_ kind: Kind, keyword: String, pointer: String, _ message: String) {
        self.kind = kind
        self.keyword = keyword
        self.pointer = pointer
        self.message = message
    }

    /// This problem and every additional one, in the order found.
    public var allProblems: [GrammarCompileError] {
        var first = self
        first.additionalProblems = []
        return [first] + additionalProblems
    }

    public var description: String {
        "schema keyword \"\(keyword)\" at #\(pointer) cannot be used for constrained decoding: \(message)"
    }
}
