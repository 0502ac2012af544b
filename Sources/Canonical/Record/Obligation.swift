/// A duty stated in the text: who must (not) / may do what, by when, and whether the text shows it met.
public struct Obligation: Codable, Hashable, Sendable {
    public enum Modality: String, Codable, Hashable, Sendable, CaseIterable {
        case must
        case mustNot = "must-not"
        case may
    }

    public enum Status: String, Codable, Hashable, Sendable, CaseIterable {
        case met, unmet, unknown
    }

    public var id: String
    public var text: String
    public var modality: Modality
    public var party: String
    public var action: String
    /// As stated in the text; nil (written as `null`, never omitted) when there is none.
    public var deadline: String?
    public var status: Status
    public var evidence: [Span]
    public var producedBy: String

    public init(id: String, text: String, modality: Modality, party: String, action: String, deadline: String?,
                status: Status, evidence: [Span], producedBy: String) {
        self.id = id; self.text = text; self.modality = modality; self.party = party; self.action = action
        self.deadline = deadline; self.status = status; self.evidence = evidence; self.producedBy = producedBy
    }

    enum CodingKeys: String, CodingKey { case id, text, modality, party, action, deadline, status, evidence, producedBy }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(text, forKey: .text)
        try c.encode(modality, forKey: .modality)
        try c.encode(party, forKey: .party)
        try c.encode(action, forKey: .action)
        try c.encode(deadline, forKey: .deadline)  // explicit null when absent
        try c.encode(status, forKey: .status)
        try c.encode(evidence, forKey: .evidence)
        try c.encode(producedBy, forKey: .producedBy)
    }
}
