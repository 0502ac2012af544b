import Foundation
import Testing
import Inference
import Kernels

/// tiny.gguf (written by gguf-py, see scripts/fixtures/gguf_fixtures.py) parses with exact values.
@Test func tinyMetadataHasEveryValueType() throws {
    let g = try GGUFFile(path: GGUFFixtures.tiny.path)
    let md = g.metadata
    #expect(g.version == 3)
    #expect(g.architecture == "llama")
    #expect(md.count == (try GGUFFixtures.expected().kvCount))
    #expect(md["llama.block_count"]?.intValue == 2)
    guard case .uint8(200)? = md["test.u8"] else { Issue.record("test.u8: \(String(describing: md["test.u8"]))"); return }
    guard case .int8(-100)? = md["test.i8"] else { Issue.record("test.i8"); return }
    guard case .uint16(60000)? = md["test.u16"] else { Issue.record("test.u16"); return }
    guard case .int16(-30000)? = md["test.i16"] else { Issue.record("test.i16"); return }
    guard case .uint32(4_000_000_000)? = md["test.u32"] else { Issue.record("test.u32"); return }
    guard case .int32(-2_000_000_000)? = md["test.i32"] else { Issue.record("test.i32"); return }
    guard case .uint64(9_223_372_036_854_775_813)? = md["test.u64"] else { Issue.record("test.u64"); return }
    guard case .int64(-4_611_686_018_427_387_904)? = md["test.i64"] else { Issue.record("test.i64"); return }
    #expect(md["test.u64"]?.intValue == nil)   // above Int.max
    #expect(md["test.f32"]?.floatValue == 0.15625)
    #expect(md["test.f64"]?.doubleValue == 3.141592653589793)
    #expect(md["test.bool"]?.boolValue == true)
    #expect(md["test.string"]?.stringValue == "héllo ▁wörld")
    #expect(md["test.array.i32"]?.arrayValue?.ints() == [1, -2, 3])
    #expect(md["test.array.str"]?.arrayValue?.strings() == ["a", "Ġbc", ""])
    #expect(md["test.array.str"]?.arrayValue?.stringBytes(at: 1).map { Array($0) } == Array("Ġbc".utf8))
    #expect(md["test.array.f32"]?.arrayValue?.floats() == [0.5, -1.25])
    #expect(md["test.array.bool"]?.arrayValue?[1].boolValue == false)
    let nested = try #require(md["test.array.nested"]?.arrayValue?.arrays())
    #expect(nested.map { $0.ints() ?? [] } == [[1, 2], [3]])
    #expect(md.keys.first == "general.architecture")   // file order is kept
}

@Test func tinyTensorsMatchGGUFPyReader() throws {
    let g = try GGUFFile(path: GGUFFixtures.tiny.path)
    let e = try GGUFFixtures.expected()
    #expect(g.dataOffset == e.dataOffset)
    #expect(g.alignment == 32)
    #expect(g.tensorInfos.map(\.name) == e.tensors.map(\.name))
    for et in e.tensors {
        let t = try g.tensor(named: et.name)
        #expect(t.type.rawValue == et.typeID && t.type.name == et.type, "\(et.name)")
        #expect(t.shape == et.shape, "\(et.name)")
        #expect(t.info.offset == et.offset, "\(et.name)")
        #expect(t.info.byteCount == et.bytes && t.bytes.count == et.bytes, "\(et.name)")
        let values = t.dequantized()
        #expect(values.map(\.bitPattern) == et.values.map(\.bitPattern), "\(et.name)")
        #expect(t.dequantizedRow(t.info.rowCount - 1) == Array(et.values.suffix(t.info.rowLength)), "\(et.name)")
    }
    #expect(throws: GGUFError.tensorNotFound(path: g.path, name: "nope")) { try g.tensor(named: "nope") }
}

/// Type 42 with the legacy group-128 layout is recognised from the offsets and read as PQ2_0.
@Test func legacyQ2_0Group128IsDetectedBySize() throws {
    // 2048 elements: g64 = 576 bytes, g128 = 544 bytes (both already multiples of 32).
    var legacy = GGUFBuilder()
    legacy.addTensor("a", dims: [2048], type: 42, offset: 0)
    legacy.addTensor("b", dims: [2048], type: 42, offset: 544)
    let gl = try GGUFFixtures.parse(legacy.build(dataBytes: 1088))
    #expect(gl.legacyQ2_0Group128)
    #expect(gl.tensorInfos.map(\.type) == [.pq2_0, .pq2_0])

    var upstream = GGUFBuilder()
    upstream.addTensor("a", dims: [2048], type: 42, offset: 0)
    upstream.addTensor("b", dims: [2048], type: 42, offset: 576)
    let gu = try GGUFFixtures.parse(upstream.build(dataBytes: 1152))
    #expect(!gu.legacyQ2_0Group128)
    #expect(gu.tensorInfos.map(\.type) == [.q2_0, .q2_0])
}

@Test func customAlignmentIsHonouredAndValidated() throws {
    var b = GGUFBuilder()
    b.alignment = 64
    b.addU32("general.alignment", 64)
    b.addTensor("x", dims: [8], type: 0, offset: 0)
    b.addTensor("y", dims: [8], type: 0, offset: 64)
    let g = try GGUFFixtures.parse(b.build(dataBytes: 96))
    #expect(g.alignment == 64 && g.dataOffset % 64 == 0)

    var bad = GGUFBuilder()
    bad.addU32("general.alignment", 48)
    let bytes = bad.build(dataBytes: 0)
    #expect(throws: GGUFError.self) { try GGUFFixtures.parse(bytes) }
    do { _ = try GGUFFixtures.parse(bytes) } catch let e as GGUFError {
        guard case .badAlignment = e else { Issue.record("expected badAlignment, got \(e)"); return }
    }
}

@Test func valueDescriptionsAreReadable() throws {
    let md = try GGUFFile(path: GGUFFixtures.tiny.path).metadata
    #expect(md["test.u64"]?.description == "9223372036854775813")
    #expect(md["test.i8"]?.description == "-100")
    #expect(md["test.string"]?.description == "\"héllo ▁wörld\"")
    #expect(md["test.array.str"]?.description == "[string × 3] [\"a\", \"Ġbc\", \"\"]")
}
