import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `DIR/records.jsonl`: the committed ledger rows, one canonical record per line, in commit order.
///
/// Why every document ends up exactly once, whatever moment a run is killed at:
/// 1. A batch's record lines and their `done`/`failed` states are written to the ledger in ONE SQLite
///    transaction (`Ledger.commit`). SQLite makes it atomic: after a kill the ledger holds all of the batch or
///    none of it, and the ledger has one row per document id (primary key), so at most one record per id.
/// 2. Only after that commit are the lines appended here. A kill between commit and append (or in the middle of
///    an append) can leave this file missing lines or ending in a torn line — never holding a line the ledger
///    lacks, since nothing is appended before its commit.
/// 3. Every run starts by rebuilding this file from the ledger (write `records.jsonl.tmp`, fsync, rename over
///    `records.jsonl`, fsync the folder): whatever the previous run left, the file is then exactly the ledger's
///    committed records. Documents the ledger does not have as committed run again and are appended once.
/// 4. A document that runs again while its old line is in the file (changed input, changed adapter, or
///    `--retry-failed`) replaces its ledger row; the file is rebuilt at the end of the run, so the old line goes.
/// So after any run that finishes (exit 0, 3 or 1) the file equals the ledger, each document once; after a kill
/// the same command restores that.
public final class RecordsFile {
    public static let fileName = "records.jsonl"

    public let url: URL
    private var handle: FileHandle?

    public init(url: URL) { self.url = url }

    /// Rewrites the file from the ledger's committed records, atomically (tmp + fsync + rename).
    public func rebuild(from ledger: Ledger) throws {
        close()
        let tmp = url.appendingPathExtension("tmp")
        _ = FileManager.default.createFile(atPath: tmp.path, contents: nil)
        guard let out = FileHandle(forWritingAtPath: tmp.path) else {
            throw BatchError.io(path: tmp.path, operation: "write", reason: "cannot create the file")
        }
        var buffer = Data()
        do {
            try ledger.forEachRecordLine { line in
                buffer.append(contentsOf: line.utf8)
                buffer.append(0x0A)
                if buffer.count >= 1 << 20 { try out.write(contentsOf: buffer); buffer.removeAll(keepingCapacity: true) }
            }
            try out.write(contentsOf: buffer)
            try out.synchronize()
            try out.close()
        } catch let e as BatchError { throw e } catch {
            throw BatchError.io(path: tmp.path, operation: "write", reason: "\(error)")
        }
        guard rename(tmp.path, url.path) == 0 else {
            throw BatchError.io(path: url.path, operation: "replace", reason: String(cString: strerror(errno)))
        }
        Self.syncDirectory(url.deletingLastPathComponent())
    }

    /// Appends committed lines (each followed by a newline) in one write.
    public func append(_ lines: [String]) throws {
        guard !lines.isEmpty else { return }
        if handle == nil {
            guard let h = FileHandle(forWritingAtPath: url.path) else {
                throw BatchError.io(path: url.path, operation: "append to", reason: "cannot open the file")
            }
            handle = h
        }
        var data = Data()
        for line in lines { data.append(contentsOf: line.utf8); data.append(0x0A) }
        do {
            guard let handle else { return }
            _ = try handle.seekToEnd()
            try handle.write(contentsOf: data)
        } catch {
            throw BatchError.io(path: url.path, operation: "append to", reason: "\(error)")
        }
    }

    public func close() {
        try? handle?.close()
        handle = nil
    }

    /// fsync on the folder, so a rename survives a power cut (best effort: some file systems refuse it).
    static func syncDirectory(_ dir: URL) {
        let fd = open(dir.path, O_RDONLY)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = Glibc.close(fd)
    }
}
