import Testing
import Inference

/// Expectations below are worked out by hand from the rules in `TokenWindowing`'s doc comment.
struct TokenWindowsTests {
    /// Each token its own word.
    static func singles(_ n: Int) -> [Int?] { (0 ..< n).map { Optional($0) } }

    @Test func shortSequenceIsOneWindow() throws {
        #expect(try TokenWindowing.windows(wordIDs: Self.singles(5), maxTokens: 5, overlap: 2) == [0 ..< 5])
        #expect(try TokenWindowing.windows(wordIDs: [], maxTokens: 5, overlap: 2) == [0 ..< 0])
    }

    @Test func singleTokenWordsOverlapExactly() throws {
        // 10 tokens, 4 per window, overlap 2: starts at 0, 2, 4, 6.
        let w = try TokenWindowing.windows(wordIDs: Self.singles(10), maxTokens: 4, overlap: 2)
        #expect(w == [0 ..< 4, 2 ..< 6, 4 ..< 8, 6 ..< 10])
    }

    @Test func windowsNeverStartMidWord() throws {
        // words: [0 0 0][1][2 2][3 3 3][4]  → tokens 0..9
        let ids: [Int?] = [0, 0, 0, 1, 2, 2, 3, 3, 3, 4]
        let w = try TokenWindowing.windows(wordIDs: ids, maxTokens: 5, overlap: 1)
        // first window 0..<5 ends inside word 2 (tokens 4,5); step back 1 → token 4 is word 2's first piece: start 4.
        // second window 4..<9 ends inside word 3; step back 1 → token 8 continues word 3 → back to 6.
        // third window 6..<10 reaches the end.
        #expect(w == [0 ..< 5, 4 ..< 9, 6 ..< 10])
        for r in w.dropFirst() {
            #expect(ids[r.lowerBound] != ids[r.lowerBound - 1], "window \(r) starts mid-word")
        }
    }

    @Test func wordLongerThanBudgetIsCutOnlyWhenUnavoidable() throws {
        // one word of 7 pieces, then two single words; budget 3, overlap 1.
        let ids: [Int?] = [0, 0, 0, 0, 0, 0, 0, 1, 2]
        let w = try TokenWindowing.windows(wordIDs: ids, maxTokens: 3, overlap: 1)
        // 0..<3 → next word start at/after 2 is 7 (beyond end 3) → cut at 3; 3..<6 → cut at 6; 6..<9 ends.
        #expect(w == [0 ..< 3, 3 ..< 6, 6 ..< 9])
    }

    @Test func specialTokensWithoutWordsAreBoundaries() throws {
        let ids: [Int?] = [nil, nil, nil, nil, nil, nil]
        #expect(try TokenWindowing.windows(wordIDs: ids, maxTokens: 4, overlap: 2) == [0 ..< 4, 2 ..< 6])
    }

    @Test func rejectsBadBudgets() {
        #expect(throws: TokenWindowError.invalidBudget(maxTokens: 4, overlap: 4)) {
            try TokenWindowing.windows(wordIDs: Self.singles(9), maxTokens: 4, overlap: 4)
        }
        #expect(throws: TokenWindowError.invalidBudget(maxTokens: 0, overlap: 0)) {
            try TokenWindowing.windows(wordIDs: Self.singles(9), maxTokens: 0, overlap: 0)
        }
    }

    @Test func mergeKeepsTheResultFarthestFromACut() throws {
        // windows 0..<4 and 2..<6 over 6 tokens: token 2 is 1 token from window 0's cut (last token 3) and 0 from
        // window 1's cut (first token 2) → window 0; token 3 is 0 from window 0's cut, 1 from window 1's → window 1.
        // Document edges are not cuts: tokens 0, 1 and 4, 5 sit in one window each anyway.
        let windows = [0 ..< 4, 2 ..< 6]
        let outputs = [["a0", "a1", "a2", "a3"], ["b2", "b3", "b4", "b5"]]
        let merged = TokenWindowing.merge(windows: windows, outputs: outputs, tokenCount: 6)
        #expect(merged == ["a0", "a1", "a2", "b3", "b4", "b5"])
    }

    @Test func mergeRejectsMismatchedOutputs() {
        #expect(TokenWindowing.merge(windows: [0 ..< 2], outputs: [["x"]], tokenCount: 2) == nil)
    }
}
