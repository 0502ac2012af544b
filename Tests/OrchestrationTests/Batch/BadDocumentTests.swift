import Canonical
import Foundation
import Orchestration
import Testing

@Suite("Bad documents fail alone")
struct BadDocumentTests {
    @Test("Each kind of bad file gets a failed record with its kind; good files are processed; exit code 3")
    func directoryOfBadFiles() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        try dir.file("in/good1.txt", "Alice signs.")
        try dir.data("in/latin1.txt", Data([0x43, 0x61, 0x66, 0xE9, 0x20, 0x41]))  // "Café A" in Latin-1: 0xE9 is not UTF-8
        try dir.file("in/empty.txt", "")
        try dir.file("in/blank.txt", " \n\t\n")
        try dir.data("in/nul.txt", Data("Alice\u{0}Bob".utf8))
        try dir.data("in/control.txt", Data((0..<100).map { $0 % 3 == 0 ? UInt8(0x01) : UInt8(0x41) }))
        try dir.file("in/huge.txt", String(repeating: "a", count: 2000))
        try dir.file("in/good2.md", "Bob")
        let p = FakeProcessor()
        let out = dir.url.appendingPathComponent("out")
        let (_, summary) = try BatchHarness.run(p, input: dir.url.appendingPathComponent("in").path, out: out,
                                                options: .init(batchSize: 3, maxDocumentBytes: 1000))
        #expect(p.seen.sorted() == ["good1", "good2"])
        let byID = Dictionary(uniqueKeysWithValues: try BatchHarness.records(out).map { ($0.document.id, $0) })
        let expected = ["latin1": "invalid-utf8", "empty": "empty", "blank": "empty", "nul": "binary", "control": "binary", "huge": "too-large"]
        for (id, kind) in expected {
            let r = try #require(byID[id], "\(id) missing")
            #expect(r.errors.map(\.kind) == [kind], "\(id)")
            #expect(r.errors.first?.step == "input")
            #expect(r.document.text == "" && r.document.metadata["rejected"] == .string(kind))
        }
        #expect(byID["latin1"]?.errors.first?.message.contains("offset 3") == true)
        #expect(byID["huge"]?.document.metadata["byteCount"] == .integer(2000))
        #expect(byID["good1"]?.errors.isEmpty == true && byID["good2"]?.entities.count == 1)
        #expect(summary.failed == 6 && summary.done == 2 && summary.exitCode == 3)
        #expect(summary.failuresByKind == ["binary": 2, "empty": 2, "invalid-utf8": 1, "too-large": 1])
        #expect(try BatchHarness.allLinesValid(out))
    }

    @Test("Bad JSONL lines fail alone: not JSON, not an object, no id, no text, invalid UTF-8, over the limit")
    func badJSONLLines() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        var bytes = Data()
        bytes += Data("{\"id\":\"ok\",\"text\":\"Alice\"}\n".utf8)
        bytes += Data("{not json\n".utf8)
        bytes += Data("[1,2]\n".utf8)
        bytes += Data("{\"text\":\"no id\"}\n".utf8)
        bytes += Data("{\"id\":\"notext\",\"body\":\"x\"}\n".utf8)
        bytes += Data("{\"id\":\"bad8\",\"text\":\"caf".utf8) + Data([0xC3, 0x28]) + Data("\"}\n".utf8)
        bytes += Data("{\"id\":\"big\",\"text\":\"\(String(repeating: "b", count: 600))\"}\n".utf8)
        bytes += Data("{\"id\":\"nul\",\"text\":\"a\\u0000b\"}\n".utf8)
        bytes += Data("{\"id\":\"ok2\",\"text\":\"Bob\"}\n".utf8)
        try dir.data("in.jsonl", bytes)
        let out = dir.url.appendingPathComponent("out")
        let p = FakeProcessor()
        let (_, summary) = try BatchHarness.run(p, input: dir.url.appendingPathComponent("in.jsonl").path, out: out,
                                                options: .init(batchSize: 4, maxDocumentBytes: 500))
        #expect(p.seen == ["ok", "ok2"])
        let kinds = Dictionary(uniqueKeysWithValues: try BatchHarness.records(out).map { ($0.document.id, $0.errors.first?.kind ?? "-") })
        #expect(kinds == ["ok": "-", "line-2": "invalid-json", "line-3": "invalid-json", "line-4": "missing-id",
                          "notext": "missing-text", "bad8": "invalid-utf8", "big": "too-large", "nul": "binary", "ok2": "-"])
        #expect(summary.exitCode == 3)
        #expect(try BatchHarness.allLinesValid(out))
    }

    @Test("A JSONL line far over the limit is skipped without being held in memory, and the next line is read")
    func hugeLine() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let huge = "{\"id\":\"h\",\"text\":\"" + String(repeating: "z", count: 300_000) + "\"}\n"
        try dir.file("in.jsonl", huge + "{\"id\":\"after\",\"text\":\"Alice\"}\n")
        let out = dir.url.appendingPathComponent("out")
        _ = try BatchHarness.run(FakeProcessor(), input: dir.url.appendingPathComponent("in.jsonl").path, out: out,
                                 options: .init(batchSize: 4, maxDocumentBytes: 1000))
        let records = try BatchHarness.records(out)
        #expect(records.map(\.document.id) == ["line-1", "after"])
        #expect(records[0].errors.first?.kind == "too-large")
    }

    @Test("UTF8Check agrees with the standard library on random byte strings")
    func utf8Oracle() {
        var rng = SplitMix(seed: 7)
        let alphabet: [UInt8] = [0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xA0, 0xED, 0x9F, 0xEF, 0xF0, 0x90, 0xF4, 0x8F, 0xF5, 0xFF]
        for _ in 0..<20_000 {
            let bytes = (0..<Int(rng.next() % 7)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let valid = String(validating: bytes, as: UTF8.self) != nil
            #expect((UTF8Check.firstInvalidOffset(bytes) == nil) == valid, "\(bytes)")
        }
        #expect(UTF8Check.firstInvalidOffset(Array("héllo €𝄞".utf8)) == nil)
        #expect(UTF8Check.firstInvalidOffset([0x61, 0x62, 0xE2, 0x82]) == 2)
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
