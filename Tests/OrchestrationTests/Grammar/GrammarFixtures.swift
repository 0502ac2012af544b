import Foundation
import Canonical
import Orchestration

/// Fixture files of the grammar tests (found via `#filePath`).
enum GrammarFixtures {
    static let directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/grammar")
    static let repoRoot = directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct LanguageCase: Sendable, CustomStringConvertible {
        var name: String
        var schema: JSONValue
        var accept: [String]
        var reject: [String]
        var description: String { name }
    }

    static let languages: [LanguageCase] = {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("languages.json")),
              let doc = try? JSONValue.parse(data), let cases = doc["cases"]?.arrayValue else { return [] }
        return cases.compactMap { c in
            guard let name = c["name"]?.stringValue, let schema = c["schema"] else { return nil }
            return LanguageCase(name: name, schema: schema, accept: c["accept"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                                reject: c["reject"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
    }()

    /// The native output schemas of the repository's generative adapters with grammar native-output.
    static func generativeOutputSchemas() throws -> [(adapter: String, schema: JSONValue)] {
        let (project, _) = Project.load(root: repoRoot)
        guard let project else { return [] }
        var out: [(String, JSONValue)] = []
        for id in project.adapters.keys.sorted() {
            guard let adapter = project.adapter(id), adapter.model.task == .generation,
                  case .prompt(let prompt) = adapter.input, prompt.grammar == .nativeOutput else { continue }
            let data = try Data(contentsOf: repoRoot.appendingPathComponent(adapter.native.output))
            out.append((id, try JSONValue.parse(data)))
        }
        return out
    }
}

/// A small seeded generator (SplitMix64) so every run samples the same sequences.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
