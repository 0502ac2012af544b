#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Why a weight file could not be opened or read.
public enum MappedFileError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    /// A read of `length` bytes at `offset` would pass the end of the file (`size` bytes).
    case outOfBounds(path: String, offset: UInt64, length: UInt64, size: Int, what: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "cannot open \(path): \(reason)"
        case let .outOfBounds(path, offset, length, size, what):
            return "\(path): \(what) needs bytes \(offset)..<\(offset &+ length) but the file has only \(size) bytes (truncated or corrupt)"
        }
    }
}

/// A read-only memory map of a whole file. Every access goes through a range checked against the file size.
///
/// Weights stay mapped for the model's lifetime, so loading costs no copy and pages come in on demand.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let count: Int
    /// Start of the mapping; nil for an empty file. Immutable after init, hence @unchecked Sendable.
    private let base: UnsafeRawPointer?

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw MappedFileError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw MappedFileError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw MappedFileError.cannotOpen(path: path, reason: "not a regular file") }
        count = Int(st.st_size)
        if count == 0 {
            base = nil
            return
        }
        let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else {
            throw MappedFileError.cannotOpen(path: path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(p)
    }

    public convenience init(url: URL) throws { try self.init(path: url.path) }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// Checks that `offset ..< offset + length` lies inside the file (no overflow) and returns it as a range.
    public func checkedRange(offset: UInt64, length: UInt64, what: String) throws -> Range<Int> {
        let (end, overflow) = offset.addingReportingOverflow(length)
        guard !overflow, end <= UInt64(count) else {
            throw MappedFileError.outOfBounds(path: path, offset: offset, length: length, size: count, what: what)
        }
        return Int(offset)..<Int(end)
    }

    /// The bytes of a range previously checked with `checkedRange`; valid while this object lives.
    public func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "unchecked range passed to MappedFile.bytes")
        guard let base else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    /// Checks a range and returns its bytes in one step.
    public func bytes(offset: UInt64, length: UInt64, what: String) throws -> UnsafeRawBufferPointer {
        bytes(try checkedRange(offset: offset, length: length, what: what))
    }

    /// A cursor for parsing a header that starts at `offset`.
    public func reader(at offset: Int = 0) -> ByteReader { ByteReader(file: self, offset: offset) }
}

/// A little-endian cursor over a `MappedFile`; every read is bounds-checked and names what it was reading.
public struct ByteReader {
    public let file: MappedFile
    public private(set) var offset: Int

    public init(file: MappedFile, offset: Int) {
        self.file = file
        self.offset = offset
    }

    public mutating func bytes(_ n: UInt64, what: String) throws -> UnsafeRawBufferPointer {
        let r = try file.checkedRange(offset: UInt64(offset), length: n, what: what)
        offset = r.upperBound
        return file.bytes(r)
    }

    public mutating func skip(_ n: UInt64, what: String) throws { _ = try bytes(n, what: what) }

    public mutating func read<T: FixedWidthInteger>(_: T.Type, what: String) throws -> T {
        let b = try bytes(UInt64(MemoryLayout<T>.size), what: what)
        return T(littleEndian: b.loadUnaligned(as: T.self))
    }

    public mutating func readFloat(what: String) throws -> Float {
        Float(bitPattern: try read(UInt32.self, what: what))
    }

    public mutating func readDouble(what: String) throws -> Double {
        Double(bitPattern: try read(UInt64.self, what: what))
    }

    /// Reads `n` bytes as UTF-8; invalid sequences are repaired with U+FFFD rather than trusted.
    public mutating func readString(byteCount n: UInt64, what: String) throws -> String {
        let b = try bytes(n, what: what)
        return String(decoding: b, as: UTF8.self)
    }
}
