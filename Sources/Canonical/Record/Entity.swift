/// The canonical entity labels. Model-specific labels are mapped onto these by adapters (GIVEN_NAME + SURNAME → PERSON).
public enum EntityType: String, Codable, Hashable, Sendable, CaseIterable {
    case person = "PERSON"
    case email = "EMAIL"
    case phone = "PHONE"
    case url = "URL"
    case address = "ADDRESS"
    case idNumber = "ID_NUMBER"
    case taxID = "TAX_ID"
    case bankAccount = "BANK_ACCOUNT"
    case routingNumber = "ROUTING_NUMBER"
    case governmentID = "GOVERNMENT_ID"
    case passport = "PASSPORT"
    case driversLicense = "DRIVERS_LICENSE"
    case organization = "ORGANIZATION"
    case date = "DATE"
    case medication = "MEDICATION"
    case location = "LOCATION"
    case other = "OTHER"
}

/// A typed piece of an entity, e.g. the street of an ADDRESS.
public struct EntityPart: Codable, Hashable, Sendable {
    public var type: String
    public var start: Int
    public var end: Int
    public var text: String

    public init(type: String, start: Int, end: Int, text: String) {
        self.type = type; self.start = start; self.end = end; self.text = text
    }
}

/// Optional detail on an entity: typed `parts`, plus any other values (kept in order).
public struct EntityAttributes: Codable, Hashable, Sendable {
    public var parts: [EntityPart]?
    /// Every attribute other than `parts`.
    public var values: JSONObject

    public init(parts: [EntityPart]? = nil, values: JSONObject = JSONObject()) {
        self.parts = parts; self.values = values
    }

    public init(from decoder: Decoder) throws {
        var all = try JSONObject(from: decoder)
        let partsValue = all.removeValue(forKey: "parts")
        parts = try partsValue.map { try JSONValueDecoder().decode([EntityPart].self, from: $0) }
        values = all
    }

    public func encode(to encoder: Encoder) throws {
        var all = JSONObject()
        if let parts { all["parts"] = try JSONValueEncoder().encode(parts) }
        for (k, v) in values where k != "parts" { all[k] = v }
        try all.encode(to: encoder)
    }
}

/// Something named in the text: a person, an email address, a date...
public struct Entity: Codable, Hashable, Sendable {
    public var id: String
    public var type: EntityType
    /// Always `document.text[start..<end]` (Unicode scalar offsets).
    public var text: String
    public var start: Int
    public var end: Int
    /// Confidence in 0...1.
    public var score: Double
    public var attributes: EntityAttributes?
    /// Id of the chain step that produced it.
    public var producedBy: String

    public init(id: String, type: EntityType, text: String, start: Int, end: Int, score: Double,
                attributes: EntityAttributes? = nil, producedBy: String) {
        self.id = id; self.type = type; self.text = text; self.start = start; self.end = end
        self.score = score; self.attributes = attributes; self.producedBy = producedBy
    }
}
