import ArgumentParser
import Foundation

/// `franca bench …`: speed measured side by side with the reference runtime in the same invocation.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Franca against the reference runtime on this machine (figures, never pass/fail).",
        discussion: """
        Each benchmark runs Franca at 1 and 2 threads on a fixed synthetic corpus, then the reference runtime on \
        the same corpus when a Python with it is available (--python, or $FRANCA_REF_PYTHON), and prints the \
        ratios. Results are also written as JSON (--json-out).
        """,
        subcommands: [BenchSuiteCommand.self, BenchGenerateCommand.self, BenchBatchCommand.self, BenchEncoderCommand.NER.self, BenchEncoderCommand.Embed.self, BenchKernelsCommand.self, BenchGrammarCommand.self]
    )
}
