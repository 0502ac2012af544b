/// `JSONValue` and `JSONObject` can be fields of `Codable` types (free maps such as `metadata`, `parameters`).
/// With `JSONValueEncoder`/`JSONValueDecoder` they pass through unchanged, order included; with other coders
/// they are encoded structurally.
extension JSONValue: Codable {
    public init(from decoder: Decoder) throws {
        if let d = decoder as? ValueDecoder { self = d.value; return }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null
        } else if let b = try? c.decode(Bool.self) { self = .bool(b)
        } else if let i = try? c.decode(Int64.self) { self = .integer(i)
        } else if let d = try? c.decode(Double.self) { self = .number(d)
        } else if let s = try? c.decode(String.self) { self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) { self = .array(a)
        } else { self = .object(try c.decode(JSONObject.self)) }
    }

    public func encode(to encoder: Encoder) throws {
        if let e = encoder as? ValueEncoder { e.node.content = .value(self); return }
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .integer(let i): try c.encode(i)
        case .number(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

extension JSONObject: Codable {
    public init(from decoder: Decoder) throws {
        if let d = decoder as? ValueDecoder, case .object(let o) = d.value { self = o; return }
        let c = try decoder.container(keyedBy: AnyKey.self)
        var o = JSONObject()
        for key in c.allKeys { o[key.stringValue] = try c.decode(JSONValue.self, forKey: key) }
        self = o
    }

    public func encode(to encoder: Encoder) throws {
        if let e = encoder as? ValueEncoder { e.node.content = .value(.object(self)); return }
        var c = encoder.container(keyedBy: AnyKey.self)
        for (k, v) in self { try c.encode(v, forKey: AnyKey(stringValue: k)) }
    }
}
