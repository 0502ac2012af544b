import Canonical
import Foundation
import GRDB

/// The batch run's memory (`DIR/ledger.sqlite`): one row per document id with its state, the fingerprint it was
/// produced under, and its finished record line.
///
/// The ledger, not `records.jsonl`, is the source of truth: a document's record line and its `done`/`failed`
/// state are written in one SQLite transaction, and `records.jsonl` is a projection of the committed rows (in
/// commit order) that `RecordsFile` rebuilds whenever it might be out of step. See `RecordsFile` for why that
/// makes every document appear exactly once after any kill.
public final class Ledger: @unchecked Sendable {  // GRDB's DatabaseQueue serialises every access
    public static let fileName = "ledger.sqlite"

    public enum State: String, Sendable, CaseIterable { case pending, done, failed }

    /// What the ledger knows about a document, without its record.
    public struct Entry: Sendable, Hashable {
        public var id: String
        public var state: State
        /// sha256 of the document's bytes as read (a changed document runs again).
        public var contentHash: String
        /// The chain fingerprint (`ChainFingerprint.hash`) it was produced under.
        public var fingerprint: String
        /// The chain file's sha256 it ran under; empty for documents rejected before the chain ran.
        public var chainFileHash: String
        /// Step id → step fingerprint hash, for the steps that ran on it.
        public var stepHashes: [String: String]
        public var errorKind: String?
        public var errorMessage: String?
    }

    /// A finished document, ready to commit.
    public struct Completion: Sendable {
        public var entry: Entry
        /// Its record as one JSONL line (no newline).
        public var line: String

        public init(entry: Entry, line: String) { self.entry = entry; self.line = line }
    }

    public let url: URL
    let queue: DatabaseQueue

    public init(url: URL) throws {
        self.url = url
        var config = Configuration()
        config.prepareDatabase { db in
            // WAL: a kill -9 can never tear a committed transaction; NORMAL sync is durable across process death
            // (a power cut may lose the last commits, which then simply run again).
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            queue = try DatabaseQueue(path: url.path, configuration: config)
            try queue.write { db in
                try db.execute(sql: """
                    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                    CREATE TABLE IF NOT EXISTS documents (
                        id TEXT PRIMARY KEY NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
                        seq INTEGER,
                        contentHash TEXT NOT NULL DEFAULT '',
                        fingerprint TEXT NOT NULL DEFAULT '',
                        chainFileHash TEXT NOT NULL DEFAULT '',
                        stepHashes TEXT NOT NULL DEFAULT '{}',
                        errorKind TEXT,
                        errorMessage TEXT,
                        record TEXT,
                        updatedAt TEXT NOT NULL DEFAULT ''
                    );
                    CREATE INDEX IF NOT EXISTS documents_seq ON documents(seq);
                    """)
            }
        } catch {
            throw BatchError.ledger(path: url.path, reason: "\(error)")
        }
    }

    func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as BatchError { throw e } catch {
            throw BatchError.ledger(path: url.path, reason: "\(error)")
        }
    }

    // MARK: Meta

    public func meta(_ key: String) throws -> String? {
        try wrap { try queue.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) } }
    }

    public func setMeta(_ values: [String: String]) throws {
        try wrap {
            try queue.write { db in
                for (k, v) in values {
                    try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                                   arguments: [k, v])
                }
            }
        }
    }

    // MARK: Documents

    /// Every document's entry, by id (records are left in the database).
    public func entries() throws -> [String: Entry] {
        try wrap {
            try queue.read { db in
                var all: [String: Entry] = [:]
                let rows = try Row.fetchCursor(db, sql: "SELECT id, state, contentHash, fingerprint, chainFileHash, stepHashes, errorKind, errorMessage FROM documents")
                while let row = try rows.next() {
                    let id: String = row["id"]
                    let hashesText: String = row["stepHashes"]
                    var hashes: [String: String] = [:]
                    if case .object(let o)? = try? JSONValue.parse(hashesText) {
                        for (k, v) in o { if let s = v.stringValue { hashes[k] = s } }
                    }
                    all[id] = Entry(id: id, state: State(rawValue: row["state"]) ?? .pending, contentHash: row["contentHash"],
                                    fingerprint: row["fingerprint"], chainFileHash: row["chainFileHash"], stepHashes: hashes,
                                    errorKind: row["errorKind"], errorMessage: row["errorMessage"])
                }
                return all
            }
        }
    }

    /// Forgets the records of `ids` (they run again), in one transaction.
    public func markPending(_ ids: [String]) throws {
        guard !ids.isEmpty else { return }
        try wrap {
            try queue.write { db in
                for id in ids {
                    try db.execute(sql: "UPDATE documents SET state = 'pending', record = NULL, seq = NULL, errorKind = NULL, errorMessage = NULL WHERE id = ?",
                                   arguments: [id])
                }
            }
        }
    }

    /// Notes documents about to run (state `pending`) unless the ledger already has them.
    public func notePending(_ ids: [String]) throws {
        guard !ids.isEmpty else { return }
        try wrap {
            try queue.write { db in
                let insert = try db.cachedStatement(sql: "INSERT INTO documents(id, state) VALUES (?, 'pending') ON CONFLICT(id) DO NOTHING")
                for id in ids { try insert.execute(arguments: [id]) }
            }
        }
    }

    /// Stores finished documents — state, fingerprint and record line — in one transaction; returns how many of
    /// them replaced an earlier record (whose line `records.jsonl` may still hold).
    @discardableResult
    public func commit(_ completions: [Completion]) throws -> Int {
        guard !completions.isEmpty else { return 0 }
        let now = Self.timestamp(Date())
        return try wrap {
            try queue.write { db in
                var replaced = 0
                var seq = (try Int.fetchOne(db, sql: "SELECT MAX(seq) FROM documents")) ?? 0
                // Prepared once per connection, not once per document.
                let hasRecord = try db.cachedStatement(sql: "SELECT record IS NOT NULL FROM documents WHERE id = ?")
                let upsert = try db.cachedStatement(sql: """
                    INSERT INTO documents(id, state, seq, contentHash, fingerprint, chainFileHash, stepHashes, errorKind, errorMessage, record, updatedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET state = excluded.state, seq = excluded.seq, contentHash = excluded.contentHash,
                      fingerprint = excluded.fingerprint, chainFileHash = excluded.chainFileHash, stepHashes = excluded.stepHashes,
                      errorKind = excluded.errorKind, errorMessage = excluded.errorMessage, record = excluded.record, updatedAt = excluded.updatedAt
                    """)
                for c in completions {
                    let e = c.entry
                    if try Bool.fetchOne(hasRecord, arguments: [e.id]) == true {
                        replaced += 1
                    }
                    seq += 1
                    let hashes = JSONValue.object(JSONObject(e.stepHashes.keys.sorted().map { ($0, JSONValue.string(e.stepHashes[$0] ?? "")) })).serialized()
                    try upsert.execute(arguments: [e.id, e.state.rawValue, seq, e.contentHash, e.fingerprint, e.chainFileHash, hashes,
                                                   e.errorKind, e.errorMessage, c.line, now])
                }
                return replaced
            }
        }
    }

    /// Every committed record line (done and failed documents), in commit order.
    public func forEachRecordLine(_ body: (String) throws -> Void) throws {
        try wrap {
            try queue.read { db in
                let lines = try String.fetchCursor(db, sql: "SELECT record FROM documents WHERE record IS NOT NULL AND state != 'pending' ORDER BY seq")
                while let line = try lines.next() { try body(line) }
            }
        }
    }

    /// Number of documents in each state.
    public func counts() throws -> [State: Int] {
        try wrap {
            try queue.read { db in
                var out: [State: Int] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM documents GROUP BY state") {
                    if let s = State(rawValue: row["state"]) { out[s] = row["n"] }
                }
                return out
            }
        }
    }

    /// Failed documents: id, error kind and message, in commit order.
    public func failures(limit: Int = Int.max) throws -> [(id: String, kind: String, message: String)] {
        try wrap {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT id, errorKind, errorMessage FROM documents WHERE state = 'failed' ORDER BY seq LIMIT ?",
                                 arguments: [min(limit, Int(Int32.max))]).map {
                    (id: $0["id"], kind: ($0["errorKind"] as String?) ?? "unknown", message: ($0["errorMessage"] as String?) ?? "")
                }
            }
        }
    }

    static func timestamp(_ date: Date) -> String { ISOTimestamp.string(date) }
}
