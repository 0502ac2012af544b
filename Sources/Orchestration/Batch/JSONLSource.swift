import Canonical
import Foundation

/// One JSON object per line (a file or stdin), read a chunk at a time. `idField` and `textField` name the
/// object's fields; the other fields become `document.metadata`. A line that is not a usable object becomes an
/// item that fails alone (id `line-N`), so one bad line never stops the batch.
public final class JSONLSource: BatchInputSource {
    private let reader: LineReader
    private let name: String
    private let idField: String
    private let textField: String
    private let maxDocumentBytes: Int
    private var lineNumber = 0

    public init(handle: FileHandle, name: String, idField: String, textField: String, maxDocumentBytes: Int) {
        // A text of N bytes takes at most 6N bytes once escaped (\uXXXX), plus room for the other fields.
        let maxLine = maxDocumentBytes > Int.max / 8 ? Int.max / 2 : maxDocumentBytes * 6 + (1 << 16)
        reader = LineReader(handle: handle, maxLineBytes: maxLine)
        self.name = name
        self.idField = idField
        self.textField = textField
        self.maxDocumentBytes = maxDocumentBytes
    }

    /// Set for files (counted up front by `countLines`), nil for stdin.
    public var expectedCount: Int?

    /// Non-blank lines of a JSONL file, read in chunks (for the progress total; memory stays flat).
    public static func countLines(path: String) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var count = 0
        var lineHasContent = false
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            for b in chunk {
                if b == 0x0A {
                    if lineHasContent { count += 1 }
                    lineHasContent = false
                } else if b != 0x20 && b != 0x09 && b != 0x0D {
                    lineHasContent = true
                }
            }
        }
        return lineHasContent ? count + 1 : count
    }

    public func next() throws -> InputItem? {
        while true {
            guard let line = try reader.nextLine() else { return nil }
            lineNumber += 1
            let source = "\(name):\(lineNumber)"
            let fallbackID = "line-\(lineNumber)"
            switch line {
            case .tooLong(let count):
                return InputItem(id: fallbackID, source: source, content: .oversized(byteCount: count))
            case .bytes(var bytes):
                if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }  // blank lines separate nothing
                return item(bytes, source: source, fallbackID: fallbackID)
            }
        }
    }

    private func item(_ bytes: [UInt8], source: String, fallbackID: String) -> InputItem {
        let badOffset = UTF8Check.firstInvalidOffset(bytes)
        let value: JSONValue
        do {
            value = badOffset == nil ? try JSONValue.parse(bytes: bytes) : try JSONValue.parse(String(decoding: bytes, as: UTF8.self))
        } catch {
            return InputItem(id: fallbackID, source: source, content: .unreadable(kind: "invalid-json", message: "line is not JSON: \(error)"),
                             invalidUTF8Offset: badOffset)
        }
        guard case .object(let object) = value else {
            return InputItem(id: fallbackID, source: source,
                             content: .unreadable(kind: "invalid-json", message: "line is a JSON \(value.typeName), not an object"))
        }
        let id: String
        switch object[idField] {
        case .string(let s)? where !s.isEmpty: id = s
        case .integer(let i)?: id = String(i)
        default:
            return InputItem(id: fallbackID, source: source,
                             content: .unreadable(kind: "missing-id", message: "no string field '\(idField)' (pass --id FIELD to name the id field)"))
        }
        var metadata = object
        _ = metadata.removeValue(forKey: idField)
        _ = metadata.removeValue(forKey: textField)
        guard case .string(let text)? = object[textField] else {
            return InputItem(id: id, source: source, metadata: metadata,
                             content: .unreadable(kind: "missing-text", message: "no string field '\(textField)' (pass --text FIELD to name the text field)"))
        }
        let data = Data(text.utf8)
        if data.count > maxDocumentBytes {
            return InputItem(id: id, source: source, metadata: metadata, content: .oversized(byteCount: data.count), invalidUTF8Offset: badOffset)
        }
        return InputItem(id: id, source: source, metadata: metadata, content: .bytes(data), invalidUTF8Offset: badOffset)
    }
}

/// Splits a stream into lines at `\n`, reading 64 KiB at a time; a line longer than `maxLineBytes` is skipped
/// (only its length is kept), so a huge line never has to fit in memory.
final class LineReader {
    enum Line { case bytes([UInt8]), tooLong(Int) }

    private let handle: FileHandle
    private let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false

    init(handle: FileHandle, maxLineBytes: Int) {
        self.handle = handle
        self.maxLineBytes = maxLineBytes
    }

    func nextLine() throws -> Line? {
        var skipped = 0  // bytes of an over-long line already thrown away
        while true {
            if let nl = buffer[start...].firstIndex(of: 0x0A) {
                let count = nl - start
                defer { start = nl + 1 }
                if skipped > 0 || count > maxLineBytes { return .tooLong(skipped + count) }
                return .bytes(Array(buffer[start..<nl]))
            }
            if atEnd {
                guard start < buffer.count || skipped > 0 else { return nil }
                let last = Array(buffer[start...])
                buffer.removeAll(); start = 0
                if skipped > 0 || last.count > maxLineBytes { return .tooLong(skipped + last.count) }
                return .bytes(last)  // a final line without '\n'
            }
            if buffer.count - start > maxLineBytes {
                skipped += buffer.count - start
                buffer.removeAll(); start = 0
            } else if start > 0 {
                buffer.removeFirst(start); start = 0
            }
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 16) ?? Data() } catch {
                throw BatchInputError.unreadable(path: "input", reason: "\(error)")
            }
            if chunk.isEmpty { atEnd = true } else { buffer.append(contentsOf: chunk) }
        }
    }
}
