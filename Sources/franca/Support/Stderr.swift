import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Progress and logs go to stderr, so stdout stays clean for JSON.
enum Stderr {
    static let isTerminal = isatty(STDERR_FILENO) == 1

    static func line(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// A live progress line: rewritten in place on a terminal; elsewhere one line per phase and every 10%.
final class ProgressLine: @unchecked Sendable {
    private var lastKey = ""
    private var lastDecile = -1
    private var open = false
    private var lastDraw = Date.distantPast

    func update(key: String, fraction: Double?, text: String) {
        if Stderr.isTerminal {
            let now = Date()
            guard key != lastKey || now.timeIntervalSince(lastDraw) > 0.1 || (fraction ?? 0) >= 1 else { return }
            lastDraw = now
            lastKey = key
            Stderr.write("\r\u{1B}[2K" + text)
            open = true
            return
        }
        let decile = fraction.map { Int($0 * 10) } ?? -1
        guard key != lastKey || decile != lastDecile else { return }
        lastKey = key
        lastDecile = decile
        Stderr.line(text)
    }

    func finish(_ text: String? = nil) {
        if open { Stderr.write("\r\u{1B}[2K") }
        open = false
        if let text { Stderr.line(text) }
    }
}
