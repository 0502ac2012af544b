/// A semantic version `MAJOR.MINOR.PATCH[-pre][+build]` (semver.org), as adapters declare theirs.
public struct SemanticVersion: Hashable, Sendable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int
    public var prerelease: String?
    public var build: String?

    public init?(_ text: String) {
        var rest = Substring(text)
        if let plus = rest.firstIndex(of: "+") {
            build = String(rest[rest.index(after: plus)...])
            rest = rest[..<plus]
            guard let build, Self.isIdentifierList(build) else { return nil }
        }
        if let dash = rest.firstIndex(of: "-") {
            prerelease = String(rest[rest.index(after: dash)...])
            rest = rest[..<dash]
            guard let prerelease, Self.isIdentifierList(prerelease) else { return nil }
        }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  part == "0" || !part.hasPrefix("0"), let n = Int(part) else { return nil }
            numbers.append(n)
        }
        (major, minor, patch) = (numbers[0], numbers[1], numbers[2])
    }

    private static func isIdentifierList(_ s: String) -> Bool {
        let ids = s.split(separator: ".", omittingEmptySubsequences: false)
        return ids.allSatisfy { id in
            !id.isEmpty && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    public var description: String {
        var s = "\(major).\(minor).\(patch)"
        if let prerelease { s += "-\(prerelease)" }
        if let build { s += "+\(build)" }
        return s
    }
}

/// A pinned Python package `NAME==VERSION`, the only form a wheel source accepts (a range would not be reproducible).
public struct PackageRequirement: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var version: String

    public init?(_ text: String) {
        let pieces = text.components(separatedBy: "==")
        guard pieces.count == 2 else { return nil }
        let name = pieces[0], version = pieces[1]
        // PEP 508 names: letters, digits, '.', '-', '_', starting and ending with a letter or digit.
        guard let first = name.first, let last = name.last, first.isASCII, first.isLetter || first.isNumber,
              last.isASCII, last.isLetter || last.isNumber,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else { return nil }
        // PEP 440 versions, loosely: starts with a digit, then letters, digits, '.', '+', '!', '-', '_'.
        guard let v0 = version.first, v0.isASCII, v0.isNumber,
              version.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".+!-_".contains($0)) }) else { return nil }
        self.name = name
        self.version = version
    }

    public var description: String { "\(name)==\(version)" }
}

/// A SHA-256 digest written as 64 lowercase hex digits.
public enum SHA256Digest {
    public static func isValid(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

/// Parses the short durations chains use for limits: `500ms`, `30s`, `2m`, `1h`, or a combination like `1m30s`.
public enum DurationText {
    public static func parse(_ text: String) -> Duration? {
        var total: Duration = .zero
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let n = Int(digits), n < 1_000_000 else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            switch unit {
            case "ms": total += .milliseconds(n)
            case "s": total += .seconds(n)
            case "m": total += .seconds(n * 60)
            case "h": total += .seconds(n * 3600)
            default: return nil
            }
        }
        return total > .zero ? total : nil
    }
}
