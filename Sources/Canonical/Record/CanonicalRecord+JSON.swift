/// The records' JSON form written by hand: what `JSONValueEncoder` makes of their `Codable` conformances (same
/// keys, same order, `nil` optionals left out except `Obligation.deadline`), without the generic encoder's
/// containers and boxes. A chain writes each record as JSON several times per step, so this is on the hot path.
/// `CanonicalRecordJSONTests` pins it to the encoder's output.
extension CanonicalRecord {
    var jsonValue: JSONValue {
        .object(JSONObject([
            ("schema", .string(schema)),
            ("document", document.jsonValue),
            ("entities", .array(entities.map(\.jsonValue))),
            ("obligations", .array(obligations.map(\.jsonValue))),
            ("artifacts", .array(artifacts.map(\.jsonValue))),
            ("findings", .array(findings.map(\.jsonValue))),
            ("provenance", .array(provenance.map(\.jsonValue))),
            ("errors", .array(errors.map(\.jsonValue))),
        ]))
    }
}

extension Document {
    var jsonValue: JSONValue {
        var o = JSONObject([("id", .string(id)), ("text", .string(text)), ("source", .string(source)),
                            ("mediaType", .string(mediaType))])
        if let language { o["language"] = .string(language) }
        o["metadata"] = .object(metadata)
        return .object(o)
    }
}

extension Entity {
    var jsonValue: JSONValue {
        var o = JSONObject([("id", .string(id)), ("type", .string(type.rawValue)), ("text", .string(text)),
                            ("start", .integer(Int64(start))), ("end", .integer(Int64(end))), ("score", .number(score))])
        if let attributes { o["attributes"] = attributes.jsonValue }
        o["producedBy"] = .string(producedBy)
        return .object(o)
    }
}

extension EntityAttributes {
    var jsonValue: JSONValue {
        var all = JSONObject()
        if let parts { all["parts"] = .array(parts.map(\.jsonValue)) }
        for (k, v) in values where k != "parts" { all[k] = v }
        return .object(all)
    }
}

extension EntityPart {
    var jsonValue: JSONValue {
        .object(JSONObject([("type", .string(type)), ("start", .integer(Int64(start))), ("end", .integer(Int64(end))),
                            ("text", .string(text))]))
    }
}

extension Obligation {
    var jsonValue: JSONValue {
        .object(JSONObject([
            ("id", .string(id)), ("text", .string(text)), ("modality", .string(modality.rawValue)), ("party", .string(party)),
            ("action", .string(action)), ("deadline", deadline.map(JSONValue.string) ?? .null),
            ("status", .string(status.rawValue)), ("evidence", .array(evidence.map(\.jsonValue))), ("producedBy", .string(producedBy)),
        ]))
    }
}

extension Artifact {
    var jsonValue: JSONValue {
        var o = JSONObject([("id", .string(id)), ("kind", .string(kind.rawValue))])
        if let language { o["language"] = .string(language) }
        if let path { o["path"] = .string(path) }
        o["content"] = .string(content)
        o["producedBy"] = .string(producedBy)
        return .object(o)
    }
}

extension Finding {
    var jsonValue: JSONValue {
        .object(JSONObject([("id", .string(id)), ("rule", .string(rule)), ("severity", .string(severity.rawValue)),
                            ("message", .string(message)), ("evidence", .array(evidence.map(\.jsonValue))),
                            ("producedBy", .string(producedBy))]))
    }
}

extension Span {
    var jsonValue: JSONValue {
        .object(JSONObject([("start", .integer(Int64(start))), ("end", .integer(Int64(end))), ("text", .string(text))]))
    }
}

extension Provenance {
    var jsonValue: JSONValue {
        var o = JSONObject([("step", .string(step))])
        if let adapter { o["adapter"] = .object(JSONObject([("id", .string(adapter.id)), ("version", .string(adapter.version))])) }
        if let check { o["check"] = .string(check) }
        if let model { o["model"] = .object(JSONObject([("id", .string(model.id)), ("sha256", .string(model.sha256))])) }
        o["parameters"] = .object(parameters)
        o["startedAt"] = .string(startedAt)
        o["durationMs"] = .number(durationMs)
        o["tokensIn"] = .integer(Int64(tokensIn))
        o["tokensOut"] = .integer(Int64(tokensOut))
        return .object(o)
    }
}

extension StepError {
    var jsonValue: JSONValue {
        .object(JSONObject([("step", .string(step)), ("kind", .string(kind)), ("message", .string(message))]))
    }
}
