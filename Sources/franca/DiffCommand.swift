import ArgumentParser
import Canonical
import Foundation
import Orchestration

/// `franca diff RUN_A RUN_B`: what changed between two batch runs, per document and canonical field, each change
/// attributed to the step that produced the item and to what differs in that step (adapter, model).
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two batch runs' records per document and field, naming the steps whose adapter or model differs.",
        discussion: """
        RUN_A and RUN_B are --out folders of `franca run CHAIN --input … --out …` (or their records.jsonl files). \
        Items are matched by identity — entities by type and span, obligations by modality and text, artifacts \
        by kind/path/step, findings by rule and evidence, errors by step and kind — and reported as added (+), \
        removed (-) or changed (~). Each change names the step that produced the item and what differs in that \
        step between the runs: adapter version or model sha256 from the records' provenance, else from the runs' \
        summary.json fingerprints (an adapter file edited without a version bump, a chain edit).
        Exit codes: 0 no differences, 1 differences found, 64 usage error (a run folder missing or unreadable).
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: ArgumentHelp("The earlier run's output folder.", valueName: "RUN_A")) var runA: String
    @Argument(help: ArgumentHelp("The later run's output folder.", valueName: "RUN_B")) var runB: String
    @Option(name: .long, help: "Output format: text or json.") var format: Format = .text

    func run() throws {
        let diff: RunDiff
        do { diff = try RunDiff(runA: runA, runB: runB) } catch {
            throw ProjectOptions.usage("\(error)")
        }
        switch format {
        case .text: print(diff.text(), terminator: "")
        case .json: print(diff.json().serialized(options: [.pretty]))
        }
        if diff.hasDifferences { throw ExitCode(1) }
    }
}
