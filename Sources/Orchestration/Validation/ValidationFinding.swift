/// One problem `franca validate` found: a break (fails validation, exit 1) or a warning (reported only).
public struct ValidationFinding: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, CaseIterable {
        case breaking = "break"
        case warning
    }

    /// What was checked.
    public enum Area: String, Sendable, Hashable, CaseIterable {
        /// The adapter's reads against the native output schema.
        case output
        /// The adapter's writes against the native input schema.
        case input
        /// What the transforms produce against the canonical schema.
        case canonical
        /// The adapter's version against the change.
        case version
    }

    public var severity: Severity
    public var area: Area
    /// A native pointer, a canonical path, or empty for the whole adapter.
    public var path: String
    public var message: String

    public init(_ severity: Severity, _ area: Area, path: String, _ message: String) {
        self.severity = severity
        self.area = area
        self.path = path
        self.message = message
    }

    public var isBreaking: Bool { severity == .breaking }

    public var description: String {
        "\(severity.rawValue) \(area.rawValue)\(path.isEmpty ? "" : " \(path)"): \(message)"
    }
}
