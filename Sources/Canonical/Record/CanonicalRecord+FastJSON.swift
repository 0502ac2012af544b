/// Reading a record back from JSON without the generic decoder, for the shapes `toJSONValue()` writes: a chain
/// decodes each record after every adapter step, so this is on the hot path. Anything it does not expect — a
/// missing or `null` required member, a number where an integer belongs (or the reverse), an unknown enum value, a
/// member it does not know — makes it return nil, and `CanonicalRecord(json:)` then runs the generic decoder, which
/// gives the same record or the usual error. `CanonicalRecordFastJSONTests` pins it to the generic decoder.
extension CanonicalRecord {
    /// The record in `json`, read directly; nil when only the generic decoder can say what it is (see above).
    public static func fastDecode(_ json: JSONValue) -> CanonicalRecord? {
        guard case .object(let o) = json,
              o.keys.allSatisfy({ recordKeys.contains($0) }),
              case .string(let schema)? = o["schema"], let documentJSON = o["document"],
              let document = Document.fastDecode(documentJSON),
              let entities = list(o["entities"], Entity.fastDecode),
              let obligations = list(o["obligations"], Obligation.fastDecode),
              let artifacts = list(o["artifacts"], Artifact.fastDecode),
              let findings = list(o["findings"], Finding.fastDecode),
              let provenance = list(o["provenance"], Provenance.fastDecode),
              let errors = list(o["errors"], StepError.fastDecode) else { return nil }
        var record = CanonicalRecord(document: document, entities: entities, obligations: obligations, artifacts: artifacts,
                                     findings: findings, provenance: provenance, errors: errors)
        record.schema = schema
        return record
    }

    private static let recordKeys: Set<String> = ["schema", "document", "entities", "obligations", "artifacts", "findings",
                                                  "provenance", "errors"]

    /// A record-level array: absent or `null` is empty (the generic decoder is lenient there too).
    private static func list<T>(_ value: JSONValue?, _ element: (JSONValue) -> T?) -> [T]? {
        switch value {
        case nil, .null?: return []
        case .array(let items)?: return FastJSON.elements(items, element)
        default: return nil
        }
    }
}

/// Readers of single members, each nil where the generic decoder would do anything else than return the value.
enum FastJSON {
    static func only(_ o: JSONObject, _ keys: Set<String>) -> Bool { o.keys.allSatisfy { keys.contains($0) } }

    static func string(_ v: JSONValue?) -> String? {
        if case .string(let s)? = v { return s }
        return nil
    }

    /// An optional string: absent or `null` is `.some(nil)`; anything but a string is nil (not readable here).
    static func optionalString(_ v: JSONValue?) -> String?? {
        switch v {
        case nil, .null?: return .some(nil)
        case .string(let s)?: return .some(s)
        default: return nil
        }
    }

    /// As `JSONValueDecoder` reads an `Int`: an integer, or a number with an integral value that fits.
    static func int(_ v: JSONValue?) -> Int? { v?.intValue }

    /// As `JSONValueDecoder` reads a `Double`: a number, or an integer converted.
    static func double(_ v: JSONValue?) -> Double? { v?.doubleValue }

    static func elements<T>(_ items: [JSONValue], _ element: (JSONValue) -> T?) -> [T]? {
        var out: [T] = []
        out.reserveCapacity(items.count)
        for item in items {
            guard let e = element(item) else { return nil }
            out.append(e)
        }
        return out
    }

    static func array<T>(_ v: JSONValue?, _ element: (JSONValue) -> T?) -> [T]? {
        if case .array(let items)? = v { return elements(items, element) }
        return nil
    }
}

extension Document {
    private static let members: Set<String> = ["id", "text", "source", "mediaType", "language", "metadata"]
    static func fastDecode(_ v: JSONValue) -> Document? {
        guard case .object(let o) = v, FastJSON.only(o, members),
              let id = FastJSON.string(o["id"]), let text = FastJSON.string(o["text"]),
              let source = FastJSON.string(o["source"]), let mediaType = FastJSON.string(o["mediaType"]),
              let language = FastJSON.optionalString(o["language"]) else { return nil }
        let metadata: JSONObject
        switch o["metadata"] {
        case nil, .null?: metadata = JSONObject()
        case .object(let m)?: metadata = m
        default: return nil
        }
        return Document(id: id, text: text, source: source, mediaType: mediaType, language: language, metadata: metadata)
    }
}

extension Entity {
    private static let members: Set<String> = ["id", "type", "text", "start", "end", "score", "attributes", "producedBy"]
    static func fastDecode(_ v: JSONValue) -> Entity? {
        guard case .object(let o) = v,
              FastJSON.only(o, members),
              let id = FastJSON.string(o["id"]), let type = FastJSON.string(o["type"]).flatMap(EntityType.init(rawValue:)),
              let text = FastJSON.string(o["text"]), let start = FastJSON.int(o["start"]), let end = FastJSON.int(o["end"]),
              let score = FastJSON.double(o["score"]), let producedBy = FastJSON.string(o["producedBy"]) else { return nil }
        var attributes: EntityAttributes?
        switch o["attributes"] {
        case nil, .null?: attributes = nil
        case .object(let a)?:
            var values = JSONObject()
            var parts: [EntityPart]?
            for (k, value) in a {
                if k == "parts" {
                    guard let p = FastJSON.array(value, EntityPart.fastDecode) else { return nil }
                    parts = p
                } else {
                    values[k] = value
                }
            }
            attributes = EntityAttributes(parts: parts, values: values)
        default: return nil
        }
        return Entity(id: id, type: type, text: text, start: start, end: end, score: score, attributes: attributes,
                      producedBy: producedBy)
    }
}

extension EntityPart {
    private static let members: Set<String> = ["type", "start", "end", "text"]
    static func fastDecode(_ v: JSONValue) -> EntityPart? {
        guard case .object(let o) = v, FastJSON.only(o, members),
              let type = FastJSON.string(o["type"]), let start = FastJSON.int(o["start"]), let end = FastJSON.int(o["end"]),
              let text = FastJSON.string(o["text"]) else { return nil }
        return EntityPart(type: type, start: start, end: end, text: text)
    }
}

extension Span {
    private static let members: Set<String> = ["start", "end", "text"]
    static func fastDecode(_ v: JSONValue) -> Span? {
        guard case .object(let o) = v, FastJSON.only(o, members),
              let start = FastJSON.int(o["start"]), let end = FastJSON.int(o["end"]),
              let text = FastJSON.string(o["text"]) else { return nil }
        return Span(start: start, end: end, text: text)
    }
}

extension Obligation {
    private static let members: Set<String> = ["id", "text", "modality", "party", "action", "deadline", "status",
                                               "evidence", "producedBy"]
    static func fastDecode(_ v: JSONValue) -> Obligation? {
        guard case .object(let o) = v,
              FastJSON.only(o, members),
              let id = FastJSON.string(o["id"]), let text = FastJSON.string(o["text"]),
              let modality = FastJSON.string(o["modality"]).flatMap(Modality.init(rawValue:)),
              let party = FastJSON.string(o["party"]), let action = FastJSON.string(o["action"]),
              let deadline = FastJSON.optionalString(o["deadline"]),
              let status = FastJSON.string(o["status"]).flatMap(Status.init(rawValue:)),
              let evidence = FastJSON.array(o["evidence"], Span.fastDecode),
              let producedBy = FastJSON.string(o["producedBy"]) else { return nil }
        return Obligation(id: id, text: text, modality: modality, party: party, action: action, deadline: deadline,
                          status: status, evidence: evidence, producedBy: producedBy)
    }
}

extension Artifact {
    private static let members: Set<String> = ["id", "kind", "language", "path", "content", "producedBy"]
    static func fastDecode(_ v: JSONValue) -> Artifact? {
        guard case .object(let o) = v, FastJSON.only(o, members),
              let id = FastJSON.string(o["id"]), let kind = FastJSON.string(o["kind"]).flatMap(Kind.init(rawValue:)),
              let language = FastJSON.optionalString(o["language"]), let path = FastJSON.optionalString(o["path"]),
              let content = FastJSON.string(o["content"]), let producedBy = FastJSON.string(o["producedBy"]) else { return nil }
        return Artifact(id: id, kind: kind, language: language, path: path, content: content, producedBy: producedBy)
    }
}

extension Finding {
    private static let members: Set<String> = ["id", "rule", "severity", "message", "evidence", "producedBy"]
    static func fastDecode(_ v: JSONValue) -> Finding? {
        guard case .object(let o) = v, FastJSON.only(o, members),
              let id = FastJSON.string(o["id"]), let rule = FastJSON.string(o["rule"]),
              let severity = FastJSON.string(o["severity"]).flatMap(Severity.init(rawValue:)),
              let message = FastJSON.string(o["message"]), let evidence = FastJSON.array(o["evidence"], Span.fastDecode),
              let producedBy = FastJSON.string(o["producedBy"]) else { return nil }
        return Finding(id: id, rule: rule, severity: severity, message: message, evidence: evidence, producedBy: producedBy)
    }
}

extension Provenance {
    private static let modelMembers: Set<String> = ["id", "sha256"]
    private static let adapterMembers: Set<String> = ["id", "version"]
    private static let members: Set<String> = ["step", "adapter", "check", "model", "parameters", "startedAt",
                                               "durationMs", "tokensIn", "tokensOut"]
    static func fastDecode(_ v: JSONValue) -> Provenance? {
        guard case .object(let o) = v,
              FastJSON.only(o, members),
              let step = FastJSON.string(o["step"]), let check = FastJSON.optionalString(o["check"]),
              case .object(let parameters)? = o["parameters"], let startedAt = FastJSON.string(o["startedAt"]),
              let durationMs = FastJSON.double(o["durationMs"]), let tokensIn = FastJSON.int(o["tokensIn"]),
              let tokensOut = FastJSON.int(o["tokensOut"]) else { return nil }
        var adapter: AdapterRef?
        switch o["adapter"] {
        case nil, .null?: adapter = nil
        case .object(let a)? where FastJSON.only(a, adapterMembers):
            guard let id = FastJSON.string(a["id"]), let version = FastJSON.string(a["version"]) else { return nil }
            adapter = AdapterRef(id: id, version: version)
        default: return nil
        }
        var model: ModelRef?
        switch o["model"] {
        case nil, .null?: model = nil
        case .object(let m)? where FastJSON.only(m, modelMembers):
            guard let id = FastJSON.string(m["id"]), let sha = FastJSON.string(m["sha256"]) else { return nil }
            model = ModelRef(id: id, sha256: sha)
        default: return nil
        }
        return Provenance(step: step, adapter: adapter, check: check, model: model, parameters: parameters,
                          startedAt: startedAt, durationMs: durationMs, tokensIn: tokensIn, tokensOut: tokensOut)
    }
}

extension StepError {
    private static let members: Set<String> = ["step", "kind", "message"]
    static func fastDecode(_ v: JSONValue) -> StepError? {
        guard case .object(let o) = v, FastJSON.only(o, members),
              let step = FastJSON.string(o["step"]), let kind = FastJSON.string(o["kind"]),
              let message = FastJSON.string(o["message"]) else { return nil }
        return StepError(step: step, kind: kind, message: message)
    }
}
