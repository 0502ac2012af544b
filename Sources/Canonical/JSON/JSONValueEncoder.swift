import Foundation

/// Encodes `Encodable` values straight to `JSONValue`, keeping the order keys are encoded in (for synthesized
/// conformances: declaration order) and keeping `Double` apart from `Int` (`1.0` stays a double).
public struct JSONValueEncoder {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        if let v = value as? JSONValue { return v }
        let node = EncodingNode()
        try value.encode(to: ValueEncoder(node: node, codingPath: []))
        return node.resolve()
    }
}

/// A value under construction; containers fill it in place.
final class EncodingNode {
    enum Content { case empty, value(JSONValue), object([String], [String: EncodingNode]), array([EncodingNode]) }
    var content: Content = .empty

    func resolve() -> JSONValue {
        switch content {
        case .empty: return .object(JSONObject())
        case .value(let v): return v
        case .object(let keys, let members): return .object(JSONObject(keys.compactMap { k in members[k].map { (k, $0.resolve()) } }))
        case .array(let items): return .array(items.map { $0.resolve() })
        }
    }
}

struct AnyKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    init(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
}

struct ValueEncoder: Encoder {
    let node: EncodingNode
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = node.content {} else { node.content = .object([], [:]) }
        return KeyedEncodingContainer(KeyedEncoder<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        if case .array = node.content {} else { node.content = .array([]) }
        return UnkeyedEncoder(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { SingleEncoder(node: node, codingPath: codingPath) }

    static func box<T: Encodable>(_ value: T, path: [CodingKey]) throws -> EncodingNode {
        let child = EncodingNode()
        switch value {
        case let v as JSONValue: child.content = .value(v)
        case let v as JSONObject: child.content = .value(.object(v))
        default: try value.encode(to: ValueEncoder(node: child, codingPath: path))
        }
        return child
    }

    static func primitive(_ v: JSONValue) -> EncodingNode {
        let n = EncodingNode(); n.content = .value(v); return n
    }

    static func integer<T: BinaryInteger>(_ v: T, path: [CodingKey]) throws -> JSONValue {
        guard let i = Int64(exactly: v) else {
            throw EncodingError.invalidValue(v, .init(codingPath: path, debugDescription: "integer \(v) does not fit in 64 bits"))
        }
        return .integer(i)
    }
}

struct KeyedEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodingNode
    let codingPath: [CodingKey]

    func set(_ child: EncodingNode, _ key: Key) {
        guard case .object(var keys, var members) = node.content else { return }
        node.content = .empty  // the node's copy released: keys and members grow in place, not copied per member
        if members[key.stringValue] == nil { keys.append(key.stringValue) }
        members[key.stringValue] = child
        node.content = .object(keys, members)
    }

    mutating func encodeNil(forKey key: Key) throws { set(ValueEncoder.primitive(.null), key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(ValueEncoder.primitive(.bool(value)), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(ValueEncoder.primitive(.string(value)), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(ValueEncoder.primitive(.number(value)), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(ValueEncoder.primitive(.number(Double(value))), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try int(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try int(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try int(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try int(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try int(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try int(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try int(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try int(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try int(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try int(value, key) }
    func int<T: BinaryInteger>(_ v: T, _ key: Key) throws {
        set(ValueEncoder.primitive(try ValueEncoder.integer(v, path: codingPath + [key])), key)
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        set(try ValueEncoder.box(value, path: codingPath + [key]), key)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = EncodingNode(); set(child, key)
        return ValueEncoder(node: child, codingPath: codingPath + [key]).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        let child = EncodingNode(); set(child, key)
        return ValueEncoder(node: child, codingPath: codingPath + [key]).unkeyedContainer()
    }
    mutating func superEncoder() -> Encoder { superEncoder(forKey: Key(stringValue: "super")!) }
    mutating func superEncoder(forKey key: Key) -> Encoder {
        let child = EncodingNode(); set(child, key)
        return ValueEncoder(node: child, codingPath: codingPath + [key])
    }
}

struct UnkeyedEncoder: UnkeyedEncodingContainer {
    let node: EncodingNode
    let codingPath: [CodingKey]
    var count: Int { if case .array(let a) = node.content { return a.count } else { return 0 } }

    func append(_ child: EncodingNode) {
        guard case .array(var items) = node.content else { return }
        node.content = .empty  // the node's copy released: items grow in place, not copied per element
        items.append(child)
        node.content = .array(items)
    }
    var nextPath: [CodingKey] { codingPath + [AnyKey(intValue: count)] }

    mutating func encodeNil() throws { append(ValueEncoder.primitive(.null)) }
    mutating func encode(_ value: Bool) throws { append(ValueEncoder.primitive(.bool(value))) }
    mutating func encode(_ value: String) throws { append(ValueEncoder.primitive(.string(value))) }
    mutating func encode(_ value: Double) throws { append(ValueEncoder.primitive(.number(value))) }
    mutating func encode(_ value: Float) throws { append(ValueEncoder.primitive(.number(Double(value)))) }
    mutating func encode(_ value: Int) throws { try int(value) }
    mutating func encode(_ value: Int8) throws { try int(value) }
    mutating func encode(_ value: Int16) throws { try int(value) }
    mutating func encode(_ value: Int32) throws { try int(value) }
    mutating func encode(_ value: Int64) throws { try int(value) }
    mutating func encode(_ value: UInt) throws { try int(value) }
    mutating func encode(_ value: UInt8) throws { try int(value) }
    mutating func encode(_ value: UInt16) throws { try int(value) }
    mutating func encode(_ value: UInt32) throws { try int(value) }
    mutating func encode(_ value: UInt64) throws { try int(value) }
    func int<T: BinaryInteger>(_ v: T) throws { append(ValueEncoder.primitive(try ValueEncoder.integer(v, path: nextPath))) }
    mutating func encode<T: Encodable>(_ value: T) throws { append(try ValueEncoder.box(value, path: nextPath)) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = nextPath
        let child = EncodingNode(); append(child)
        return ValueEncoder(node: child, codingPath: path).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        let path = nextPath
        let child = EncodingNode(); append(child)
        return ValueEncoder(node: child, codingPath: path).unkeyedContainer()
    }
    mutating func superEncoder() -> Encoder {
        let path = nextPath
        let child = EncodingNode(); append(child)
        return ValueEncoder(node: child, codingPath: path)
    }
}

struct SingleEncoder: SingleValueEncodingContainer {
    let node: EncodingNode
    let codingPath: [CodingKey]
    func put(_ v: JSONValue) { node.content = .value(v) }
    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(.number(value)) }
    mutating func encode(_ value: Float) throws { put(.number(Double(value))) }
    mutating func encode(_ value: Int) throws { put(try ValueEncoder.integer(value, path: codingPath)) }
    mutating func encode(_ value: Int8) throws { put(try ValueEncoder.integer(value, path: codingPath)) }
    mutating func encode(_ value: Int16) throws { put(try ValueEncoder.integer(value, path: codingPath)) }
    mutating func encode(_ value: Int32) throws { put(try ValueEncoder.integer(value, path: codingPath)) }
    mutating func encode(_ value: Int64) throws { put(try ValueEncoder.integer(value, path: codingPath)) }
    mutating func encode(_ value: UInt) throws { put(try ValueEncoder.integer(value, path: codingPath)) }
    mutating func encode(_ value: UInt8) throws { put(try ValueEncoder.integer(value, path: codingPath)) }
    mutating func encode(_ value: UInt16) throws { put(try ValueEncoder.integer(value, path: codingPath)) }
    mutating func encode(_ value: UInt32) throws { put(try ValueEncoder.integer(value, path: codingPath)) }
    mutating func encode(_ value: UInt64) throws { put(try ValueEncoder.integer(value, path: codingPath)) }
    mutating func encode<T: Encodable>(_ value: T) throws { node.content = try ValueEncoder.box(value, path: codingPath).content }
}
