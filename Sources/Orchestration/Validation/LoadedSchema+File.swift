import Canonical
import Foundation

extension LoadedSchema {
    /// A schema file outside the project's catalog (`franca validate --native-output NEW.schema.json`), compiled;
    /// its `$ref`s may point to files next to it. `display` is how reports name it.
    public static func file(_ url: URL, display: String) throws -> LoadedSchema {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw AdapterValidationError.schemaFile(path: display, problems: ["no such file"])
        }
        do {
            let schema = try JSONSchema.load(contentsOf: url, root: url.deletingLastPathComponent())
            return LoadedSchema(path: display, schema: schema, shape: SchemaShape(document: schema.root))
        } catch {
            throw AdapterValidationError.schemaFile(path: display, problems: error.allProblems.map(\.summary))
        }
    }

    /// A schema already compiled (tests, schemas built in memory), named `display` in reports.
    public static func compiled(_ schema: JSONSchema, display: String) -> LoadedSchema {
        LoadedSchema(path: display, schema: schema, shape: SchemaShape(document: schema.root))
    }
}
