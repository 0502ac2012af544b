/// The result of a deterministic check or compliance rule, with the spans that support it.
public struct Finding: Codable, Hashable, Sendable {
    public enum Severity: String, Codable, Hashable, Sendable, CaseIterable {
        case info, warning, error
    }

    public var id: String
    public var rule: String
    public var severity: Severity
    public var message: String
    public var evidence: [Span]
    public var producedBy: String

    public init(id: String, rule: String, severity: Severity, message: String, evidence: [Span], producedBy: String) {
        self.id = id; self.rule = rule; self.severity = severity; self.message = message
        self.evidence = evidence; self.producedBy = producedBy
    }
}
