/// What ran for one step: which adapter and model (or which deterministic check), with what parameters,
/// when, for how long and how many tokens.
public struct Provenance: Codable, Hashable, Sendable {
    public struct AdapterRef: Codable, Hashable, Sendable {
        public var id: String
        public var version: String
        public init(id: String, version: String) { self.id = id; self.version = version }
    }

    public struct ModelRef: Codable, Hashable, Sendable {
        public var id: String
        /// Lower-case hex SHA-256 of the weights file.
        public var sha256: String
        public init(id: String, sha256: String) { self.id = id; self.sha256 = sha256 }
    }

    public var step: String
    /// Set for model steps (the schema requires `adapter` or `check`).
    public var adapter: AdapterRef?
    /// Name of the deterministic check, for check steps.
    public var check: String?
    public var model: ModelRef?
    public var parameters: JSONObject
    /// RFC 3339 date-time, e.g. `2025-01-31T12:00:00Z`.
    public var startedAt: String
    public var durationMs: Double
    public var tokensIn: Int
    public var tokensOut: Int

    public init(step: String, adapter: AdapterRef? = nil, check: String? = nil, model: ModelRef? = nil,
                parameters: JSONObject = JSONObject(), startedAt: String, durationMs: Double, tokensIn: Int = 0, tokensOut: Int = 0) {
        self.step = step; self.adapter = adapter; self.check = check; self.model = model; self.parameters = parameters
        self.startedAt = startedAt; self.durationMs = durationMs; self.tokensIn = tokensIn; self.tokensOut = tokensOut
    }
}
