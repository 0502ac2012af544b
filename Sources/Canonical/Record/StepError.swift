/// A step that failed: recorded next to, never instead of, what earlier steps produced.
public struct StepError: Codable, Hashable, Sendable {
    public var step: String
    /// Short machine-readable kind, e.g. `timeout`, `invalid-output`, `model-load`.
    public var kind: String
    public var message: String

    public init(step: String, kind: String, message: String) {
        self.step = step; self.kind = kind; self.message = message
    }
}
