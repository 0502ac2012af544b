import ArgumentParser
import Orchestration

@main
struct Franca: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "franca",
        abstract: "Link local models through one canonical schema: one adapter per model, chains in YAML.",
        discussion: """
        Authoring:  check, schema, validate-record, validate (adapters against changed model schemas)
        Models:     models pull|list, inspect, tokenize, generate, tag, embed
        Running:    run (one document or a batch), diff (two runs), eval (against a gold set)
        Speed:      bench generate|ner|embed|kernels|grammar
        Output meant for programs is JSON on stdout; progress and logs go to stderr.
        Exit codes: 0 ok, 1 problems found, 64 usage error.
        """,
        version: "franca \(FrancaInfo.version) (schema \(FrancaInfo.schemaVersion))",
        subcommands: [
            CheckCommand.self,
            InspectCommand.self,
            ModelsCommand.self,
            TokenizeCommand.self,
            GenerateCommand.self,
            TagCommand.self,
            EmbedCommand.self,
            BenchCommand.self,
            SchemaCommand.self,
            ValidateRecordCommand.self,
            RunCommand.self,
            DiffCommand.self,
            EvalCommand.self,
            ValidateCommand.self,
        ]
    )
}
