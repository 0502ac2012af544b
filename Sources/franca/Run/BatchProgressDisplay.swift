import Foundation
import Orchestration

/// Batch progress on stderr: a bar redrawn in place on a terminal; otherwise one JSON event per line every
/// `interval` seconds and at the end (steady, whatever the batch sizes), so logs and programs can follow.
final class BatchProgressDisplay: @unchecked Sendable {  // mutable state behind `lock`
    let quiet: Bool
    let interval: Double
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var timer: DispatchSourceTimer?
    private var drawn = false

    init(quiet: Bool, interval: Double = 2) {
        self.quiet = quiet
        self.interval = interval
    }

    /// Starts the steady JSON events (non-terminal only); `snapshot` is read from a timer thread.
    func start(_ snapshot: @escaping @Sendable () -> BatchProgress) {
        guard !quiet else { return }
        if Stderr.isTerminal {
            draw(snapshot())
            return
        }
        let t = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
        t.schedule(deadline: .now() + interval, repeating: interval)
        t.setEventHandler { Stderr.line(snapshot().jsonEvent()) }
        t.resume()
        lock.lock(); timer = t; lock.unlock()
    }

    func update(_ p: BatchProgress) {
        guard !quiet, Stderr.isTerminal else { return }
        draw(p)
    }

    func finish(_ p: BatchProgress) {
        lock.lock()
        timer?.cancel()
        timer = nil
        lock.unlock()
        guard !quiet else { return }
        if Stderr.isTerminal {
            draw(p, force: true)
            Stderr.write("\n")
        } else {
            Stderr.line(p.jsonEvent())
        }
    }

    private func draw(_ p: BatchProgress, force: Bool = false) {
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        Stderr.write("\r\u{1B}[2K" + Self.bar(p))
        drawn = true
    }

    /// `[########------------]  120/300  45.2 docs/s  ETA 4s  2 failed`
    static func bar(_ p: BatchProgress, width: Int = 24) -> String {
        var s = ""
        if let total = p.expected, total > 0 {
            let filled = min(width, Int(Double(width) * Double(p.accounted) / Double(total)))
            s += "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
            s += "\(p.accounted)/\(total)"
        } else {
            s += "\(p.accounted) documents"
        }
        s += String(format: "  %.1f docs/s", p.rate)
        if let eta = p.eta, !p.finished { s += "  ETA \(duration(eta))" }
        if p.skipped > 0 { s += "  \(p.skipped) already done" }
        if p.failed > 0 { s += "  \(p.failed) failed" }
        return s
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m"
    }
}
