import Foundation
import Yams
import Canonical

/// Reads a YAML file into a Yams node tree, turning libyaml's errors into diagnostics with `file:line:col`.
public enum YAMLSource {
    /// The document's root node, or nil (with a diagnostic) when the file cannot be read or parsed.
    public static func compose(contentsOf url: URL, file: String, log: DiagnosticLog) -> Node? {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            log.report(Diagnostic(SourceLocation(file: file), "cannot read file"))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            log.report(Diagnostic(SourceLocation(file: file), "file is not valid UTF-8"))
            return nil
        }
        return compose(text: text, file: file, log: log)
    }

    public static func compose(text: String, file: String, log: DiagnosticLog) -> Node? {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                log.report(Diagnostic(SourceLocation(file: file, line: 1, column: 1), "file is empty", expected: "a mapping"))
                return nil
            }
            return node
        } catch let error as YamlError {
            log.report(diagnostic(for: error, file: file))
            return nil
        } catch {
            log.report(Diagnostic(SourceLocation(file: file), "YAML error: \(error)"))
            return nil
        }
    }

    static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        func with(_ context: YamlError.Context?, _ problem: String) -> String {
            guard let context else { return problem }
            return "\(problem) (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
        }
        switch error {
        case let .scanner(context, problem, mark, _):
            return Diagnostic(at(mark), "YAML syntax error: " + with(context, problem))
        case let .parser(context, problem, mark, yaml):
            // `{ to: obligations[].status }` fails because [ ] are flow indicators; say so instead of only
            // "did not find expected ',' or '}'".
            let inFlow = context?.text.contains("flow") ?? false
            let line = yaml.split(separator: "\n", omittingEmptySubsequences: false)
                .dropFirst(max(0, (context?.mark.line ?? mark.line) - 1)).first ?? ""
            let hint = inFlow && line.contains("[]")
                ? "quotes around values that contain [ ] { } or , inside { … } and [ … ], e.g. to: \"obligations[].status\""
                : nil
            return Diagnostic(at(mark), "YAML syntax error: " + with(context, problem), expected: hint)
        case let .composer(context, problem, mark, _):
            return Diagnostic(at(mark), "YAML error: " + with(context, problem))
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return Diagnostic(at(context.mark), "duplicate key \(keys) in a mapping")
        case let .reader(problem, offset, _, yaml):
            guard let offset else { return Diagnostic(SourceLocation(file: file), "YAML reader error: \(problem)") }
            let prefix = yaml.prefix(offset)
            let line = prefix.filter { $0 == "\n" }.count + 1
            let column = prefix.split(separator: "\n", omittingEmptySubsequences: false).last.map { $0.unicodeScalars.count + 1 } ?? 1
            return Diagnostic(SourceLocation(file: file, line: line, column: column), "YAML reader error: \(problem)")
        default:
            return Diagnostic(SourceLocation(file: file), "YAML error: \(error)")
        }
    }

    /// Converts inline YAML (an example's native output, a free option map) to JSON, reporting what JSON cannot
    /// hold (non-string keys, non-finite numbers).
    public static func json(_ node: Node, _ what: String, reader: NodeReader) -> JSONValue? {
        switch node {
        case .alias:
            reader.error(node, "\(what) uses an alias", expected: "plain YAML data")
            return nil
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for (i, item) in sequence.enumerated() {
                guard let value = json(item, "\(what)[\(i)]", reader: reader) else { return nil }
                items.append(value)
            }
            return .array(items)
        case .mapping(let mapping):
            var pairs: [(String, JSONValue)] = []
            for (key, value) in mapping {
                guard case .scalar(let k) = key else {
                    reader.error(key, "keys in \(what) must be strings, found \(NodeReader.kind(key))")
                    return nil
                }
                guard let v = json(value, NodeReader.join(what, k.string), reader: reader) else { return nil }
                pairs.append((k.string, v))
            }
            return .object(JSONObject(pairs))
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.string) }
            if node.null != nil { return .null }
            if let b = node.bool { return .bool(b) }
            if let i = node.int { return .integer(Int64(i)) }
            if let d = node.float {
                guard d.isFinite else {
                    reader.error(node, "\(what) is \(scalar.string)", expected: "a finite number (JSON has no NaN or infinity)")
                    return nil
                }
                return .number(d)
            }
            return .string(scalar.string)
        }
    }
}
