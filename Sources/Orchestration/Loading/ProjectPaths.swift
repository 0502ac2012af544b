import Foundation

/// Resolves file references written in project files (schema paths) so that they stay inside the project root.
///
/// A project is a unit people copy, review and run in CI: a reference that leaves it (`../x`, an absolute path,
/// a symlink pointing elsewhere) would make it depend on the machine it was written on.
public struct ProjectPaths: Sendable {
    /// The root, with symlinks resolved.
    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL.resolvingSymlinksInPath()
    }

    public enum Problem: Error, Equatable, Sendable {
        case absolute
        case escapesRoot
        case symlinkEscapesRoot(target: String)
        case missing
        case notAFile
    }

    /// The file a root-relative reference designates, or why it is not acceptable.
    public func resolve(_ reference: String) -> Result<URL, Problem> {
        if reference.hasPrefix("/") || reference.hasPrefix("~") { return .failure(.absolute) }
        var depth = 0
        for component in reference.split(separator: "/") {
            if component == ".." { depth -= 1 } else if component != "." { depth += 1 }
            if depth < 0 { return .failure(.escapesRoot) }
        }
        let url = root.appendingPathComponent(reference).standardizedFileURL
        guard FileManager.default.fileExists(atPath: url.path) || isSymlink(url) else { return .failure(.missing) }
        let resolved = url.resolvingSymlinksInPath()
        guard contains(resolved) else { return .failure(.symlinkEscapesRoot(target: resolved.path)) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved.path, isDirectory: &isDirectory) else { return .failure(.missing) }
        guard !isDirectory.boolValue else { return .failure(.notAFile) }
        return .success(resolved)
    }

    /// True when a (symlink-resolved) URL lies under the root.
    public func contains(_ url: URL) -> Bool {
        let path = url.standardizedFileURL.path
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return path == root.path || path.hasPrefix(rootPath)
    }

    /// A path shown in diagnostics: relative to the root when inside it.
    public func relative(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return path.hasPrefix(rootPath) ? String(path.dropFirst(rootPath.count)) : path
    }

    private func isSymlink(_ url: URL) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) != nil
    }
}
