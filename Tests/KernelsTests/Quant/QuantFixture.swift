import Foundation
import Kernels

/// One golden case written by `scripts/fixtures/quant_fixtures.py` (format in the script's docstring).
struct QuantFixture: CustomStringConvertible {
    let file: String
    let type: GGMLType
    let count: Int
    let source: [Float]?
    let bytes: [UInt8]
    let dequantized: [Float]

    var description: String { file }

    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()   // Quant
            .deletingLastPathComponent().deletingLastPathComponent()    // Tests
            .appendingPathComponent("Fixtures/quant")
    }

    static func all() throws -> [QuantFixture] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".bin") }.sorted()
        return try names.map { try load($0) }
    }

    struct Malformed: Error { let file: String }

    static func load(_ name: String) throws -> QuantFixture {
        let data = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
        func u32(_ o: Int) -> Int { Int(data[o]) | Int(data[o + 1]) << 8 | Int(data[o + 2]) << 16 | Int(data[o + 3]) << 24 }
        func floats(_ o: Int, _ n: Int) -> [Float] { (0..<n).map { Float(bitPattern: UInt32(u32(o + 4 * $0))) } }
        guard data.count >= 20, data[0..<4] == [0x46, 0x51, 0x46, 0x31],
              let type = GGMLType(rawValue: UInt32(u32(4))) else { throw Malformed(file: name) }
        let count = u32(8), nbytes = u32(12), hasSource = u32(16) != 0
        var o = 20
        let source = hasSource ? floats(o, count) : nil
        if hasSource { o += 4 * count }
        let bytes = Array(data[o..<(o + nbytes)])
        o += nbytes
        guard data.count == o + 4 * count else { throw Malformed(file: name) }
        return QuantFixture(file: name, type: type, count: count, source: source, bytes: bytes, dequantized: floats(o, count))
    }
}

/// Test helpers over the traits table with Swift arrays (the kernels themselves take raw pointers).
enum QuantArrays {
    static func dequantize(_ type: GGMLType, _ bytes: [UInt8], count: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: count)
        bytes.withUnsafeBytes { src in
            out.withUnsafeMutableBufferPointer { type.dequantizeRow(src: src.baseAddress!, dst: $0.baseAddress!, count: count) }
        }
        return out
    }

    static func quantize(_ type: GGMLType, _ values: [Float]) -> [UInt8]? {
        guard let bytes = type.byteCount(elements: values.count) else { return nil }
        var out = [UInt8](repeating: 0xAA, count: bytes)
        let ok = values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBytes { type.quantizeRow(src: src.baseAddress!, dst: $0.baseAddress!, count: values.count) }
        }
        return ok ? out : nil
    }

    static func dot(_ type: GGMLType, weights: [UInt8], activations: [UInt8], count: Int) -> Float? {
        weights.withUnsafeBytes { w in
            activations.withUnsafeBytes { a in type.dot(weights: w.baseAddress!, activations: a.baseAddress!, count: count) }
        }
    }

    /// A deterministic activation-like row (no RNG state shared with the weights).
    static func activations(_ n: Int, seed: Int) -> [Float] {
        (0..<n).map { i in
            let t = Float(i * 7 + seed)
            return 1.7 * sin(t * 0.37) + 0.4 * cos(t * 1.91) + (i % 97 == 5 ? 6 : 0)
        }
    }
}
