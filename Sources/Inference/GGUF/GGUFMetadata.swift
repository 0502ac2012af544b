/// The key/value header of a GGUF file, in file order.
public struct GGUFMetadata: Sequence {
    public private(set) var entries: [(key: String, value: GGUFValue)] = []
    private var index: [String: Int] = [:]

    public init() {}

    public subscript(key: String) -> GGUFValue? { index[key].map { entries[$0].value } }

    public var keys: [String] { entries.map(\.key) }
    public var count: Int { entries.count }

    /// Adds a key; false when it is already present.
    mutating func insert(_ key: String, _ value: GGUFValue) -> Bool {
        guard index[key] == nil else { return false }
        index[key] = entries.count
        entries.append((key, value))
        return true
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: GGUFValue)]> { entries.makeIterator() }
}
