import Foundation
import Canonical

extension AdapterLoader {
    /// A generative adapter decoding under `grammar: native-output` needs a native output schema the grammar can
    /// enforce: every keyword it cannot is reported at its place in the schema file (never silently dropped), so
    /// `franca check` fails before any generation runs.
    func checkGrammar(_ mode: PromptInput.GrammarMode, context: Context) {
        guard mode == .nativeOutput, context.task == .generation, let output = context.nativeOutput else { return }
        do {
            _ = try JSONSchemaGrammar(schema: output.schema.root)
        } catch {
            let url = schemas.paths.root.appendingPathComponent(output.path)
            let map = (try? Data(contentsOf: url)).flatMap { try? JSONValue.parseWithSourceMap(bytes: [UInt8]($0)).sourceMap }
            for problem in error.allProblems {
                let at = map?.location(ofPointer: problem.pointer)
                let d = Diagnostic(SourceLocation(file: output.path, line: at?.line, column: at?.column),
                                   "native output schema cannot be enforced while decoding (input.grammar: native-output): "
                                   + "keyword \"\(problem.keyword)\" at #\(problem.pointer): \(problem.message)",
                                   expected: "keywords of the grammar subset (see JSONSchemaGrammar), or input.grammar: none")
                // Adapters sharing one schema report its problems once.
                if !reader.log.diagnostics.contains(d) { reader.log.report(d) }
            }
        }
    }
}
