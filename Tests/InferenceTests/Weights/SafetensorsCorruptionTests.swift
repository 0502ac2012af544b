import Foundation
import Inference
import Testing

/// Corrupt, truncated and lying safetensors files must give a typed error, never a crash or a silent load.
@Suite struct SafetensorsCorruptionTests {
    /// 8-byte little-endian header length + header text + data.
    static func build(_ header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
        let h = Array(header.utf8)
        let n = declaredLength ?? UInt64(h.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * $0)) } + h + data
    }

    static func open(_ bytes: [UInt8], _ scratch: WeightsScratchDirectory) throws -> SafetensorsFile {
        try SafetensorsFile(path: try scratch.write(bytes, name: "t.safetensors"))
    }

    /// Opens `bytes`, requires a `SafetensorsError`, and returns it for a closer look.
    static func failure(_ bytes: [UInt8], _ scratch: WeightsScratchDirectory,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> SafetensorsError {
        do {
            let f = try open(bytes, scratch)
            Issue.record("expected an error, loaded \(f.names)", sourceLocation: sourceLocation)
            throw CancellationError()
        } catch let e as SafetensorsError {
            #expect(!e.description.isEmpty)
            return e
        }
    }

    @Test func headerLengthLies() throws {
        let s = try WeightsScratchDirectory()
        let tooLarge = try Self.failure(Self.build("{}", declaredLength: 200_000_000), s)
        guard case .headerTooLarge(_, 200_000_000, 100_000_000) = tooLarge else { Issue.record("\(tooLarge)"); return }
        let outside = try Self.failure(Self.build("{}", declaredLength: 3), s)
        guard case .headerOutsideFile(_, 3, 10) = outside else { Issue.record("\(outside)"); return }
        let small = try Self.failure([1, 0, 0], s)
        guard case .fileTooSmall(_, 3) = small else { Issue.record("\(small)"); return }
        let huge = try Self.failure(Self.build("{}", declaredLength: UInt64.max), s)
        guard case .headerTooLarge = huge else { Issue.record("\(huge)"); return }
    }

    @Test func emptyHeaderIsAValidEmptyFile() throws {
        let s = try WeightsScratchDirectory()
        let f = try Self.open(Self.build("{}  "), s)
        #expect(f.tensors.isEmpty)
        #expect(f.metadata.isEmpty)
    }

    /// Each malformed header, with the error case it must produce.
    static let headerCases: [(String, [UInt8], String)] = [
        ("[]", [], "headerNotObject"),
        ("{\"a\":", [], "invalidJSON"),
        ("{} x", [], "invalidJSON"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", Array(repeating: 0, count: 8), "invalidJSON"),
        ("{\"\u{1}\":1}", [], "invalidJSON"),
        ("{\"a\":\"\\ud800\"}", [], "invalidJSON"),
        ("{\"a\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}", [], "invalidJSON"),
        ("{\"a\":{\"dtype\":\"F17\",\"shape\":[1],\"data_offsets\":[0,4]}}", [0, 0, 0, 0], "unknownDType"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", [0, 0, 0, 0], "invalidShape"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", [0, 0, 0, 0], "invalidShape"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", [0, 0, 0, 0], "invalidOffsets"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", Array(repeating: 0, count: 8), "sizeMismatch"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,16],\"data_offsets\":[0,8]}}", Array(repeating: 0, count: 8), "sizeMismatch"),
        ("{\"a\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,2]}}", [0, 0], "sizeMismatch"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", [0, 0, 0, 0], "offsetsOutsideBuffer"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", Array(repeating: 0, count: 12), "overlap"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", Array(repeating: 0, count: 12), "gap"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", Array(repeating: 0, count: 8), "gap"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", Array(repeating: 0, count: 8), "incompleteBuffer"),
        ("{\"__metadata__\":{\"format\":1}}", [], "invalidMetadata"),
        ("{\"__metadata__\":[]}", [], "invalidMetadata"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", [0, 0, 0, 0], "invalidTensorEntry"),
        ("{\"a\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", [0, 0, 0, 0], "invalidTensorEntry"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", [0, 0, 0, 0], "invalidTensorEntry"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,18446744073709551616]}}", [0, 0, 0, 0], "invalidTensorEntry"),
    ]

    @Test(arguments: 0..<headerCases.count)
    func malformedHeader(index: Int) throws {
        let (header, data, kind) = Self.headerCases[index]
        let s = try WeightsScratchDirectory()
        let e = try Self.failure(Self.build(header, data: data), s)
        let actual = Mirror(reflecting: e).children.first?.label ?? String(describing: e)
        #expect(actual == kind, "header \(header): \(e)")
    }

    @Test func invalidUTF8InKeyIsRefused() throws {
        let s = try WeightsScratchDirectory()
        var bytes = Self.build("{\"ab\":{}}")
        bytes[10] = 0xC3  // a UTF-8 lead byte followed by ASCII 'b' at offset 11, which is not a continuation byte
        let e = try Self.failure(bytes, s)
        guard case .invalidJSON(_, 11, _) = e else { Issue.record("\(e)"); return }
    }

    @Test func validZeroSizedAndScalarTensorsLoad() throws {
        let s = try WeightsScratchDirectory()
        let header = "{\"e\":{\"dtype\":\"F32\",\"shape\":[0,7],\"data_offsets\":[0,0]},\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}"
        let f = try Self.open(Self.build(header, data: [0, 0, 0x80, 0x3F]), s)
        #expect(try f.floats("s") == [1.0])
        #expect(try f.floats("e") == [])
        #expect(try f.info("e").shape == [0, 7])
    }

    @Test func misalignedDataHasNoZeroCopyViewButCopies() throws {
        let s = try WeightsScratchDirectory()
        let header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"  // 54 bytes: data at file offset 62
        let f = try Self.open(Self.build(header, data: [0, 0, 0x80, 0x3F]), s)
        #expect(try f.floats("a") == [1.0])
        #expect(throws: SafetensorsError.misaligned(path: f.path, tensor: "a", fileOffset: 8 + header.utf8.count, alignment: 4)) {
            try f.withFloat32Buffer("a") { _ in () }
        }
    }

    @Test func truncationAtEveryOffsetIsATypedError() throws {
        let original = try WeightFixtures.bytes("tiny.safetensors")
        let s = try WeightsScratchDirectory()
        let p = try s.write([], name: "trunc.safetensors")
        for length in 0..<original.count {
            try s.overwrite(Array(original[0..<length]), at: p)
            do {
                _ = try SafetensorsFile(path: p)
                Issue.record("truncated to \(length) of \(original.count) bytes but loaded")
            } catch is SafetensorsError {
            }
        }
    }

    /// Every bit of the length and header flipped, one at a time: a typed error, or (when the flip lands in a
    /// name or metadata text) a file that still satisfies every layout invariant.
    @Test func bitFlipsInHeaderNeverCrash() throws {
        let original = try WeightFixtures.bytes("tiny.safetensors")
        let headerEnd = 8 + Int(original[0]) + Int(original[1]) << 8
        let s = try WeightsScratchDirectory()
        let p = try s.write([], name: "flip.safetensors")
        var refused = 0, loaded = 0
        for offset in 0..<headerEnd {
            for bit in 0..<8 {
                var bytes = original
                bytes[offset] ^= UInt8(1 << bit)
                try s.overwrite(bytes, at: p)
                do {
                    let f = try SafetensorsFile(path: p)
                    loaded += 1
                    var covered = 0
                    for t in f.tensors {
                        #expect(t.dataOffsets.lowerBound == covered)
                        covered = t.dataOffsets.upperBound
                        #expect(t.dataOffsets.count * 8 == t.elementCount * t.dtype.bitSize)
                        if [.f32, .f16, .bf16].contains(t.dtype) { _ = try f.floats(t.name) }
                    }
                    #expect(f.dataStart + covered == bytes.count)
                } catch is SafetensorsError {
                    refused += 1
                }
            }
        }
        #expect(refused + loaded == headerEnd * 8)
        #expect(refused > loaded, "most flips must be caught: refused \(refused), loaded \(loaded)")
    }
}
