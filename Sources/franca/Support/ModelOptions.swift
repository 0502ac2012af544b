import ArgumentParser
import Foundation
import Inference
import Orchestration

/// Naming a model on the command line: an adapter id or a model id from the project, and a thread count.
struct ModelOptions: ParsableArguments {
    @OptionGroup var project: ProjectOptions

    @Option(name: .long, help: "Threads for the forward pass (default: $FRANCA_THREADS or every core).")
    var threads: Int?

    var runtime: RuntimeOptions { threads.map { RuntimeOptions(threads: $0) } ?? .default }

    /// The project, the model definition behind `name`, and the adapter that names it (if `name` is an adapter).
    func resolve(_ name: String) throws -> (Project, ModelCatalog, ModelDefinition, AdapterDefinition?) {
        let project = try project.loadProject()
        let catalog = try ModelCatalog(project: project)
        let model = try catalog.model(named: name)
        let adapter = project.adapter(name) ?? project.sortedAdapters.first { $0.model.id == model.id }
        return (project, catalog, model, adapter)
    }

    /// Loads the model, fetching its files first when this machine does not have them (with a progress line).
    func load(_ model: ModelDefinition, catalog: ModelCatalog) throws -> any ModelRunner {
        let line = ProgressLine()
        let files = try catalog.locateOrFetch(model, store: ModelStore()) { p in
            let fraction = p.bytesTotal.map { $0 > 0 ? Double(p.bytesDone) / Double($0) : 1 }
            line.update(key: "\(p.phase.rawValue) \(p.item)", fraction: fraction, text: "\(model.id): \(p.line)")
        }
        line.finish()
        return try ModelLoader.load(model, files: files, options: runtime)
    }
}

/// `--text` or `--file`: the document a command reads.
struct DocumentInput: ParsableArguments {
    @Option(name: .long, help: "The text to process.")
    var text: String?

    @Option(name: .long, help: ArgumentHelp("Read the text from a file ('-' for stdin).", valueName: "path"))
    var file: String?

    func validate() throws {
        if (text == nil) == (file == nil) { throw ValidationError("give exactly one of --text or --file") }
    }

    func read() throws -> String {
        if let text { return text }
        guard let file else { throw ValidationError("give exactly one of --text or --file") }
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let d = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read --file '\(file)'")
            }
            data = d
        }
        guard let s = String(data: data, encoding: .utf8) else {
            throw ValidationError("--file '\(file)' is not valid UTF-8 text")
        }
        return s
    }
}
