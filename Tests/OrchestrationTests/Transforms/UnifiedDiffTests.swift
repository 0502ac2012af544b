import Orchestration
import Testing

/// Unified diffs: what parses, every malformed kind rejected, and applying without fuzz.
@Suite struct UnifiedDiffTests {
    static let original = "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n"
    static let rename = """
        --- a/src/add.py
        +++ b/src/add.py
        @@ -1,2 +1,2 @@
        -def add(a, b):
        -    return a + b
        +def add(x, y):
        +    return x + y

        """

    @Test func parsesHeadersHunksAndCounts() throws {
        let diff = try UnifiedDiff.parse(Self.rename)
        #expect(diff.files.count == 1)
        let file = diff.files[0]
        #expect(file.oldPath == "src/add.py" && file.newPath == "src/add.py" && file.path == "src/add.py")
        #expect(file.hunks.map(\.oldStart) == [1])
        #expect(file.hunks[0].lines == [.removed("def add(a, b):"), .removed("    return a + b"),
                                        .added("def add(x, y):"), .added("    return x + y")])
    }

    @Test func appliesExactly() throws {
        let out = try UnifiedDiff.parse(Self.rename).files[0].apply(to: Self.original)
        #expect(out == "def add(x, y):\n    return x + y\n\n\ndef sub(a, b):\n    return a - b\n")
    }

    @Test func appliesSeveralHunksWithContextAndOmittedCounts() throws {
        let diff = """
            diff --git a/m.py b/m.py
            index 1111111..2222222 100644
            --- a/m.py\t2025-01-01 00:00:00
            +++ b/m.py\t2025-01-01 00:00:01
            @@ -1 +1,2 @@
             def add(a, b):
            +    \"\"\"Sum.\"\"\"
            @@ -5,2 +6,2 @@ def sub
             def sub(a, b):
            -    return a - b
            +    return b - a

            """
        let out = try UnifiedDiff.parse(diff).files[0].apply(to: Self.original)
        #expect(out == "def add(a, b):\n    \"\"\"Sum.\"\"\"\n    return a + b\n\n\ndef sub(a, b):\n    return b - a\n")
    }

    @Test func insertionIntoEmptyFileAndNoNewlineMarker() throws {
        let diff = "--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+one\n+two\n\\ No newline at end of file\n"
        let file = try UnifiedDiff.parse(diff).files[0]
        #expect(file.path == "new.txt")
        #expect(try file.apply(to: "") == "one\ntwo")
    }

    @Test func rejectsEachMalformedKind() {
        func error(_ text: String) -> UnifiedDiffError? {
            if case .failure(let e) = Result(catching: { () throws(UnifiedDiffError) -> UnifiedDiff in try UnifiedDiff.parse(text) }) { return e }
            return nil
        }
        #expect(error("") == .empty)
        #expect(error("  \n") == .empty)
        #expect(error("+++ b/x\n@@ -1 +1 @@\n-a\n+b\n") == .missingOldHeader(line: 1))
        #expect(error("@@ -1 +1 @@\n-a\n+b\n") == .missingOldHeader(line: 1))
        #expect(error("--- a/x\n@@ -1 +1 @@\n-a\n+b\n") == .missingNewHeader(line: 2))
        #expect(error("--- a/x\n+++ b/x\n@@ -1 +1\n-a\n+b\n") == .badHunkHeader(line: 3, text: "@@ -1 +1"))
        #expect(error("--- a/x\n+++ b/x\n@@ -a,1 +1 @@\n-a\n+b\n") == .badHunkHeader(line: 3, text: "@@ -a,1 +1 @@"))
        // Too few lines for the header's counts (the text ends early).
        #expect(error("--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n+b\n")
            == .countMismatch(line: 6, oldExpected: 2, oldFound: 1, newExpected: 2, newFound: 1))
        // Too many lines: a body line after the counts are used up.
        #expect(error("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n+c\n")
            == .countMismatch(line: 6, oldExpected: 1, oldFound: 1, newExpected: 1, newFound: 2))
        // A line that is neither context, removal nor addition inside a hunk.
        #expect(error("--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n*b\n")
            == .countMismatch(line: 5, oldExpected: 2, oldFound: 1, newExpected: 2, newFound: 0))
        #expect(error("--- a/x\n+++ b/x\n") == .noHunks(line: 3))
        #expect(error("Here is the diff:\n--- a/x\n") == .unexpectedLine(line: 1, text: "Here is the diff:"))
        #expect(error("--- a/x\n+++ b/x\n@@ -3 +3 @@\n-c\n+C\n@@ -1 +1 @@\n-a\n+A\n") == .overlappingHunks(line: 6))
    }

    @Test func applyRejectsContextThatDoesNotMatch() throws {
        let diff = try UnifiedDiff.parse("--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n def add(a, b):\n-    return a * b\n+    return 0\n")
        #expect(throws: UnifiedDiffError.contextMismatch(hunk: 1, line: 2, expected: "    return a * b", found: "    return a + b")) {
            try diff.files[0].apply(to: Self.original)
        }
        let far = try UnifiedDiff.parse("--- a/x\n+++ b/x\n@@ -40 +40 @@\n-a\n+b\n")
        #expect(throws: UnifiedDiffError.outOfRange(hunk: 1, line: 40, lineCount: 6)) { try far.files[0].apply(to: Self.original) }
    }
}
