import Orchestration
import Testing

/// `UnifiedDiff.make` (the `unified-diff` transform's `file:` mode): the diff of two versions, pinned against hand-
/// written `diff -u` output, and — for edge cases — proved by parsing it back and applying it to the old version.
@Suite struct UnifiedDiffMakeTests {
    @Test func renameMatchesTheHandWrittenDiff() {
        let diff = UnifiedDiff.make(path: "src/add.py", old: "def add(a, b):\n    return a + b\n", new: "def add(x, y):\n    return x + y\n")
        #expect(diff == "--- a/src/add.py\n+++ b/src/add.py\n@@ -1,2 +1,2 @@\n-def add(a, b):\n-    return a + b\n+def add(x, y):\n+    return x + y\n")
    }

    @Test func distantChangesGetTheirOwnHunksWithThreeContextLines() {
        let old = (1...12).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let new = old.replacingOccurrences(of: "line 2\n", with: "line two\n").replacingOccurrences(of: "line 11\n", with: "line 11\nline 11.5\n")
        // As `diff -u` writes it (and Python's difflib.unified_diff, checked by hand).
        let expected = """
            --- a/f.txt
            +++ b/f.txt
            @@ -1,5 +1,5 @@
             line 1
            -line 2
            +line two
             line 3
             line 4
             line 5
            @@ -9,4 +9,5 @@
             line 9
             line 10
             line 11
            +line 11.5
             line 12

            """
        #expect(UnifiedDiff.make(path: "f.txt", old: old, new: new) == expected)
    }

    @Test func nearbyChangesShareOneHunk() {
        let old = (1...8).map { "l\($0)" }.joined(separator: "\n") + "\n"
        let new = old.replacingOccurrences(of: "l2\n", with: "").replacingOccurrences(of: "l7\n", with: "L7\n")
        #expect(UnifiedDiff.make(path: "f", old: old, new: new)
                == "--- a/f\n+++ b/f\n@@ -1,8 +1,7 @@\n l1\n-l2\n l3\n l4\n l5\n l6\n-l7\n+L7\n l8\n")
    }

    @Test func equalVersionsHaveNoDiff() {
        #expect(UnifiedDiff.make(path: "f", old: "a\n", new: "a\n") == nil)
    }

    @Test(arguments: [
        ("", "one\ntwo\n"), ("one\ntwo\n", ""), ("a\nb", "a\nb\n"), ("a\nb\n", "a\nb"), ("a\nb", "a\nc"),
        ("x\n", "w\nx\n"), ("x\n", "x\ny\n"), ("a\nb\nc\nd\ne\nf\ng\nh\ni\n", "a\nB\nc\nd\ne\nf\ng\nH\ni\nj\n"),
    ])
    func appliesBackToTheNewVersion(_ pair: (String, String)) throws {
        let (old, new) = pair
        let text = try #require(UnifiedDiff.make(path: "f", old: old, new: new))
        let diff = try UnifiedDiff.parse(text)
        #expect(diff.files.count == 1 && diff.files[0].path == "f")
        #expect(try diff.files[0].apply(to: old) == new, "\(text)")
    }
}
