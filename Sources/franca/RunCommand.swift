import ArgumentParser
import Canonical
import Foundation
import Inference
import Orchestration

/// `franca run CHAIN --text … | --file DOC | --record SEED.json`: one document through a chain, the canonical
/// record printed as pretty JSON after it validated against the canonical schema.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a chain on one document and print its canonical record (JSON).",
        discussion: """
        CHAIN is a chain name of the project (e.g. pii-redaction) or the path of its Chains/<name>.yaml file. \
        The document is --text, --file (a UTF-8 text file, '-' for stdin) or --record (a seed record: a \
        canonical record in JSON whose missing arrays are empty, e.g. a code-change request carrying its code \
        artifact). Models missing on this machine are fetched first. The record is validated against the \
        canonical schema before it is printed.

        Exit codes: 0 the record is printed and no step failed; 3 the record is printed but it has errors[] \
        (a step failed; what earlier steps produced is kept); 1 the project has problems or the record does \
        not validate (violations on stderr, nothing on stdout); 64 usage error.

        \(BatchRunOptions.discussion)
        """
    )

    @Argument(help: "Chain name or path of a chain file.") var chain: String
    @Option(name: .long, help: "The text to process.") var text: String?
    @Option(name: .long, help: ArgumentHelp("Read the document text from a file ('-' for stdin).", valueName: "path"))
    var file: String?
    @Option(name: .long, help: ArgumentHelp("Start from a seed record (canonical JSON, arrays optional).", valueName: "path"))
    var record: String?
    @Option(name: .long, help: "Document id (default: the file name, or 'text').") var id: String?
    @Option(name: .long, help: ArgumentHelp("Batch input: a folder of .txt/.md files, a JSONL file, or '-' (JSONL on stdin).", valueName: "path"))
    var input: String?
    @Option(name: .long, help: ArgumentHelp("Batch output folder (records.jsonl, ledger.sqlite, summary.json, report.html).", valueName: "dir")) var out: String?
    @OptionGroup(title: "Batch runs") var batch: BatchRunOptions
    @OptionGroup var project: ProjectOptions
    @Option(name: .long, help: "Threads for the forward pass (default: $FRANCA_THREADS or every core).") var threads: Int?

    func run() throws {
        // Batch runs: Sources/franca/Run/ (here --id and --text name JSONL fields).
        if input != nil || out != nil {
            return try batch.run(chain: chain, input: input, out: out, idField: id, textField: text,
                                 singleDocumentOptions: file != nil || record != nil, project: project, threads: threads)
        }
        if [text != nil, file != nil, record != nil].filter({ $0 }).count != 1 {
            throw ProjectOptions.usage("give exactly one of --text, --file or --record")
        }
        let project = try self.project.loadProject()
        let definition = try ProjectOptions.chain(chain, in: project)
        let seed = try seedRecord()
        let catalog = try ModelCatalog(project: project)
        let runtime = threads.map { RuntimeOptions(threads: $0) } ?? .default
        let runners = RunnerCache(catalog: catalog, store: ModelStore(), options: runtime, fetch: true)
        let executor = try ChainExecutor(project: project, chain: definition, runners: runners,
                                         options: .init(modelLoadFailure: .recordError,
                                                        constraint: NativeOutputGrammar.provider))
        guard let result = try executor.run([seed]).first else { return }
        let json = try result.toJSONValue()
        let schema = try project.canonical?.schema ?? JSONSchema.canonical()
        let violations = schema.validate(json)
        guard violations.isEmpty else {
            Stderr.line("error: the record does not validate against the canonical schema:")
            for v in violations { Stderr.line("  \(v)") }
            throw ExitCode(1)
        }
        print(json.serialized(options: [.pretty]))
        if !result.errors.isEmpty {
            Stderr.line("finished with \(result.errors.count) step error(s): "
                + result.errors.map { "\($0.step) (\($0.kind))" }.joined(separator: ", "))
            throw ExitCode(3)
        }
    }

    /// `Chains/pii-redaction.yaml` or `pii-redaction` → `pii-redaction`.
    static func chainName(_ argument: String) -> String {
        guard argument.hasSuffix(".yaml") || argument.contains("/") else { return argument }
        return ((argument as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    func seedRecord() throws -> CanonicalRecord {
        if let text {
            return CanonicalRecord(document: Document(id: id ?? "text", text: text, source: "--text"))
        }
        if let file {
            let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file)
            guard let data else { throw ProjectOptions.usage("cannot read --file '\(file)'") }
            guard let content = String(data: data, encoding: .utf8) else {
                throw ProjectOptions.usage("--file '\(file)' is not valid UTF-8 text")
            }
            let name = file == "-" ? "stdin" : (file as NSString).lastPathComponent
            return CanonicalRecord(document: Document(id: id ?? name, text: content, source: file == "-" ? "stdin" : file))
        }
        guard let record, let data = FileManager.default.contents(atPath: record) else {
            throw ProjectOptions.usage("cannot read --record '\(record ?? "")'")
        }
        do {
            var value = try JSONValue.parse(data)
            guard var object = value.objectValue, var document = object["document"]?.objectValue else {
                throw ProjectOptions.usage("--record '\(record)' is not a JSON object with a 'document' object")
            }
            if object["schema"] == nil { object["schema"] = .string(CanonicalVersion.current) }
            if document["source"] == nil { document["source"] = .string(record) }
            if document["mediaType"] == nil { document["mediaType"] = "text/plain" }
            if document["metadata"] == nil { document["metadata"] = .object(JSONObject()) }
            if let id { document["id"] = .string(id) }
            object["document"] = .object(document)
            value = .object(object)
            let violations = try JSONSchema.canonical().validate(Self.complete(value))
            if !violations.isEmpty {
                throw ProjectOptions.usage("--record '\(record)' is not a valid seed record: "
                    + violations.prefix(5).map(\.description).joined(separator: "; "))
            }
            return try CanonicalRecord(json: value)
        } catch let e as ExitCode {
            throw e
        } catch {
            throw ProjectOptions.usage("--record '\(record)': \(error)")
        }
    }

    /// The seed with its missing arrays present, for validation.
    static func complete(_ value: JSONValue) -> JSONValue {
        guard var o = value.objectValue else { return value }
        for key in ["entities", "obligations", "artifacts", "findings", "provenance", "errors"] where o[key] == nil {
            o[key] = .array([])
        }
        return .object(o)
    }
}
