import Foundation

/// A directory of `.txt` / `.md` files, walked recursively and sorted by relative path; each file is read only
/// when its turn comes. The id is the relative path without its extension (`contracts/supply-agreement`).
public final class TextDirectorySource: BatchInputSource {
    public static let extensions: Set<String> = ["txt", "md", "markdown", "text"]

    private let root: URL
    private let files: [String]
    private var index = 0
    private let maxDocumentBytes: Int

    public init(root: URL, maxDocumentBytes: Int) throws {
        self.root = root.standardizedFileURL
        self.maxDocumentBytes = maxDocumentBytes
        guard let walker = FileManager.default.enumerator(atPath: self.root.path) else {
            throw BatchInputError.unreadable(path: root.path, reason: "cannot list the directory")
        }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") { continue }
            let ext = (relative as NSString).pathExtension.lowercased()
            guard Self.extensions.contains(ext) else { continue }
            var isDirectory: ObjCBool = false
            let full = self.root.appendingPathComponent(relative).path
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            found.append(relative)
        }
        // Byte order of the UTF-8 path: the same on every machine and locale.
        files = found.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    public var expectedCount: Int? { files.count }

    public func next() throws -> InputItem? {
        guard index < files.count else { return nil }
        let relative = files[index]
        index += 1
        let url = root.appendingPathComponent(relative)
        let id = (relative as NSString).deletingPathExtension
        let ext = (relative as NSString).pathExtension.lowercased()
        let mediaType = ext == "md" || ext == "markdown" ? "text/markdown" : "text/plain"
        let source = url.path
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue
        if let size, size > maxDocumentBytes {
            return InputItem(id: id, source: source, mediaType: mediaType, content: .oversized(byteCount: size))
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return InputItem(id: id, source: source, mediaType: mediaType,
                             content: .unreadable(kind: "unreadable", message: "cannot read \(url.path)"))
        }
        if data.count > maxDocumentBytes {  // grew since it was listed
            return InputItem(id: id, source: source, mediaType: mediaType, content: .oversized(byteCount: data.count))
        }
        return InputItem(id: id, source: source, mediaType: mediaType, content: .bytes(data))
    }
}
