import Foundation
import Testing
import Inference

/// Parses `bytes` and returns the GGUFError it throws (nil when it parses). Any other error is recorded.
private func gguFError(_ bytes: [UInt8]) -> GGUFError? {
    do {
        _ = try GGUFFixtures.parse(bytes)
        return nil
    } catch let e as GGUFError {
        return e
    } catch {
        Issue.record("not a GGUFError: \(error)")
        return nil
    }
}

/// Every prefix of tiny.gguf that cuts into the header or any tensor's data is refused with a typed
/// error (never a crash). Only the last tensor's trailing alignment padding may be missing.
@Test func truncationAtEveryOffsetIsATypedError() throws {
    let bytes = try GGUFFixtures.tinyBytes()
    let e = try GGUFFixtures.expected()
    let last = try #require(e.tensors.last)
    let dataEnd = e.dataOffset + Int(last.offset) + last.bytes
    #expect(dataEnd < bytes.count)   // the fixture does end with padding, so the boundary is exercised
    var accepted = [Int]()
    for n in 0..<bytes.count {
        if gguFError(Array(bytes[0..<n])) == nil { accepted.append(n) }
    }
    #expect(accepted == Array(dataEnd..<bytes.count))
}

/// Flipping any single bit of the 24-byte header gives a typed error, except the three flips that leave a
/// valid file: version 3 → 2 (same layout) and tensor count 6 → 4 or 2 (fewer tensors, still contiguous).
@Test func headerBitFlipsGiveTypedErrors() throws {
    let bytes = try GGUFFixtures.tinyBytes()
    var accepted = [Int: Int]()   // bit → tensor count of the accepted file
    for bit in 0..<(24 * 8) {
        var b = bytes
        b[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
        if let g = try? GGUFFixtures.parse(b) { accepted[bit] = g.tensorInfos.count } else { _ = gguFError(b) }
    }
    #expect(accepted == [32: 6, 65: 4, 66: 2])
}

@Test func lyingHeaderFieldsGiveTheRightErrors() throws {
    let bytes = try GGUFFixtures.tinyBytes()
    var b = bytes
    b[0] = 0x48
    guard case .badMagic? = gguFError(b) else { Issue.record("magic"); return }

    b = bytes; GGUFFixtures.patch(&b, at: 4, UInt32(1))
    #expect(gguFError(b)?.description.contains("version 1 is not supported") == true)
    b = bytes; GGUFFixtures.patch(&b, at: 4, UInt32(3 << 16))   // a big-endian file's version field
    guard case .unsupportedVersion(_, 0x30000)? = gguFError(b) else { Issue.record("big-endian version"); return }

    b = bytes; GGUFFixtures.patch(&b, at: 8, UInt64(1) << 40)
    guard case .implausibleCount(_, "tensor count", _, _)? = gguFError(b) else { Issue.record("tensor count: \(String(describing: gguFError(b)))"); return }
    b = bytes; GGUFFixtures.patch(&b, at: 16, UInt64.max)
    guard case .implausibleCount(_, "metadata key/value count", _, _)? = gguFError(b) else { Issue.record("kv count"); return }
}

@Test func lyingMetadataGivesTheRightErrors() throws {
    let bytes = try GGUFFixtures.tinyBytes()
    var b = bytes
    // First key's length (at 24) far beyond the key limit.
    GGUFFixtures.patch(&b, at: 24, UInt64(1) << 60)
    guard case .stringTooLong? = gguFError(b) else { Issue.record("key length: \(String(describing: gguFError(b)))"); return }

    // A string value whose length runs past the end of the file.
    let sv = try #require(GGUFFixtures.offsetAfterString("test.string", in: bytes))
    b = bytes; GGUFFixtures.patch(&b, at: sv + 4, UInt64(1) << 62)
    guard case let .truncated(_, what, _, _, _)? = gguFError(b), what.contains("test.string") else {
        Issue.record("string value length: \(String(describing: gguFError(b)))"); return
    }

    // Array length larger than the file.
    let av = try #require(GGUFFixtures.offsetAfterString("test.array.i32", in: bytes))
    b = bytes; GGUFFixtures.patch(&b, at: av + 8, UInt64(1) << 50)
    guard case .implausibleCount(_, "array length of 'test.array.i32'", _, _)? = gguFError(b) else {
        Issue.record("array length: \(String(describing: gguFError(b)))"); return
    }

    // Unknown value type.
    let u8 = try #require(GGUFFixtures.offsetAfterString("test.u8", in: bytes))
    b = bytes; GGUFFixtures.patch(&b, at: u8, UInt32(13))
    guard case .unknownValueType(_, "test.u8", 13, u8)? = gguFError(b) else { Issue.record("value type"); return }

    // Duplicate key: rename test.i8 → test.u8 (same length).
    let i8 = try #require(GGUFFixtures.offsetAfterString("test.i8", in: bytes))
    b = bytes; b[i8 - 2] = UInt8(ascii: "u")
    #expect(gguFError(b) == .duplicateKey(path: "", key: "test.u8") || { if case .duplicateKey(_, "test.u8")? = gguFError(b) { return true }; return false }())
}

/// Tensor-info corruption: offsets are taken from the fixture (tensor infos follow the metadata).
@Test func lyingTensorInfosGiveTheRightErrors() throws {
    let bytes = try GGUFFixtures.tinyBytes()
    let f32 = try #require(GGUFFixtures.offsetAfterString("t.f32", in: bytes))   // n_dims u32, dims 2×u64, type, offset
    let f16 = try #require(GGUFFixtures.offsetAfterString("t.f16", in: bytes))
    let q8 = try #require(GGUFFixtures.offsetAfterString("t.q8_0", in: bytes))

    var b = bytes; GGUFFixtures.patch(&b, at: f32, UInt32(9))
    guard case .tooManyDimensions(_, "t.f32", 9)? = gguFError(b) else { Issue.record("n_dims"); return }

    b = bytes; GGUFFixtures.patch(&b, at: f32 + 4 + 16, UInt32(99))
    guard case .unknownTensorType(_, "t.f32", 99)? = gguFError(b) else { Issue.record("type 99"); return }
    #expect(gguFError(b)?.description.contains("Q4_K=12") == true)

    let f16Offset = f16 + 4 + 16 + 4
    b = bytes; GGUFFixtures.patch(&b, at: f16Offset, UInt64(65))
    guard case .misalignedOffset(_, "t.f16", 65, 32)? = gguFError(b) else { Issue.record("misaligned"); return }

    b = bytes; GGUFFixtures.patch(&b, at: f16Offset, UInt64(0))   // overlaps t.f32
    guard case .unexpectedOffset(_, "t.f16", 0, 64)? = gguFError(b) else { Issue.record("overlap"); return }
    b = bytes; GGUFFixtures.patch(&b, at: f16Offset, UInt64(128))  // gap / out of order
    guard case .unexpectedOffset(_, "t.f16", 128, 64)? = gguFError(b) else { Issue.record("gap"); return }

    b = bytes; GGUFFixtures.patch(&b, at: q8 + 4, UInt64(48))  // ne0 48 is not a multiple of 32
    guard case .rowNotBlockMultiple(_, "t.q8_0", "Q8_0", 48, 32)? = gguFError(b) else { Issue.record("ne0"); return }

    b = bytes; GGUFFixtures.patch(&b, at: q8 + 4 + 8, UInt64(1) << 62)  // huge ne1
    let e = gguFError(b)
    switch e {
    case .sizeOverflow(_, "t.q8_0")?, .tensorOutOfBounds(_, "t.q8_0", _, _, _)?: break
    default: Issue.record("huge ne1: \(String(describing: e))")
    }

    b = bytes; GGUFFixtures.patch(&b, at: q8 + 4, UInt64.max)
    guard case .badDimension(_, "t.q8_0", _)? = gguFError(b) else { Issue.record("negative dim"); return }

    // Duplicate tensor name: t.f16 → t.f32.
    b = bytes; b[f16 - 2] = UInt8(ascii: "3"); b[f16 - 1] = UInt8(ascii: "2")
    guard case .duplicateTensor(_, "t.f32")? = gguFError(b) else { Issue.record("duplicate tensor"); return }
}

@Test func nestingDepthIsLimited() throws {
    // Metadata with one key whose value nests arrays 20 deep.
    var kv = GGUFFixtures.le(UInt64(4)) + Array("deep".utf8) + GGUFFixtures.le(UInt32(9))
    for _ in 0..<20 { kv += GGUFFixtures.le(UInt32(9)) + GGUFFixtures.le(UInt64(1)) }
    kv += GGUFFixtures.le(UInt32(0)) + GGUFFixtures.le(UInt64(1)) + [7]
    var b = GGUFBuilder()
    b.kv = kv
    b.kvCount = 1
    guard case .nestingTooDeep(_, "deep", GGUFFile.maxArrayDepth)? = gguFError(b.build(dataBytes: 64)) else {
        Issue.record("nesting"); return
    }
}
