/// Metadata value type ids (`gguf_type`).
public enum GGUFValueType: UInt32, Sendable, CustomStringConvertible {
    case uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6, bool = 7
    case string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12

    /// Bytes of one value of a fixed-size type; nil for strings and arrays.
    public var fixedSize: Int? {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64: return 8
        case .string, .array: return nil
        }
    }

    /// The fewest bytes one element can take (for sanity-limiting counts against the file size).
    var minimumSize: Int { fixedSize ?? (self == .string ? 8 : 12) }

    public var description: String {
        switch self {
        case .uint8: return "u8"
        case .int8: return "i8"
        case .uint16: return "u16"
        case .int16: return "i16"
        case .uint32: return "u32"
        case .int32: return "i32"
        case .float32: return "f32"
        case .bool: return "bool"
        case .string: return "string"
        case .array: return "array"
        case .uint64: return "u64"
        case .int64: return "i64"
        case .float64: return "f64"
        }
    }
}

/// One metadata value. Arrays stay in the mapped file (see `GGUFArray`), so a 262k-entry vocabulary
/// costs an offset table, not 262k strings, until someone asks for them.
public enum GGUFValue: CustomStringConvertible {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
    case float32(Float), bool(Bool), string(String), array(GGUFArray)
    case uint64(UInt64), int64(Int64), float64(Double)

    public var type: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .float32: return .float32
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        case .uint64: return .uint64
        case .int64: return .int64
        case .float64: return .float64
        }
    }

    /// Any integer type as Int (nil for non-integers and u64 values above Int.max).
    public var intValue: Int? {
        switch self {
        case let .uint8(v): return Int(v)
        case let .int8(v): return Int(v)
        case let .uint16(v): return Int(v)
        case let .int16(v): return Int(v)
        case let .uint32(v): return Int(v)
        case let .int32(v): return Int(v)
        case let .uint64(v): return Int(exactly: v)
        case let .int64(v): return Int(v)
        default: return nil
        }
    }

    /// Floats, and integers converted (config values like `rope.freq_base` are sometimes written as ints).
    public var doubleValue: Double? {
        switch self {
        case let .float32(v): return Double(v)
        case let .float64(v): return v
        default: return intValue.map(Double.init)
        }
    }

    public var floatValue: Float? { doubleValue.map(Float.init) }

    public var stringValue: String? { if case let .string(s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case let .bool(b) = self { return b } else { return nil } }
    public var arrayValue: GGUFArray? { if case let .array(a) = self { return a } else { return nil } }

    public var description: String {
        switch self {
        case let .string(s): return "\"\(s)\""
        case let .array(a): return a.description
        case let .bool(b): return b ? "true" : "false"
        case let .float32(v): return "\(v)"
        case let .float64(v): return "\(v)"
        case let .uint8(v): return String(v)
        case let .int8(v): return String(v)
        case let .uint16(v): return String(v)
        case let .int16(v): return String(v)
        case let .uint32(v): return String(v)
        case let .int32(v): return String(v)
        case let .uint64(v): return String(v)
        case let .int64(v): return String(v)
        }
    }
}

/// A metadata array, read lazily from the mapped file.
public struct GGUFArray: CustomStringConvertible {
    public let elementType: GGUFValueType
    public let count: Int

    enum Storage {
        /// `count` fixed-size values starting at `offset`.
        case fixed(MappedFile, offset: Int)
        /// Start offsets (past the u64 length) of each string's bytes, with their lengths.
        case strings(MappedFile, starts: [Int], lengths: [Int])
        case arrays([GGUFArray])
    }
    let storage: Storage

    /// Element `i` as a value (for any element type).
    public subscript(i: Int) -> GGUFValue {
        precondition(i >= 0 && i < count, "GGUFArray index \(i) out of range 0..<\(count)")
        switch storage {
        case let .fixed(file, offset):
            let size = elementType.fixedSize ?? 1
            let b = file.bytes((offset + i * size)..<(offset + (i + 1) * size))
            return GGUFArray.decodeFixed(elementType, b)
        case .strings:
            return .string(string(at: i) ?? "")
        case let .arrays(a):
            return .array(a[i])
        }
    }

    /// The bytes of string element `i`, zero-copy (valid while the file is open).
    public func stringBytes(at i: Int) -> UnsafeRawBufferPointer? {
        guard case let .strings(file, starts, lengths) = storage, i >= 0, i < count else { return nil }
        return file.bytes(starts[i]..<(starts[i] + lengths[i]))
    }

    public func string(at i: Int) -> String? {
        stringBytes(at: i).map { String(decoding: $0, as: UTF8.self) }
    }

    /// All elements as strings (nil unless this is a string array).
    public func strings() -> [String]? {
        guard case .strings = storage else { return nil }
        return (0..<count).map { string(at: $0) ?? "" }
    }

    /// All elements of an integer array as Int (u64 above Int.max → nil for the whole array).
    public func ints() -> [Int]? {
        guard case .fixed = storage, elementType != .float32, elementType != .float64, elementType != .bool else { return nil }
        var out = [Int]()
        out.reserveCapacity(count)
        for i in 0..<count {
            guard let v = self[i].intValue else { return nil }
            out.append(v)
        }
        return out
    }

    /// All elements of a float (or integer) array as Float.
    public func floats() -> [Float]? {
        guard case let .fixed(file, offset) = storage else { return nil }
        if elementType == .float32 {
            let b = file.bytes(offset..<(offset + 4 * count))
            return (0..<count).map { Float(bitPattern: UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
        var out = [Float]()
        out.reserveCapacity(count)
        for i in 0..<count {
            guard let v = self[i].floatValue else { return nil }
            out.append(v)
        }
        return out
    }

    /// Nested arrays (nil unless the element type is array).
    public func arrays() -> [GGUFArray]? {
        if case let .arrays(a) = storage { return a }
        return nil
    }

    static func decodeFixed(_ t: GGUFValueType, _ b: UnsafeRawBufferPointer) -> GGUFValue {
        func load<T: FixedWidthInteger>(_: T.Type) -> T { T(littleEndian: b.loadUnaligned(as: T.self)) }
        switch t {
        case .uint8: return .uint8(load(UInt8.self))
        case .int8: return .int8(load(Int8.self))
        case .uint16: return .uint16(load(UInt16.self))
        case .int16: return .int16(load(Int16.self))
        case .uint32: return .uint32(load(UInt32.self))
        case .int32: return .int32(load(Int32.self))
        case .float32: return .float32(Float(bitPattern: load(UInt32.self)))
        case .bool: return .bool(load(UInt8.self) != 0)
        case .uint64: return .uint64(load(UInt64.self))
        case .int64: return .int64(load(Int64.self))
        case .float64: return .float64(Double(bitPattern: load(UInt64.self)))
        case .string, .array: return .uint8(0)  // not fixed-size; never stored as .fixed
        }
    }

    /// `[type × count]` plus the first few elements.
    public var description: String {
        let shown = Swift.min(count, 5)
        let items = (0..<shown).map { self[$0].description }.joined(separator: ", ")
        return "[\(elementType) × \(count)]" + (count > 0 ? " [\(items)\(count > shown ? ", …" : "")]" : "")
    }
}
