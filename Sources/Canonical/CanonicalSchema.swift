import Foundation

extension JSONSchema {
    /// Canonical `$id`; relative references from model schemas may name it.
    public static let canonicalID = "https://franca.dev/schemas/franca/v1/canonical.schema.json"

    /// The canonical record schema (`franca/v1`), compiled from the text embedded in the binary.
    public static func canonical() throws -> JSONSchema {
        let value: JSONValue
        do { value = try JSONValue.parse(CanonicalSchemaText.json) } catch {
            throw SchemaLoadError(kind: .parse, file: nil, schemaPath: "", line: error.line, column: error.column,
                                  message: "embedded canonical schema is not valid JSON: \(error.message)")
        }
        return try JSONSchema(json: value, baseURL: nil, root: nil)
    }
}
