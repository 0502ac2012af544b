/// A JSON object that remembers the order its keys were inserted in (the order they appear in the text).
///
/// Order matters to people reading output and to tools that generate fields in declared order; it does not
/// matter to equality: two objects with the same members in a different order are equal, as in JSON.
public struct JSONObject: Sendable, Hashable {
    public private(set) var keys: [String] = []
    private var storage: [String: JSONValue] = [:]

    public init() {}

    /// Builds an object from pairs in order; a later duplicate key replaces the earlier value in place.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, JSONValue) {
        keys.reserveCapacity(pairs.underestimatedCount)
        storage.reserveCapacity(pairs.underestimatedCount)
        for (k, v) in pairs { self[k] = v }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }
    public var values: [JSONValue] { keys.compactMap { storage[$0] } }

    /// Reads, replaces (keeping the key's position), appends (new key at the end) or removes (`nil`) a member.
    public subscript(key: String) -> JSONValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public func contains(key: String) -> Bool { storage[key] != nil }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        let old = storage[key]
        self[key] = nil
        return old
    }

    /// A copy with keys in ascending (code-unit) order.
    public func sortedByKey() -> JSONObject {
        var o = JSONObject()
        for k in keys.sorted() { o[k] = storage[k] }
        return o
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.storage == rhs.storage }
    public func hash(into hasher: inout Hasher) { hasher.combine(storage) }
}

extension JSONObject: Sequence {
    public func makeIterator() -> AnyIterator<(key: String, value: JSONValue)> {
        var i = 0
        return AnyIterator {
            while i < keys.count {
                let k = keys[i]; i += 1
                if let v = storage[k] { return (k, v) }
            }
            return nil
        }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}
