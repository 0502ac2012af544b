import ArgumentParser
import Canonical
import Foundation

/// `franca validate-record`: check every line of a JSONL file against the canonical schema (or another one).
struct ValidateRecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate-record",
        abstract: "Validate records (one JSON object per line) against the canonical schema or --schema.",
        discussion: """
        Every non-empty line gets a verdict: `line N: ok`, or one `line N: invalid: PATH: PROBLEM (schema: WHERE)` \
        line per violation, or `line N: invalid JSON: column C: PROBLEM`. A summary line ends the output. \
        With --format json, one JSON document with every result is printed instead.
        Exit codes: 0 all valid, 1 some record invalid, 64 usage error (unreadable file, bad schema).
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: ArgumentHelp("JSONL file to check ('-' reads standard input).", valueName: "file.jsonl"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("Schema to validate against instead of the canonical one.", valueName: "schema.json"))
    var schema: String?

    @Option(name: .customLong("schema-root"),
            help: ArgumentHelp("Folder that files referenced by --schema must lie in (default: the schema's folder).", valueName: "dir"))
    var schemaRoot: String?

    @Option(name: .long, help: "Output format: text or json.")
    var format: Format = .text

    func run() throws {
        let validator = try loadSchema()
        let schemaName = schema.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "canonical.schema.json"
        let reader = try openInput()
        var results: [JSONValue] = []
        var valid = 0, invalid = 0
        var lineNumber = 0
        while let line = reader.nextLine() {
            lineNumber += 1
            let text = line.hasSuffix("\r") ? String(line.dropLast()) : line
            if text.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let verdict = Self.check(text, with: validator)
            if verdict.isValid { valid += 1 } else { invalid += 1 }
            switch format {
            case .text: for l in verdict.textLines(line: lineNumber) { print(l) }
            case .json: results.append(verdict.json(line: lineNumber))
            }
        }
        if let error = reader.error {
            Self.fail("error: cannot read \(file): \(error)")
        }
        let total = valid + invalid
        switch format {
        case .text:
            print("\(total) record\(total == 1 ? "" : "s"): \(valid) valid, \(invalid) invalid")
        case .json:
            let report: JSONValue = [
                "file": .string(file), "schema": .string(schemaName),
                "records": .integer(Int64(total)), "valid": .integer(Int64(valid)), "invalid": .integer(Int64(invalid)),
                "results": .array(results),
            ]
            print(report.serialized(options: .pretty))
        }
        if invalid > 0 { throw ExitCode(1) }
    }

    // MARK: Input

    func loadSchema() throws -> JSONSchema {
        do {
            guard let schema else { return try JSONSchema.canonical() }
            let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let url = URL(fileURLWithPath: schema, relativeTo: cwd).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.path) else { Self.fail("error: schema file not found: \(schema)") }
            let root = schemaRoot.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL } ?? url.deletingLastPathComponent()
            return try JSONSchema.load(contentsOf: url, root: root)
        } catch let error as SchemaLoadError {
            let problems = error.allProblems
            for p in problems { FileHandle.standardError.write(Data("\(p.summary)\n".utf8)) }
            Self.fail("error: the schema has \(problems.count) problem\(problems.count == 1 ? "" : "s"); no record was checked")
        }
    }

    func openInput() throws -> LineReader {
        if file == "-" { return LineReader(handle: FileHandle.standardInput) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            Self.fail("error: file not found: \(file)")
        }
        if isDirectory.boolValue { Self.fail("error: \(file) is a directory; expected a JSONL file") }
        guard let handle = FileHandle(forReadingAtPath: file) else { Self.fail("error: cannot open \(file) for reading") }
        return LineReader(handle: handle)
    }

    /// Prints to stderr and exits with 64 (usage / input error).
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(64)
    }

    // MARK: Verdicts

    enum Verdict {
        case ok
        case invalid([SchemaViolation])
        case parseError(JSONParseError)

        var isValid: Bool { if case .ok = self { return true } else { return false } }

        func textLines(line n: Int) -> [String] {
            switch self {
            case .ok: return ["line \(n): ok"]
            case .invalid(let violations): return violations.map { "line \(n): invalid: \($0)" }
            case .parseError(let e): return ["line \(n): invalid JSON: column \(e.column): \(e.message)"]
            }
        }

        func json(line n: Int) -> JSONValue {
            switch self {
            case .ok:
                return ["line": .integer(Int64(n)), "valid": true]
            case .invalid(let violations):
                return ["line": .integer(Int64(n)), "valid": false, "violations": .array(violations.map {
                    ["instancePath": .string($0.instancePath), "schemaPath": .string($0.schemaPath),
                     "keyword": .string($0.keyword), "message": .string($0.message)]
                })]
            case .parseError(let e):
                return ["line": .integer(Int64(n)), "valid": false,
                        "parseError": ["column": .integer(Int64(e.column)), "message": .string(e.message)]]
            }
        }
    }

    static func check(_ text: String, with schema: JSONSchema) -> Verdict {
        let value: JSONValue
        do { value = try JSONValue.parse(text) } catch { return .parseError(error) }
        let violations = schema.validate(value)
        return violations.isEmpty ? .ok : .invalid(violations)
    }
}

/// Reads a file line by line in chunks, so a large JSONL file never has to fit in memory at once.
final class LineReader {
    private let handle: FileHandle
    private var buffer = Data()
    private var atEnd = false
    private(set) var error: Error?

    init(handle: FileHandle) { self.handle = handle }

    /// The next line without its `\n`, or nil at the end of input (or on a read error, kept in `error`).
    func nextLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[buffer.index(after: newline)...])
                return String(decoding: line, as: UTF8.self)
            }
            if atEnd {
                guard !buffer.isEmpty else { return nil }
                defer { buffer = Data() }
                return String(decoding: buffer, as: UTF8.self)
            }
            do {
                let chunk = try handle.read(upToCount: 1 << 16) ?? Data()
                if chunk.isEmpty { atEnd = true } else { buffer.append(chunk) }
            } catch {
                self.error = error
                return nil
            }
        }
    }
}
