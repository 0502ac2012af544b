import Canonical
import Foundation

/// One document as read from a batch input, before it is screened: its id, where it came from, and either its
/// raw bytes or the reason it could not be read.
public struct InputItem: Sendable {
    public enum Content: Sendable {
        /// The document's bytes as found (a file's bytes, or a JSONL text field encoded as UTF-8).
        case bytes(Data)
        /// Bytes that were never loaded because there are too many of them.
        case oversized(byteCount: Int)
        /// A JSONL line that was not a usable object (not JSON, no id, text not a string...).
        case unreadable(kind: String, message: String)
    }

    public var id: String
    /// Path (and line, for JSONL) the document came from.
    public var source: String
    public var mediaType: String
    public var metadata: JSONObject
    public var content: Content
    /// The input's bytes were not valid UTF-8 (the line of a JSONL file, or the file): reported as a failure.
    public var invalidUTF8Offset: Int?

    public init(id: String, source: String, mediaType: String = "text/plain", metadata: JSONObject = JSONObject(),
                content: Content, invalidUTF8Offset: Int? = nil) {
        self.id = id; self.source = source; self.mediaType = mediaType; self.metadata = metadata
        self.content = content; self.invalidUTF8Offset = invalidUTF8Offset
    }
}

/// Where a batch's documents come from; read lazily, one item at a time, so memory stays bounded.
public protocol BatchInputSource: AnyObject {
    /// The next item, or nil at the end. Throws only when the input as a whole cannot be read further.
    func next() throws -> InputItem?
    /// How many items there are, when it can be known cheaply (a directory); nil for streams.
    var expectedCount: Int? { get }
}

/// Why a batch input could not be opened or read (the whole input, not one document).
public enum BatchInputError: Error, CustomStringConvertible, Equatable {
    case notFound(path: String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .notFound(path): return "input '\(path)' does not exist (give a directory of .txt/.md files, a .jsonl file, or '-' for JSONL on stdin)"
        case let .unreadable(path, reason): return "cannot read input '\(path)': \(reason)"
        }
    }
}

/// How to open an input given on the command line.
public enum BatchInput {
    /// A directory → text files; `-` → JSONL on stdin; any other file → JSONL.
    public static func open(path: String, idField: String, textField: String, maxDocumentBytes: Int) throws -> any BatchInputSource {
        if path == "-" {
            return JSONLSource(handle: FileHandle.standardInput, name: "stdin", idField: idField, textField: textField,
                               maxDocumentBytes: maxDocumentBytes)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw BatchInputError.notFound(path: path) }
        if isDirectory.boolValue {
            return try TextDirectorySource(root: URL(fileURLWithPath: path), maxDocumentBytes: maxDocumentBytes)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BatchInputError.unreadable(path: path, reason: "permission denied or not a file") }
        let source = JSONLSource(handle: handle, name: path, idField: idField, textField: textField, maxDocumentBytes: maxDocumentBytes)
        source.expectedCount = JSONLSource.countLines(path: path)
        return source
    }
}
