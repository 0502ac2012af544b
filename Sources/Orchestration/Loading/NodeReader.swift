import Yams

/// The keys of one YAML mapping after checking them, with the nodes kept so later errors can point at them.
public struct YAMLFields {
    /// The mapping node itself (its mark is where "missing key" errors point).
    public let node: Node
    /// Key name → (key node, value node), only for known keys.
    private let entries: [String: (key: Node, value: Node)]

    init(node: Node, entries: [String: (key: Node, value: Node)]) {
        self.node = node
        self.entries = entries
    }

    public subscript(key: String) -> Node? { entries[key]?.value }

    public func keyNode(_ key: String) -> Node? { entries[key]?.key }

    public func has(_ key: String) -> Bool { entries[key] != nil }
}

/// Reads typed values out of a composed YAML tree, reporting every problem into a shared log and carrying on.
///
/// Key paths in messages follow the file's structure (`model.files.weights.sha256`, `output[0].strategy`), so a
/// person can find the spot even without the line number.
public struct NodeReader {
    /// Path of the file relative to the project root, as shown in diagnostics.
    public let file: String
    public let log: DiagnosticLog

    public init(file: String, log: DiagnosticLog) {
        self.file = file
        self.log = log
    }

    // MARK: Locations and reporting

    public func location(_ node: Node?) -> SourceLocation {
        guard let mark = node?.mark else { return SourceLocation(file: file) }
        return SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    public func error(_ node: Node?, _ message: String, expected: String? = nil, suggestion: String? = nil) {
        log.report(Diagnostic(location(node), message, expected: expected, suggestion: suggestion))
    }

    /// An error at a character inside a scalar (a `when:` expression, a template placeholder).
    public func error(_ node: Node, offset: Int, _ message: String, expected: String? = nil, suggestion: String? = nil) {
        log.report(Diagnostic(location(node, offset: offset), message, expected: expected, suggestion: suggestion))
    }

    /// `a.b` joined for messages; the empty path is the document itself.
    public static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// A short name for what a node is, for "found a sequence" style messages.
    public static func kind(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .alias: return "an alias"
        case .scalar(let s):
            if node.null != nil && s.style == .plain { return "empty (null)" }
            if s.style != .plain { return "a string" }
            if node.bool != nil { return "a boolean" }
            if node.int != nil { return "an integer" }
            if node.float != nil { return "a number" }
            return "a string"
        }
    }

    // MARK: Containers

    /// Checks a mapping: every key is a string, known, present when required. Unknown keys get a did-you-mean over
    /// the known ones. `what` names the mapping in messages (`model`, `output[0] (bio-spans)`).
    public func mapping(_ node: Node, _ what: String, required: [String] = [], optional: [String] = []) -> YAMLFields? {
        guard case .mapping(let mapping) = node else {
            error(node, "\(what) is \(Self.kind(node))", expected: "a mapping")
            return nil
        }
        let known = required + optional
        var entries: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                error(key, "keys in \(what) must be strings, found \(Self.kind(key))")
                continue
            }
            let name = scalar.string
            guard known.contains(name) else {
                error(key, "unknown key '\(name)' in \(what)", suggestion: Suggestions.closest(to: name, in: known))
                continue
            }
            entries[name] = (key, value)
        }
        for key in required where entries[key] == nil {
            error(node, "missing required key '\(key)' in \(what)")
        }
        return YAMLFields(node: node, entries: entries)
    }

    /// A mapping with free keys (label maps, option maps): keys in file order with their value nodes.
    public func pairs(_ node: Node, _ what: String) -> [(key: String, keyNode: Node, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            error(node, "\(what) is \(Self.kind(node))", expected: "a mapping")
            return nil
        }
        var result: [(key: String, keyNode: Node, value: Node)] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                error(key, "keys in \(what) must be strings, found \(Self.kind(key))")
                continue
            }
            result.append((scalar.string, key, value))
        }
        return result
    }

    public func sequence(_ node: Node, _ what: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            error(node, "\(what) is \(Self.kind(node))", expected: "a sequence")
            return nil
        }
        return Array(sequence)
    }

    // MARK: Scalars

    /// Any non-empty scalar as its text. YAML would read `yes` or `1.0` as a boolean or a number; a string field
    /// takes the text as written, so users need not quote.
    public func string(_ node: Node, _ what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error(node, "\(what) is \(Self.kind(node))", expected: "a string")
            return nil
        }
        if scalar.style == .plain && node.null != nil {
            error(node, "\(what) is empty", expected: "a string")
            return nil
        }
        return scalar.string
    }

    public func int(_ node: Node, _ what: String, minimum: Int? = nil) -> Int? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = node.int else {
            error(node, "\(what) is \(Self.kind(node))", expected: "an integer")
            return nil
        }
        if let minimum, value < minimum {
            error(node, "\(what) is \(value)", expected: "an integer ≥ \(minimum)")
            return nil
        }
        return value
    }

    public func double(_ node: Node, _ what: String, range: ClosedRange<Double>? = nil) -> Double? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, node.bool == nil,
              let value = node.int.map(Double.init) ?? node.float, value.isFinite else {
            error(node, "\(what) is \(Self.kind(node))", expected: "a number")
            return nil
        }
        if let range, !range.contains(value) {
            error(node, "\(what) is \(scalar.string)", expected: "a number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    public func bool(_ node: Node, _ what: String) -> Bool? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = node.bool else {
            error(node, "\(what) is \(Self.kind(node))", expected: "true or false")
            return nil
        }
        return value
    }

    /// A string from a closed set; an unknown value lists the allowed ones and suggests the closest.
    public func oneOf<E: RawRepresentable & CaseIterable>(_ type: E.Type, _ node: Node, _ what: String) -> E?
    where E.RawValue == String {
        guard let text = string(node, what) else { return nil }
        if let value = E(rawValue: text) { return value }
        let allowed = E.allCases.map(\.rawValue)
        error(node, "\(what) has unknown value '\(text)'", expected: "one of: \(allowed.joined(separator: ", "))",
              suggestion: Suggestions.closest(to: text, in: allowed))
        return nil
    }

    /// A sequence of strings (`needs: [a, b]`); a single string is not accepted, so mistakes show.
    public func strings(_ node: Node, _ what: String) -> [(value: String, node: Node)]? {
        guard let items = sequence(node, what) else { return nil }
        var result: [(value: String, node: Node)] = []
        for (i, item) in items.enumerated() {
            if let s = string(item, "\(what)[\(i)]") { result.append((s, item)) }
        }
        return result
    }

    /// The location of a character inside a scalar's text (for errors inside `when:` expressions and templates).
    /// Exact for plain and single-line quoted scalars; otherwise the scalar's own position.
    public func location(_ node: Node, offset: Int) -> SourceLocation {
        guard case .scalar(let scalar) = node, let mark = scalar.mark else { return location(node) }
        guard !scalar.string.contains("\n") else { return location(node) }
        switch scalar.style {
        case .plain: return SourceLocation(file: file, line: mark.line, column: mark.column + offset)
        case .singleQuoted, .doubleQuoted: return SourceLocation(file: file, line: mark.line, column: mark.column + 1 + offset)
        default: return location(node)
        }
    }
}
