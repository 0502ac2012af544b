import Foundation
import Synchronization

/// RFC 3339 timestamps with milliseconds (`2025-01-31T12:00:00.123Z`) for provenance and the ledger.
///
/// One formatter for the process: making an `ISO8601DateFormatter` (an ICU date format underneath) costs more
/// than formatting with it, and a chain stamps every step of every record. ICU formatters are not safe to use
/// from two threads at once, hence the lock.
enum ISOTimestamp {
    private static let formatter = Mutex<ISO8601DateFormatter>({
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }())

    static func string(_ date: Date) -> String {
        formatter.withLock { $0.string(from: date) }
    }
}
