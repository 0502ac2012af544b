import Foundation

/// Where a batch run stands: what progress bars and JSON progress events show.
public struct BatchProgress: Sendable, Equatable {
    /// Documents finished by this run (done or failed).
    public var processed = 0
    /// Of those, how many failed.
    public var failed = 0
    /// Documents already finished by an earlier run with the same fingerprint, not run again.
    public var skipped = 0
    /// Input items whose id had already been seen in this input (ignored).
    public var duplicates = 0
    /// Input items read so far.
    public var read = 0
    /// Items the input holds, when known up front (a directory, a JSONL file).
    public var expected: Int?
    /// Seconds since the run started.
    public var elapsed: Double = 0
    public var finished = false

    public init() {}

    /// Documents per second processed by this run.
    public var rate: Double { elapsed > 0 ? Double(processed) / elapsed : 0 }

    /// Items accounted for (processed, skipped or duplicate), out of `expected`.
    public var accounted: Int { processed + skipped + duplicates }

    /// Seconds left at the current rate, when the total is known.
    public var eta: Double? {
        guard let expected, rate > 0 else { return nil }
        return Double(max(0, expected - accounted)) / rate
    }

    /// A one-line JSON event for stderr when it is not a terminal.
    public func jsonEvent() -> String {
        var fields: [String] = ["\"event\":\"\(finished ? "finished" : "progress")\"",
                                "\"processed\":\(processed)", "\"failed\":\(failed)", "\"skipped\":\(skipped)"]
        if duplicates > 0 { fields.append("\"duplicates\":\(duplicates)") }
        if let expected { fields.append("\"total\":\(expected)") }
        fields.append("\"elapsedSeconds\":\(Self.fixed(elapsed, 1))")
        fields.append("\"docsPerSecond\":\(Self.fixed(rate, 2))")
        if let eta, !finished { fields.append("\"etaSeconds\":\(Self.fixed(eta, 0))") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func fixed(_ v: Double, _ digits: Int) -> String {
        guard v.isFinite else { return "0" }
        return String(format: "%.\(digits)f", v)
    }
}
