import Canonical
import Foundation
import Inference
import Orchestration
import Testing

/// The example chains on the example documents, on the real models, as `franca run` runs them (grammar-constrained
/// greedy decoding, so exact): each record must equal its pinned copy in `Tests/Fixtures/chains/records/`, apart
/// from wall-clock fields (provenance `startedAt` and `durationMs`).
///
/// The pinned records were written by `scripts/fixtures/pin_example_records.sh` (the same runs through
/// `franca run`) and read by hand (see that folder's README.md). After an intended change (an adapter edit,
/// different kernel arithmetic) run the script again and review the diff.
@Suite(.serialized) struct ExampleRecordsTests {
    struct Case: CustomStringConvertible, Sendable {
        var chain: String
        /// A text document under Examples/documents, or a seed record (`.json`).
        var path: String
        var description: String { "\(chain) on \(path)" }
        var fixture: String {
            let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            return "\(chain)--\(name).json"
        }
        var models: [String] {
            switch chain {
            case "pii-redaction": return ["rampart-pii"]
            case "code-change": return ["smollm2"]
            default: return ["rampart-pii", "smollm2", "gemma3-270m", "all-minilm-l6-v2"]
            }
        }
    }

    static let cases = [
        Case(chain: "pii-redaction", path: "Examples/documents/clinical/intake-note.txt"),
        Case(chain: "pii-redaction", path: "Examples/documents/contracts/supply-agreement.txt"),
        Case(chain: "contract-compliance", path: "Examples/documents/contracts/supply-agreement.txt"),
        Case(chain: "contract-compliance", path: "Examples/documents/clinical/intake-note.txt"),
        Case(chain: "code-change", path: "Examples/code-change/request.json"),
    ]

    static let runners: RunnerCache? = RepoModels.catalog.map { RunnerCache(catalog: $0, options: RuntimeOptions(threads: 2)) }
    static let folder = Fixtures.testsDirectory.appendingPathComponent("Fixtures/chains/records")

    static var allModels: Bool { ["rampart-pii", "smollm2", "gemma3-270m", "all-minilm-l6-v2"].allSatisfy(RepoModels.available) }

    @Test(.enabled(if: allModels, "run `franca models pull` first"), arguments: cases)
    func recordMatchesItsPinnedCopy(_ c: Case) throws {
        let project = try #require(RepoModels.project)
        let executor = try ChainExecutor(project: project, chain: try #require(project.chain(c.chain)),
                                         runners: try #require(Self.runners),
                                         options: .init(modelLoadFailure: .recordError, constraint: NativeOutputGrammar.provider))
        let record = try #require(try executor.run([try Self.seed(c.path)]).first)
        let json = try record.toJSONValue()
        #expect(try JSONSchema.canonical().validate(json).isEmpty, "the record must validate")
        // Both sides as parsed from JSON text, so numbers compare as written.
        let actual = try JSONValue.parse(Self.stable(json).serialized())
        let pinned = Self.stable(try JSONValue.parse(try Data(contentsOf: Self.folder.appendingPathComponent(c.fixture))))
        #expect(actual == pinned, "\(c): record differs from \(c.fixture)\n--- actual\n\(actual.serialized(options: [.pretty, .sortedKeys]))")
    }

    /// A text file becomes a document with the id `franca run --input Examples/documents` gives it; a `.json` file
    /// is a seed record (as `franca run --record`).
    static func seed(_ path: String) throws -> CanonicalRecord {
        let url = Fixtures.repoRoot.appendingPathComponent(path)
        if path.hasSuffix(".json") {
            var json = try JSONValue.parse(try Data(contentsOf: url))
            if var o = json.objectValue {
                o["schema"] = .string(CanonicalVersion.current)
                if var d = o["document"]?.objectValue { d["metadata"] = .object(JSONObject()); o["document"] = .object(d) }
                json = .object(o)
            }
            return try CanonicalRecord(json: json)
        }
        let id = String(path.dropFirst("Examples/documents/".count).dropLast(4))
        return CanonicalRecord(document: Document(id: id, text: try String(contentsOf: url, encoding: .utf8), source: path))
    }

    /// The record without wall-clock fields.
    static func stable(_ json: JSONValue) -> JSONValue {
        guard var o = json.objectValue, let provenance = o["provenance"]?.arrayValue else { return json }
        o["provenance"] = .array(provenance.map { item in
            guard var p = item.objectValue else { return item }
            p["startedAt"] = nil
            p["durationMs"] = nil
            return .object(p)
        })
        return .object(o)
    }
}
