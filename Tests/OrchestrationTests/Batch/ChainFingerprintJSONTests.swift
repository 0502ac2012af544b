import Canonical
import Foundation
import Orchestration
import Testing

@Suite("Chain fingerprint JSON")
struct ChainFingerprintJSONTests {
    static let roles = ["weights", "vocab", "config", "tokenizer", "labels", "merges", "a", "z"]

    /// summary.json holds the fingerprint: its model files come out in role order, whatever order the dictionary
    /// holds them in, and read back to the same fingerprint.
    @Test func modelFilesAreWrittenInRoleOrder() throws {
        var files: [String: String] = [:]
        for (i, role) in Self.roles.enumerated() { files[role] = String(repeating: "\(i)", count: 4) }
        let fingerprint = ChainFingerprint(chain: "c", chainFileSHA256: "x", steps: [
            .init(id: "s", check: nil, adapters: [.init(id: "a", version: "1.0.0", fileSHA256: "y", model: "m", modelFiles: files)]),
        ])
        let json = try fingerprint.jsonValue()
        let written = try #require(json["steps"]?[0]?["adapters"]?[0]?["modelFiles"]?.objectValue)
        #expect(written.keys == ["a", "config", "labels", "merges", "tokenizer", "vocab", "weights", "z"])
        #expect(written["vocab"] == .string("1111"))
        #expect(try ChainFingerprint(json: json) == fingerprint)
    }
}
