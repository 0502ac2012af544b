import Foundation
import Testing

/// Models the repository's adapters name, as `franca models list --json` sees the store (tests never fetch).
enum CLIModels {
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static func present(_ model: String) -> Bool {
        guard let result = try? CLIRunner.run(["models", "list", "--json"]), result.status == 0,
              let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
              let files = object["files"] as? [[String: Any]] else { return false }
        let mine = files.filter { ($0["model"] as? String) == model }
        return !mine.isEmpty && mine.allSatisfy { ($0["state"] as? String) == "verified" }
    }

    static func available(_ model: String) -> Bool { isCI || present(model) }
}

/// `franca tag` through the built executable, on the real Rampart model. Expected spans are hand-labelled.
@Suite struct TagCommandTests {
    static let text = "Please contact Maria Gonzalez at maria.gonzalez@example.org"

    @Test(.enabled(if: CLIModels.available("rampart-pii")))
    func tagPrintsTokensAndAdapterSpans() throws {
        let result = try CLIRunner.run(["tag", "rampart-pii", "--text", Self.text])
        #expect(result.status == 0, "\(result)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let spans = try #require(json["spans"] as? [[String: Any]])
        #expect(spans.map { $0["type"] as? String } == ["PERSON", "EMAIL"])
        #expect(spans.map { $0["text"] as? String } == ["Maria Gonzalez", "maria.gonzalez@example.org"])
        #expect(spans.map { $0["start"] as? Int } == [15, 33])
        #expect(spans.map { $0["end"] as? Int } == [29, 59])
        let tokens = try #require(json["tokens"] as? [[String: Any]])
        // "please contact maria gonzalez at maria . gonzalez @ example . org": WordPiece pieces, offsets in scalars.
        #expect(tokens.first?["text"] as? String == "please")
        #expect(tokens.first?["start"] as? Int == 0 && tokens.first?["end"] as? Int == 6)
        #expect(tokens.last?["end"] as? Int == Self.text.unicodeScalars.count)
        for t in tokens {
            let start = try #require(t["start"] as? Int), end = try #require(t["end"] as? Int)
            #expect(start < end)
        }
    }

    @Test func unknownModelIsAnErrorWithASuggestion() throws {
        let result = try CLIRunner.run(["tag", "rampart-pi", "--text", "x"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("unknown model 'rampart-pi'"))
        #expect(result.stderr.contains("Did you mean 'rampart-pii'?"))
    }

    @Test func textAndFileAreExclusive() throws {
        let result = try CLIRunner.run(["tag", "rampart-pii"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--text or --file"))
    }
}
