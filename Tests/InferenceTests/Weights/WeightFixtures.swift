import Foundation
import Testing

/// Paths of the committed weight fixtures (made by `scripts/fixtures/weights_fixtures.py`) and scratch files
/// for corruption tests.
enum WeightFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Weights
        .deletingLastPathComponent()  // InferenceTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures/weights")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// A fixture JSON object (values decoded by Foundation; numbers as NSNumber).
    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// `[Float]` from a JSON array of numbers (float32 values written as doubles: exact).
    static func floats(_ value: Any?) throws -> [Float] {
        let numbers = try #require(value as? [NSNumber])
        return numbers.map { Float($0.doubleValue) }
    }

    static func ints(_ value: Any?) throws -> [Int] {
        try #require(value as? [NSNumber]).map(\.intValue)
    }
}

/// A private temporary directory for files a test writes; removed when the value goes away.
final class WeightsScratchDirectory {
    let url: URL
    private var counter = 0

    init() throws {
        // Corruption tests write thousands of small files: prefer RAM-backed /dev/shm (Linux), where a write
        // costs microseconds instead of milliseconds on a disk-backed /tmp.
        var isDirectory: ObjCBool = false
        let shm = FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isDirectory) && isDirectory.boolValue
            && FileManager.default.isWritableFile(atPath: "/dev/shm")
        let base = shm ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
        url = base.appendingPathComponent("franca-weights-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `bytes` to a fresh file and returns its path.
    func write(_ bytes: [UInt8], name: String = "file") throws -> String {
        counter += 1
        let p = url.appendingPathComponent("\(counter)-\(name)").path
        guard FileManager.default.createFile(atPath: p, contents: Data(bytes)) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return p
    }

    /// Overwrites one scratch file (cheaper than a new file per case in exhaustive loops).
    func overwrite(_ bytes: [UInt8], at path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}

/// Compares floats with an absolute + relative tolerance, reporting the first mismatch.
func expectWeightsClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 0, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
    for i in 0..<min(actual.count, expected.count) {
        let a = actual[i], e = expected[i]
        let ok = a == e || abs(a - e) <= tolerance * max(1, abs(e))
        if !ok {
            Issue.record("\(what)[\(i)] = \(a), expected \(e) (tolerance \(tolerance))", sourceLocation: sourceLocation)
            return
        }
    }
}
