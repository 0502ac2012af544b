extension UnifiedDiff {
    /// The unified diff (`diff -u` style, `context` lines around each change) that turns `old` into `new`, or nil
    /// when they are equal. Lines are matched by a longest common subsequence, so the diff is a minimal one;
    /// applying it to `old` (`File.apply`) gives `new` exactly, final newline included.
    public static func make(path: String, old: String, new: String, context: Int = 3) -> String? {
        guard old != new else { return nil }
        let a = lines(old), b = lines(new)
        // A last line without its newline differs from the same text with one.
        func keys(_ f: (lines: [String], endsWithNewline: Bool)) -> [String] {
            f.endsWithNewline || f.lines.isEmpty ? f.lines : f.lines.dropLast() + [f.lines[f.lines.count - 1] + "\n"]
        }
        let edits = script(keys(a), keys(b))
        // Hunks: runs of edits with their context, merged when the context between them would overlap.
        var hunks: [(start: Int, end: Int)] = []  // ranges of `edits`
        var k = 0
        while k < edits.count {
            guard edits[k].kind != .same else { k += 1; continue }
            var end = k
            while end + 1 < edits.count, edits[end + 1].kind != .same { end += 1 }
            let lo = max(0, k - context), hi = min(edits.count - 1, end + context)
            if let last = hunks.last, lo <= last.end + 1 { hunks[hunks.count - 1].end = hi } else { hunks.append((lo, hi)) }
            k = end + 1
        }
        var out = "--- a/\(path)\n+++ b/\(path)\n"
        for h in hunks {
            let part = edits[h.start...h.end]
            let oldCount = part.filter { $0.kind != .added }.count, newCount = part.filter { $0.kind != .removed }.count
            let first = edits[h.start]
            // An empty range starts at the line before it (`-0,0` for an empty file).
            let oldStart = oldCount == 0 ? first.old : first.old + 1, newStart = newCount == 0 ? first.new : first.new + 1
            out += "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n"
            for e in part {
                switch e.kind {
                case .same: out += " " + a.lines[e.old] + "\n"
                case .removed: out += "-" + a.lines[e.old] + "\n"
                case .added: out += "+" + b.lines[e.new] + "\n"
                }
                if e.kind != .added, e.old == a.lines.count - 1, !a.endsWithNewline { out += "\\ No newline at end of file\n" }
                else if e.kind == .added, e.new == b.lines.count - 1, !b.endsWithNewline { out += "\\ No newline at end of file\n" }
            }
        }
        return out
    }

    private static func lines(_ text: String) -> (lines: [String], endsWithNewline: Bool) {
        var l = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let ends = l.last == ""
        if ends || text.isEmpty { l.removeLast() }
        return (l, ends || text.isEmpty)
    }

    private enum EditKind { case same, removed, added }

    /// One line of the edit script; `old`/`new` are 0-based positions in each file (the next line of the side it
    /// does not touch, for additions and removals).
    private struct Edit { var kind: EditKind; var old: Int; var new: Int }

    /// Longest-common-subsequence edit script, removals before additions within a change.
    private static func script(_ a: [String], _ b: [String]) -> [Edit] {
        let n = a.count, m = b.count
        // lcs[i][j]: length of the LCS of a[i...] and b[j...]. [n+1, m+1]
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var out: [Edit] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                out.append(Edit(kind: .same, old: i, new: j)); i += 1; j += 1
            } else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] {
                out.append(Edit(kind: .removed, old: i, new: j)); i += 1
            } else {
                out.append(Edit(kind: .added, old: i, new: j)); j += 1
            }
        }
        return out
    }
}
