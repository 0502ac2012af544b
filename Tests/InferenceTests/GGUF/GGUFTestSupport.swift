import Foundation
import Inference

/// Fixture paths and small byte-level tools for building and corrupting GGUF files in tests.
enum GGUFFixtures {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()   // GGUF
            .deletingLastPathComponent().deletingLastPathComponent()    // Tests
            .appendingPathComponent("Fixtures/gguf")
    }
    static var tiny: URL { directory.appendingPathComponent("tiny.gguf") }

    static func tinyBytes() throws -> [UInt8] { [UInt8](try Data(contentsOf: tiny)) }

    struct Expected: Decodable {
        struct Tensor: Decodable {
            let name: String, type: String, typeID: UInt32, shape: [Int], offset: UInt64, bytes: Int, values: [Float]
        }
        let fileSize: Int, dataOffset: Int, kvCount: Int, tensors: [Tensor]
    }

    static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: directory.appendingPathComponent("tiny.expected.json")))
    }

    struct RealRows: Decodable {
        struct Row: Decodable { let tensor: String, type: String, row: Int, first: [Float], sum: Double }
        let file: String, tensorCount: Int, kvCount: Int, dataOffset: Int, types: [String: Int], rows: [Row]
    }

    static func realRows() throws -> [String: RealRows] {
        try JSONDecoder().decode([String: RealRows].self, from: Data(contentsOf: directory.appendingPathComponent("real_rows.json")))
    }

    /// Writes bytes to a fresh temporary file and parses it.
    static func parse(_ bytes: [UInt8]) throws -> GGUFFile {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("franca-gguf-\(UUID().uuidString).gguf")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try GGUFFile(path: url.path)  // the mapping stays valid after unlink
    }

    /// Offset just past a length-prefixed GGUF string equal to `s` (the first occurrence).
    static func offsetAfterString(_ s: String, in bytes: [UInt8]) -> Int? {
        let body = Array(s.utf8)
        let needle = le(UInt64(body.count)) + body
        guard needle.count <= bytes.count else { return nil }
        for i in 0...(bytes.count - needle.count) where bytes[i..<(i + needle.count)].elementsEqual(needle) {
            return i + needle.count
        }
        return nil
    }

    static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] {
        withUnsafeBytes(of: v.littleEndian) { Array($0) }
    }

    static func patch<T: FixedWidthInteger>(_ bytes: inout [UInt8], at offset: Int, _ v: T) {
        let b = le(v)
        bytes.replaceSubrange(offset..<(offset + b.count), with: b)
    }
}

/// A minimal GGUF v3 writer for layouts gguf-py cannot produce (type 42 legacy, odd alignments).
struct GGUFBuilder {
    var kv: [UInt8] = []
    var kvCount: UInt64 = 0
    var infos: [UInt8] = []
    var tensorCount: UInt64 = 0
    var alignment = 32

    mutating func addU32(_ key: String, _ v: UInt32) {
        kv += GGUFFixtures.le(UInt64(key.utf8.count)) + Array(key.utf8) + GGUFFixtures.le(UInt32(4)) + GGUFFixtures.le(v)
        kvCount += 1
    }

    mutating func addTensor(_ name: String, dims: [UInt64], type: UInt32, offset: UInt64) {
        infos += GGUFFixtures.le(UInt64(name.utf8.count)) + Array(name.utf8) + GGUFFixtures.le(UInt32(dims.count))
        for d in dims { infos += GGUFFixtures.le(d) }
        infos += GGUFFixtures.le(type) + GGUFFixtures.le(offset)
        tensorCount += 1
    }

    /// Header, metadata, tensor infos, padding to `alignment`, then `dataBytes` zero bytes of tensor data.
    func build(dataBytes: Int) -> [UInt8] {
        var out = Array("GGUF".utf8) + GGUFFixtures.le(UInt32(3)) + GGUFFixtures.le(tensorCount) + GGUFFixtures.le(kvCount)
        out += kv + infos
        out += [UInt8](repeating: 0, count: (alignment - out.count % alignment) % alignment)
        return out + [UInt8](repeating: 0, count: dataBytes)
    }
}
