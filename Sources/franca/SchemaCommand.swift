import ArgumentParser
import Canonical
import Foundation

/// `franca schema`: print the canonical record schema this binary validates against.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the canonical record schema (JSON Schema 2020-12, \(CanonicalVersion.current)).",
        discussion: """
        The schema is built into the binary, so this works anywhere. It is the contract every record Franca \
        writes validates against; save it with `franca schema > canonical.schema.json`.
        """
    )

    @Flag(name: .long, help: "Print it on one line instead of as authored.")
    var compact = false

    func run() throws {
        if compact {
            do {
                print(try JSONValue.parse(CanonicalSchemaText.json).serialized())
            } catch {
                FileHandle.standardError.write(Data("error: embedded schema is not valid JSON: \(error)\n".utf8))
                throw ExitCode(70)
            }
        } else {
            print(CanonicalSchemaText.json)
        }
    }
}
