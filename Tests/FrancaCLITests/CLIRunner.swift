import Foundation

/// What a run of the `franca` executable produced.
struct CLIResult: Sendable, CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    /// stdout split into lines (no trailing empty line).
    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLastIfEmpty() }
    var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLastIfEmpty() }

    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// An error locating or starting the executable.
struct CLIRunnerError: Error, CustomStringConvertible {
    let description: String
}

/// Runs the built `franca` binary for CLI tests: exit code, stdout and stderr, optional stdin.
///
/// The binary is found through `FRANCA_BINARY` if set, else next to the test bundle in the build products
/// folder (SwiftPM builds it because FrancaCLITests depends on the `franca` target).
enum CLIRunner {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let repositoryRoot = testsDirectory.deletingLastPathComponent()
    static let fixtures = testsDirectory.appendingPathComponent("Fixtures")

    static func binary() throws -> URL {
        if let override = ProcessInfo.processInfo.environment["FRANCA_BINARY"] { return URL(fileURLWithPath: override) }
        let starts = [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
            + Bundle.allBundles.map(\.bundleURL)
        // The products folder is the bundle's folder or one of its parents (macOS: .xctest/Contents/MacOS).
        var candidates: [URL] = []
        for start in starts {
            var dir = start
            for _ in 0..<4 {
                candidates.append(dir.appendingPathComponent("franca"))
                dir = dir.deletingLastPathComponent()
            }
        }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) && !isDirectory($0) }) else {
            throw CLIRunnerError(description: "franca binary not found; looked at \(candidates.map(\.path)). Set FRANCA_BINARY to override.")
        }
        return found
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &d) && d.boolValue
    }

    /// Runs `franca ARGUMENTS` in `directory` (default: the repository root), feeding `stdin` if given.
    static func run(_ arguments: [String], in directory: URL? = nil, stdin: String? = nil,
                    environment: [String: String] = [:]) throws -> CLIResult {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? repositoryRoot
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Drain stderr on another thread while reading stdout, so neither pipe can fill up and block the child.
        let errBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errBox.data, as: UTF8.self))
    }
}

private final class DataBox: @unchecked Sendable {  // written once by the reader thread before group.leave()
    var data = Data()
}

private extension Array where Element == String {
    func dropLastIfEmpty() -> [String] { last == "" ? Array(dropLast()) : self }
}
