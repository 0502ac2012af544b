import Canonical
import Foundation
import Testing

/// `CanonicalRecord.fastDecode` reads records without the generic decoder; the records' `Decodable` conformances
/// through `JSONValueDecoder` are the truth: the same record (and the same JSON text back), or nil so that
/// `CanonicalRecord(json:)` falls back to the generic decoder.
@Suite struct CanonicalRecordFastJSONTests {
    static func generic(_ json: JSONValue) throws -> CanonicalRecord {
        try JSONValueDecoder().decode(CanonicalRecord.self, from: json)
    }

    static func expectSame(_ json: JSONValue, _ comment: Comment? = nil) throws {
        let fast = try #require(CanonicalRecord.fastDecode(json), comment)
        let slow = try generic(json)
        #expect(fast == slow, comment)
        #expect(try fast.toJSONValue().serialized() == slow.toJSONValue().serialized(), comment)
    }

    @Test func fixtureRecordsReadAsTheGenericDecoderReadsThem() throws {
        let all = try CanonicalRecordJSONTests.fixtureJSON()
        #expect(all.count >= 7)
        for json in all { try Self.expectSame(json, "\(json["document"]?["id"] ?? "?")") }
    }

    @Test(arguments: [false, true])
    func everyOptionalSetOrUnset(set: Bool) throws {
        try Self.expectSame(try CanonicalRecordJSONTests.everyOptional(set: set).toJSONValue())
    }

    /// Missing record-level arrays and `null` optionals read as the generic decoder reads them.
    @Test func lenientShapes() throws {
        let json = try JSONValue.parse("""
        {"schema": "franca/v1", "document": {"id": "d", "text": "t", "source": "s", "mediaType": "text/plain",
         "language": null, "metadata": null},
         "entities": [{"id": "e", "type": "PERSON", "text": "t", "start": 0, "end": 1, "score": 0.5, "attributes": null,
                       "producedBy": "p"}],
         "obligations": [{"id": "o", "text": "t", "modality": "must", "party": "a", "action": "b", "deadline": null,
                          "status": "unknown", "evidence": [], "producedBy": "p"}],
         "provenance": null}
        """)
        try Self.expectSame(json)
    }

    /// Numbers read as the generic decoder reads them: an integer score, an integral number as an offset.
    @Test func numbersConvertAsTheGenericDecoderConvertsThem() throws {
        try Self.expectSame(try JSONValue.parse("""
        {"schema": "franca/v1", "document": {"id": "d", "text": "t", "source": "s", "mediaType": "m"},
         "entities": [{"id": "e", "type": "PERSON", "text": "t", "start": 0.0, "end": 1, "score": 1, "producedBy": "p"}]}
        """))
    }

    /// Shapes only the generic decoder reads: fastDecode says nil, and CanonicalRecord(json:) gives exactly what the
    /// generic decoder gives (a record, or the same error).
    @Test(arguments: [
        #"{"schema": "franca/v1", "document": {"id": "d", "text": "t", "source": "s", "mediaType": "m"}, "extra": 1}"#,
        #"{"schema": "franca/v1", "document": {"id": "d", "text": "t", "source": "s", "mediaType": "m", "x": true}}"#,
        #"{"schema": "franca/v1", "document": {"id": "d", "text": "t", "source": "s", "mediaType": "m"}, "entities": [{"id": "e", "type": "PERSON", "text": "t", "start": 0.5, "end": 1, "score": 0.5, "producedBy": "p"}]}"#,
        #"{"schema": "franca/v1", "document": {"id": "d", "text": "t", "source": "s", "mediaType": "m"}, "entities": [{"id": "e", "type": "PERSON", "text": "t", "start": 0, "end": 1, "score": "high", "producedBy": "p"}]}"#,
        #"{"schema": "franca/v1", "document": {"id": "d", "text": "t", "source": "s", "mediaType": "m"}, "entities": [{"id": "e", "type": "NOT_A_TYPE", "text": "t", "start": 0, "end": 1, "score": 0.5, "producedBy": "p"}]}"#,
        #"{"schema": "franca/v1", "document": {"id": "d", "text": null, "source": "s", "mediaType": "m"}}"#,
        #"{"schema": "franca/v1", "document": {"id": "d", "text": "t", "source": "s", "mediaType": "m"}, "errors": [{"step": "s", "kind": "k"}]}"#,
        #"{"schema": "franca/v1", "document": {"id": "d", "text": "t", "source": "s", "mediaType": "m"}, "entities": [{"id": "e", "type": "PERSON", "text": "t", "start": 0, "end": 1, "score": 0.5, "attributes": {"parts": null}, "producedBy": "p"}]}"#,
    ])
    func otherShapesFallBackToTheGenericDecoder(text: String) throws {
        let json = try JSONValue.parse(text)
        #expect(CanonicalRecord.fastDecode(json) == nil)
        let viaInit = Result { () throws(CanonicalDecodingError) in try CanonicalRecord(json: json) }
        let viaGeneric = Result { try Self.generic(json) }
        switch (viaInit, viaGeneric) {
        case (.success(let a), .success(let b)): #expect(a == b)
        case (.failure, .failure): break
        default: Issue.record("CanonicalRecord(json:) and the generic decoder disagree on \(text)")
        }
    }
}
