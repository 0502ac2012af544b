import Foundation

/// A unified diff (`diff -u`, `git diff`): file sections of `---`/`+++` headers and `@@` hunks, parsed strictly so
/// a code model's malformed answer is rejected before anyone tries to apply it.
public struct UnifiedDiff: Sendable, Equatable {
    public enum Line: Sendable, Equatable {
        case context(String)
        case removed(String)
        case added(String)
    }

    public struct Hunk: Sendable, Equatable {
        /// 1-based first line and line count in the old and the new file (`@@ -oldStart,oldCount +newStart,newCount @@`).
        public var oldStart: Int
        public var oldCount: Int
        public var newStart: Int
        public var newCount: Int
        public var lines: [Line]
        /// The new file ends without a newline (`\ No newline at end of file` after its last line).
        public var newEndsWithoutNewline: Bool
    }

    /// One file's changes.
    public struct File: Sendable, Equatable {
        /// Paths from the headers without `a/`/`b/` prefixes or timestamps (`/dev/null` for a created/deleted file).
        public var oldPath: String
        public var newPath: String
        public var hunks: [Hunk]

        /// The path the change is about: the new path, or the old one when the file is deleted.
        public var path: String { newPath == "/dev/null" ? oldPath : newPath }
    }

    public var files: [File]

    /// Parses diff text; every section needs `---` then `+++` then at least one hunk whose line counts match
    /// its header exactly. `diff `, `index `, and file-mode lines before a section are allowed and skipped.
    public static func parse(_ text: String) throws(UnifiedDiffError) -> UnifiedDiff {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        lines = lines.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
        guard lines.contains(where: { !$0.trimmingSpaces.isEmpty }) else { throw .empty }
        var files: [File] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.hasPrefix("--- ") {
                guard i + 1 < lines.count, lines[i + 1].hasPrefix("+++ ") else { throw .missingNewHeader(line: i + 2) }
                var file = File(oldPath: headerPath(line), newPath: headerPath(lines[i + 1]), hunks: [])
                i += 2
                while i < lines.count, lines[i].hasPrefix("@@") {
                    let header = i + 1
                    let hunk = try parseHunk(lines, &i)
                    if let last = file.hunks.last, hunk.oldStart < last.oldStart + last.oldCount {
                        throw .overlappingHunks(line: header)
                    }
                    file.hunks.append(hunk)
                }
                if file.hunks.isEmpty { throw .noHunks(line: i + 1) }
                files.append(file)
            } else if line.hasPrefix("+++ ") {
                throw .missingOldHeader(line: i + 1)
            } else if line.hasPrefix("@@") {
                throw .missingOldHeader(line: i + 1)
            } else if Self.preludePrefixes.contains(where: { line.hasPrefix($0) }) {
                i += 1
            } else {
                throw .unexpectedLine(line: i + 1, text: line)
            }
        }
        guard !files.isEmpty else { throw .empty }
        return UnifiedDiff(files: files)
    }

    static let preludePrefixes = ["diff ", "index ", "new file mode", "deleted file mode", "similarity index", "old mode", "new mode"]

    /// `--- a/src/add.py\t2025-01-01` → `src/add.py`.
    static func headerPath(_ line: String) -> String {
        var p = String(line.dropFirst(4))
        if let tab = p.firstIndex(of: "\t") { p = String(p[..<tab]) }
        p = p.trimmingSpaces
        if p.hasPrefix("a/") || p.hasPrefix("b/") { p = String(p.dropFirst(2)) }
        return p
    }

    static func parseHunk(_ lines: [String], _ i: inout Int) throws(UnifiedDiffError) -> Hunk {
        let header = lines[i]
        guard let h = hunkHeader(header) else { throw .badHunkHeader(line: i + 1, text: header) }
        var hunk = Hunk(oldStart: h.0, oldCount: h.1, newStart: h.2, newCount: h.3, lines: [], newEndsWithoutNewline: false)
        var old = 0, new = 0
        i += 1
        while i < lines.count, old < hunk.oldCount || new < hunk.newCount {
            let line = lines[i]
            if line.hasPrefix("\\") { i += 1; continue }
            guard let first = line.first else {
                // An empty line is a context line whose leading space was stripped by an editor.
                hunk.lines.append(.context("")); old += 1; new += 1; i += 1; continue
            }
            let body = String(line.dropFirst())
            switch first {
            case " ": hunk.lines.append(.context(body)); old += 1; new += 1
            case "-": hunk.lines.append(.removed(body)); old += 1
            case "+": hunk.lines.append(.added(body)); new += 1
            default:
                throw .countMismatch(line: i + 1, oldExpected: hunk.oldCount, oldFound: old, newExpected: hunk.newCount, newFound: new)
            }
            i += 1
        }
        if old != hunk.oldCount || new != hunk.newCount {
            throw .countMismatch(line: i + 1, oldExpected: hunk.oldCount, oldFound: old, newExpected: hunk.newCount, newFound: new)
        }
        // A "\ No newline" marker may follow the last line; a further body line means the counts were too small.
        while i < lines.count, lines[i].hasPrefix("\\") {
            if case .added? = hunk.lines.last { hunk.newEndsWithoutNewline = true }
            if case .context? = hunk.lines.last { hunk.newEndsWithoutNewline = true }
            i += 1
        }
        if i < lines.count, let c = lines[i].first, c == " " || c == "+" || (c == "-" && !lines[i].hasPrefix("--- ")) {
            throw .countMismatch(line: i + 1, oldExpected: hunk.oldCount, oldFound: old + (c == "+" ? 0 : 1),
                                 newExpected: hunk.newCount, newFound: new + (c == "-" ? 0 : 1))
        }
        return hunk
    }

    /// `@@ -1,2 +1,3 @@ optional heading` → (1, 2, 1, 3); a missing count is 1.
    static func hunkHeader(_ line: String) -> (Int, Int, Int, Int)? {
        guard line.hasPrefix("@@ -") else { return nil }
        let rest = line.dropFirst(4)
        guard let close = rest.range(of: " @@") else { return nil }
        let ranges = rest[..<close.lowerBound].split(separator: " ", omittingEmptySubsequences: false)
        guard ranges.count == 2, ranges[1].hasPrefix("+") else { return nil }
        func range(_ s: Substring) -> (Int, Int)? {
            let parts = s.split(separator: ",", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let start = Int(parts[0]), start >= 0 else { return nil }
            guard parts.count == 2 else { return (start, 1) }
            guard let count = Int(parts[1]), count >= 0 else { return nil }
            return (start, count)
        }
        guard let o = range(ranges[0]), let n = range(ranges[1].dropFirst()) else { return nil }
        return (o.0, o.1, n.0, n.1)
    }
}

extension UnifiedDiff.File {
    /// The new content: `original` with every hunk applied. Context and removed lines must match the original
    /// exactly at the hunk's position (no fuzz), so a diff that "applies" is a diff against this very text.
    public func apply(to original: String) throws(UnifiedDiffError) -> String {
        var source = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var endsWithNewline = false
        if source.last == "" { source.removeLast(); endsWithNewline = true }
        if original.isEmpty { source = []; endsWithNewline = true }
        var out: [String] = []
        var cursor = 0  // next unread line of `source`, 0-based
        for (k, hunk) in hunks.enumerated() {
            let start = hunk.oldCount == 0 ? hunk.oldStart : hunk.oldStart - 1
            guard start >= cursor, start <= source.count else {
                throw .outOfRange(hunk: k + 1, line: hunk.oldStart, lineCount: source.count)
            }
            out += source[cursor..<start]
            var at = start
            for line in hunk.lines {
                switch line {
                case .context(let text), .removed(let text):
                    guard at < source.count else { throw .outOfRange(hunk: k + 1, line: at + 1, lineCount: source.count) }
                    guard source[at] == text else {
                        throw .contextMismatch(hunk: k + 1, line: at + 1, expected: text, found: source[at])
                    }
                    if case .context = line { out.append(text) }
                    at += 1
                case .added(let text):
                    out.append(text)
                }
            }
            cursor = at
            // A hunk that reaches the end of the file says how the new file ends (the marker is there when a side
            // ends without a newline).
            if k == hunks.count - 1, cursor == source.count { endsWithNewline = !hunk.newEndsWithoutNewline }
        }
        out += source[cursor...]
        return out.joined(separator: "\n") + (endsWithNewline && !out.isEmpty ? "\n" : "")
    }
}

/// Why a diff is malformed or does not apply; line numbers are 1-based in the diff text (parse) or in the original
/// file (apply).
public enum UnifiedDiffError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case missingOldHeader(line: Int)
    case missingNewHeader(line: Int)
    case badHunkHeader(line: Int, text: String)
    case countMismatch(line: Int, oldExpected: Int, oldFound: Int, newExpected: Int, newFound: Int)
    case noHunks(line: Int)
    case overlappingHunks(line: Int)
    case unexpectedLine(line: Int, text: String)
    case contextMismatch(hunk: Int, line: Int, expected: String, found: String)
    case outOfRange(hunk: Int, line: Int, lineCount: Int)

    public var description: String {
        switch self {
        case .empty: return "the diff is empty"
        case .missingOldHeader(let l): return "line \(l): a hunk or '+++' header without a '--- old-path' header before it"
        case .missingNewHeader(let l): return "line \(l): expected a '+++ new-path' header after '---'"
        case let .badHunkHeader(l, t): return "line \(l): bad hunk header \(t.debugDescription) (expected '@@ -a,b +c,d @@')"
        case let .countMismatch(l, oe, of, ne, nf):
            return "line \(l): hunk line counts do not match its header (old: \(oe) declared, \(of) found; new: \(ne) declared, \(nf) found)"
        case .noHunks(let l): return "line \(l): file header without any '@@' hunk"
        case .overlappingHunks(let l): return "line \(l): hunks overlap or are out of order"
        case let .unexpectedLine(l, t): return "line \(l): unexpected \(t.debugDescription) outside a hunk"
        case let .contextMismatch(h, l, e, f):
            return "hunk \(h) does not apply at line \(l): expected \(e.debugDescription), the file has \(f.debugDescription)"
        case let .outOfRange(h, l, n): return "hunk \(h) refers to line \(l), but the file has \(n) lines"
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}
