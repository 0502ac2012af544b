/// A JSON object that remembers the order its keys were inserted in (the order they appear in the text).
///
/// Order matters to people reading output and to tools that generate fields in declared order; it does not
/// matter to equality: two objects with the same members in a different order are equal, as in JSON.
///
/// Members live in two parallel arrays in order. Most objects have a handful of members (a token, an entity,
/// a provenance entry), and comparing a few short keys is cheaper than hashing one, so an object looks keys up
/// by scanning; only objects with more than `indexedCount` members keep a key → position index.
public struct JSONObject: Sendable, Hashable {
    public private(set) var keys: [String] = []
    /// The values, in the order of `keys`.
    public private(set) var values: [JSONValue] = []
    /// Key → position, only for objects with more than `indexedCount` members.
    private var index: [String: Int]?

    static let indexedCount = 12

    public init() {}

    /// Builds an object from pairs in order; a later duplicate key replaces the earlier value in place.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, JSONValue) {
        keys.reserveCapacity(pairs.underestimatedCount)
        values.reserveCapacity(pairs.underestimatedCount)
        for (k, v) in pairs { self[k] = v }
    }

    /// An object from keys known to be distinct and their values, in order: nothing is looked up, and objects of
    /// the same shape can share one `keys` array.
    public init(distinctKeys keys: [String], values: [JSONValue]) {
        precondition(keys.count == values.count, "one value per key")
        assert(Set(keys).count == keys.count, "keys must be distinct")
        self.keys = keys
        self.values = values
        if keys.count > Self.indexedCount { index = Dictionary(uniqueKeysWithValues: zip(keys, keys.indices)) }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// The position of `key` among the members, if present.
    func position(of key: String) -> Int? {
        if let index { return index[key] }
        return keys.firstIndex(of: key)
    }

    /// Reads, replaces (keeping the key's position), appends (new key at the end) or removes (`nil`) a member.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { values[$0] } }
        set {
            let at = position(of: key)
            if let newValue {
                if let at {
                    values[at] = newValue
                } else {
                    keys.append(key)
                    values.append(newValue)
                    if index != nil {
                        index?[key] = keys.count - 1
                    } else if keys.count > Self.indexedCount {
                        index = Dictionary(uniqueKeysWithValues: zip(keys, keys.indices))
                    }
                }
            } else if let at {
                keys.remove(at: at)
                values.remove(at: at)
                if index != nil { index = Dictionary(uniqueKeysWithValues: zip(keys, keys.indices)) }
            }
        }
    }

    public func contains(key: String) -> Bool { position(of: key) != nil }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        let old = self[key]
        self[key] = nil
        return old
    }

    /// A copy with keys in ascending (code-unit) order.
    public func sortedByKey() -> JSONObject {
        var o = JSONObject()
        for i in keys.indices.sorted(by: { keys[$0] < keys[$1] }) { o[keys[i]] = values[i] }
        return o
    }

    /// Same members, whatever their order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (k, v) in zip(lhs.keys, lhs.values) {
            guard let w = rhs[k], w == v else { return false }
        }
        return true
    }

    /// Order-independent, like `Dictionary`'s: each member hashed alone, the results combined commutatively.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for (k, v) in zip(keys, values) {
            var h = Hasher()
            h.combine(k)
            h.combine(v)
            combined ^= h.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }
}

extension JSONObject: Sequence {
    public struct Iterator: IteratorProtocol {
        let keys: [String]
        let values: [JSONValue]
        var i = 0

        public mutating func next() -> (key: String, value: JSONValue)? {
            guard i < keys.count else { return nil }
            defer { i += 1 }
            return (keys[i], values[i])
        }
    }

    public func makeIterator() -> Iterator { Iterator(keys: keys, values: values) }
    public var underestimatedCount: Int { keys.count }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}
