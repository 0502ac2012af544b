import ArgumentParser
import Canonical
import Foundation
import Orchestration

/// `franca validate`: before deploying a changed model, say which adapters and chains it breaks.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check adapters against a changed model schema: static checks, schema diff, golden examples, live probe, chain impact.",
        discussion: """
        Without ADAPTER, every adapter of the project is validated. The old native schemas are the adapter's \
        declared files, or those at a git revision (--against-git REV) or in another checkout (--against DIR); \
        the new ones are given with --native-output/--native-input (one ADAPTER only), else the declared files. \
        --live runs the real model on sample documents (--sample FILE, default: every *.txt under Examples/) and \
        checks its native output against the native output schema. Rules: README.md (Compatibility rules); report: docs/validate.md.
        Exit codes: 0 compatible, 1 breaking, 2 validation could not run (unknown adapter, unreadable schema, \
        git problem); argument syntax errors exit 64 like every franca command.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "Adapter ids (default: all).") var adapters: [String] = []

    @Option(name: .customLong("native-output"), help: ArgumentHelp("The new native output schema.", valueName: "schema.json"))
    var nativeOutput: String?

    @Option(name: .customLong("native-input"), help: ArgumentHelp("The new native input schema.", valueName: "schema.json"))
    var nativeInput: String?

    @Flag(help: "Run the real model on sample documents and check its native output.") var live = false

    @Option(name: .customLong("sample"), help: ArgumentHelp("A sample document for --live (repeatable).", valueName: "file"))
    var samples: [String] = []

    @Option(name: .customLong("against-git"), help: ArgumentHelp("Compare with the adapter and schemas at this git revision.", valueName: "rev"))
    var againstGit: String?

    @Option(name: .customLong("against"), help: ArgumentHelp("Compare with the adapter and schemas of another project folder.", valueName: "dir"))
    var against: String?

    @Option(help: "Report format: text or json.") var format: Format = .text

    @OptionGroup var options: ModelOptions

    func run() throws {
        do {
            let report = try validate()
            switch format {
            case .json: print(report.json().serialized(options: [.pretty]))
            case .text: print(report.text(), terminator: "")
            }
            if report.isBreaking { throw ExitCode(1) }
        } catch let error as AdapterValidationError {
            Stderr.line("error: \(error)")
            throw ExitCode(2)
        } catch let error as ExitCode where error.rawValue == 64 {
            throw ExitCode(2)
        }
    }

    func validate() throws -> ValidationReport {
        if againstGit != nil && against != nil {
            throw AdapterValidationError.ambiguousSchemaOption(option: "--against and --against-git (give one)", adapters: adapters.count)
        }
        let root = try options.project.resolveRoot()
        let (loaded, diagnostics) = Project.load(root: root)
        guard let project = loaded else {
            throw AdapterValidationError.baselineNotADirectory(path: root.path)
        }
        let ids = adapters.isEmpty ? project.files.adapters.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension } : adapters
        for option in [("--native-output", nativeOutput), ("--native-input", nativeInput)] where option.1 != nil && ids.count != 1 {
            throw AdapterValidationError.ambiguousSchemaOption(option: option.0, adapters: ids.count)
        }
        var definitions: [AdapterDefinition] = []
        for id in ids {
            if let a = project.adapter(id) { definitions.append(a); continue }
            let file = "\(Project.adaptersFolder)/\(id).yaml"
            if project.files.adapters.contains(file) {
                for d in diagnostics where d.location.file == file { Stderr.line(d.description) }
                throw AdapterValidationError.adapterDidNotLoad(name: id, file: file)
            }
            let known = project.adapters.keys.sorted()
            throw AdapterValidationError.unknownAdapter(name: id, known: known, suggestion: Suggestions.closest(to: id, in: known))
        }

        var baseline: ValidationBaseline?
        var baselineDiagnostics: [Diagnostic] = []
        var scratch: URL?
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
        if let rev = againstGit {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("franca-validate-\(UUID().uuidString)")
            scratch = dir
            (baseline, baselineDiagnostics) = try ValidationBaseline.git(revision: rev, root: project.root, scratch: dir)
        } else if let against {
            let url = URL(fileURLWithPath: against, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            (baseline, baselineDiagnostics) = try ValidationBaseline.directory(url.standardizedFileURL)
        }

        var reports: [AdapterReport] = []
        for adapter in definitions {
            let declared: [SchemaEdge: LoadedSchema] = [
                .input: project.schemas[adapter.native.input], .output: project.schemas[adapter.native.output],
            ].compactMapValues { $0 }
            var old = declared
            var baselineVersion: SemanticVersion?
            if let baseline {
                let before = try baseline.adapter(adapter.id, diagnostics: baselineDiagnostics)
                baselineVersion = before.version
                old = [.input: baseline.project.schemas[before.native.input],
                       .output: baseline.project.schemas[before.native.output]].compactMapValues { $0 }
            }
            var new = declared
            if let nativeOutput { new[.output] = try Self.loadSchema(nativeOutput) }
            if let nativeInput { new[.input] = try Self.loadSchema(nativeInput) }
            let validation = AdapterValidation(adapter: adapter, canonical: project.canonical, old: old, new: new,
                                               baseline: baseline?.label ?? "declared", baselineVersion: baselineVersion)
            let liveReport = live ? try probe(adapter, project: project, schema: new[.output]) : nil
            reports.append(validation.run(chains: project.sortedChains, live: liveReport))
        }
        return ValidationReport(adapters: reports)
    }

    /// The live probe for one adapter (skipped with a reason when it cannot run yet).
    func probe(_ adapter: AdapterDefinition, project: Project, schema: LoadedSchema?) throws -> LiveReport {
        if let reason = LiveProbe.unavailableReason(adapter) { return LiveProbe.skipped(reason) }
        guard let schema else { return LiveProbe.skipped("the native output schema did not load") }
        let samples: [LiveSample]
        if self.samples.isEmpty {
            samples = try LiveProbe.defaultSamples(root: project.root)
        } else {
            samples = try self.samples.map { try LiveProbe.sample(URL(fileURLWithPath: $0), name: $0) }
        }
        let catalog = try ModelCatalog(project: project)
        let runner = try options.load(adapter.model, catalog: catalog)
        return try LiveProbe.run(adapter: adapter, runner: runner, samples: samples, schema: schema)
    }

    /// A schema file given on the command line, relative to the current directory.
    static func loadSchema(_ path: String) throws -> LoadedSchema {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return try LoadedSchema.file(URL(fileURLWithPath: path, relativeTo: cwd).standardizedFileURL, display: path)
    }
}
