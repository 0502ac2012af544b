import ArgumentParser
import Canonical
import Foundation
import Inference
import Orchestration

/// `franca eval CHAIN --gold GOLD.jsonl`: runs the chain on every gold document (or reads an earlier run's records)
/// and scores the records per step and per model, so a user can see which model earns which lane.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score a chain against a hand-labelled gold set: entities, obligations, schema-valid and check rates.",
        discussion: """
        GOLD.jsonl holds one labelled document a line (format: Examples/pii-gold/README.md): id, text, and \
        optionally entities [{type,start,end,text}] and obligations [{text,start,end,modality,party,deadline,\
        status}]. Without --records the chain runs on every gold document now (models are fetched if missing); \
        with --records RUN (a `franca run --out` folder or its records.jsonl) the records of that run are scored, \
        matched to gold documents by document id.
        Reported: entity precision/recall/F1 with exact span and type (strict) and with overlapping span and \
        same type (overlap), per type; obligations found and correct (every field the gold states agrees); \
        schema-valid rate; check pass rate — for the whole record, per step (with the adapters that ran it, a \
        fallback included) and per model.
        Exit codes: 0 scored; 1 the project has problems or a run failed to start; 64 usage error (gold file \
        or records unreadable: the message names file, line and field).
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "Chain name or path of a chain file.") var chain: String
    @Option(name: .long, help: ArgumentHelp("The gold set (JSONL).", valueName: "path")) var gold: String
    @Option(name: .long, help: ArgumentHelp("Score an earlier run's records instead of running the chain.", valueName: "run"))
    var records: String?
    @Option(name: .long, help: "Output format: text or json.") var format: Format = .text
    @Option(name: .customLong("batch-size"), help: "Documents per chain call when running (default 16).") var batchSize: Int = 16
    @OptionGroup var project: ProjectOptions
    @Option(name: .long, help: "Threads for the forward pass (default: $FRANCA_THREADS or every core).") var threads: Int?

    func run() throws {
        guard batchSize >= 1 else { throw ProjectOptions.usage("--batch-size must be at least 1") }
        let project = try self.project.loadProject()
        let definition = try ProjectOptions.chain(chain, in: project)
        let goldDocuments: [GoldDocument]
        do { goldDocuments = try GoldSet.load(URL(fileURLWithPath: gold)) } catch { throw ProjectOptions.usage("\(error)") }
        guard !goldDocuments.isEmpty else { throw ProjectOptions.usage("\(gold) holds no gold documents") }

        let scored: [CanonicalRecord]
        if let records {
            scored = try Self.readRecords(records)
        } else {
            scored = try runChain(definition, project: project, on: goldDocuments)
        }
        let schema = try project.canonical?.schema ?? JSONSchema.canonical()
        let report = Evaluator.evaluate(gold: goldDocuments, records: scored, schema: schema,
                                        options: Evaluator.Options(chain: definition, project: project))
        switch format {
        case .text: print(report.text(chain: definition.name, gold: gold), terminator: "")
        case .json:
            guard case var .object(o) = report.json() else { return }
            o["chain"] = .string(definition.name)
            o["gold"] = .string(gold)
            print(JSONValue.object(o).serialized(options: [.pretty]))
        }
    }

    /// Every gold document through the chain, in batches; progress on stderr.
    func runChain(_ definition: ChainDefinition, project: Project, on documents: [GoldDocument]) throws -> [CanonicalRecord] {
        let catalog = try ModelCatalog(project: project)
        let runtime = threads.map { RuntimeOptions(threads: $0) } ?? .default
        let runners = RunnerCache(catalog: catalog, store: ModelStore(), options: runtime, fetch: true)
        let executor = try ChainExecutor(project: project, chain: definition, runners: runners,
                                         options: .init(modelLoadFailure: .recordError, constraint: NativeOutputGrammar.provider))
        var out: [CanonicalRecord] = []
        var start = 0
        while start < documents.count {
            let slice = documents[start ..< min(start + batchSize, documents.count)]
            let seeds = slice.map { CanonicalRecord(document: Document(id: $0.id, text: $0.text, source: gold)) }
            out += try executor.run(seeds)
            start += slice.count
            Stderr.line("eval: \(start)/\(documents.count) documents through \(definition.name)")
        }
        return out
    }

    /// `RUN/records.jsonl` or a records file; a line that is not a canonical record is a usage error naming it.
    static func readRecords(_ path: String) throws -> [CanonicalRecord] {
        var isDirectory: ObjCBool = false
        let file = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? (path as NSString).appendingPathComponent("records.jsonl") : path
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ProjectOptions.usage("cannot read records '\(file)'")
        }
        var records: [CanonicalRecord] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
        where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) {
            do {
                records.append(try CanonicalRecord(json: try JSONValue.parse(Data(line))))
            } catch {
                throw ProjectOptions.usage("\(file):\(index + 1): not a canonical record: \(error)")
            }
        }
        return records
    }
}
