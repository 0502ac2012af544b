/// The canonical record (`franca/v1`): one per document, growing as it moves through a chain.
/// Its JSON form is described by `Schemas/canonical.schema.json` (`JSONSchema.canonical()`).
public struct CanonicalRecord: Codable, Hashable, Sendable {
    public var schema: String
    public var document: Document
    public var entities: [Entity]
    public var obligations: [Obligation]
    public var artifacts: [Artifact]
    public var findings: [Finding]
    public var provenance: [Provenance]
    public var errors: [StepError]

    public init(document: Document, entities: [Entity] = [], obligations: [Obligation] = [], artifacts: [Artifact] = [],
                findings: [Finding] = [], provenance: [Provenance] = [], errors: [StepError] = []) {
        schema = CanonicalVersion.current
        self.document = document; self.entities = entities; self.obligations = obligations; self.artifacts = artifacts
        self.findings = findings; self.provenance = provenance; self.errors = errors
    }

    enum CodingKeys: String, CodingKey { case schema, document, entities, obligations, artifacts, findings, provenance, errors }

    /// Lenient about missing arrays (they mean "none yet"); strict about everything present.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decode(String.self, forKey: .schema)
        document = try c.decode(Document.self, forKey: .document)
        entities = try c.decodeIfPresent([Entity].self, forKey: .entities) ?? []
        obligations = try c.decodeIfPresent([Obligation].self, forKey: .obligations) ?? []
        artifacts = try c.decodeIfPresent([Artifact].self, forKey: .artifacts) ?? []
        findings = try c.decodeIfPresent([Finding].self, forKey: .findings) ?? []
        provenance = try c.decodeIfPresent([Provenance].self, forKey: .provenance) ?? []
        errors = try c.decodeIfPresent([StepError].self, forKey: .errors) ?? []
    }
}

/// A record's JSON did not have the shape of `CanonicalRecord`: where (JSON Pointer) and why.
public struct CanonicalDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let pointer: String
    public let message: String
    public var description: String { "\(pointer.isEmpty ? "(root)" : pointer): \(message)" }
}

extension CanonicalRecord {
    /// The record as a JSON value, keys in schema order (schema, document, entities, ...): what
    /// `JSONValueEncoder` makes of it, written directly (`CanonicalRecord+JSON.swift`).
    public func toJSONValue() throws -> JSONValue {
        jsonValue
    }

    /// Reads a record from JSON. Validate against `JSONSchema.canonical()` first for full diagnostics; this only
    /// reports the first shape problem.
    public init(json: JSONValue) throws(CanonicalDecodingError) {
        if let record = Self.fastDecode(json) {
            self = record
            return
        }
        do {
            self = try JSONValueDecoder().decode(CanonicalRecord.self, from: json)
        } catch let error as DecodingError {
            throw CanonicalRecord.convert(error)
        } catch {
            throw CanonicalDecodingError(pointer: "", message: "\(error)")
        }
    }

    /// One line of JSONL: compact JSON in schema order.
    public func jsonLine() throws -> String {
        try toJSONValue().serialized()
    }

    static func convert(_ error: DecodingError) -> CanonicalDecodingError {
        switch error {
        case .keyNotFound(let key, let c):
            return CanonicalDecodingError(pointer: JSONValueDecoder.pointer(c.codingPath), message: "missing required key \"\(key.stringValue)\"")
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            return CanonicalDecodingError(pointer: JSONValueDecoder.pointer(c.codingPath), message: c.debugDescription)
        @unknown default:
            return CanonicalDecodingError(pointer: "", message: "\(error)")
        }
    }
}
