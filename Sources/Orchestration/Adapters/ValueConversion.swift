import Canonical
import Foundation

/// Declared value conversions of a field mapping: `values:` renames, then `coerce:`. Nothing is guessed: without
/// `coerce` a value passes through as it is (and the target schema decides whether it fits).
public enum ValueConversion {
    /// Why a value could not be converted: what was expected and what was found.
    public struct Failure: Error, Equatable, Sendable {
        public var expected: String
        public var found: String
    }

    public static func convert(_ value: JSONValue, renames: [(from: String, to: String)],
                               coerce: FieldMapping.Coercion?) -> Result<JSONValue, Failure> {
        var v = value
        if !renames.isEmpty, let key = scalarText(value), let hit = renames.first(where: { $0.from == key }) {
            v = .string(hit.to)
        }
        guard let coerce else { return .success(v) }
        let found = describe(v)
        switch coerce {
        case .string:
            switch v {
            case .string: return .success(v)
            case .integer, .number, .bool: return .success(.string(scalarText(v) ?? ""))
            default: return .failure(Failure(expected: "a value coercible to string", found: found))
            }
        case .number:
            switch v {
            case .integer, .number: return .success(v)
            case .string(let s):
                if let d = Double(s.trimmingCharacters(in: .whitespaces)), d.isFinite { return .success(.number(d)) }
                return .failure(Failure(expected: "a number", found: found))
            default: return .failure(Failure(expected: "a number", found: found))
            }
        case .integer:
            switch v {
            case .integer: return .success(v)
            case .number(let d):
                if let i = Int64(exactly: d) { return .success(.integer(i)) }
                return .failure(Failure(expected: "an integer", found: found))
            case .string(let s):
                if let i = Int64(s.trimmingCharacters(in: .whitespaces)) { return .success(.integer(i)) }
                return .failure(Failure(expected: "an integer", found: found))
            default: return .failure(Failure(expected: "an integer", found: found))
            }
        case .boolean:
            switch v {
            case .bool: return .success(v)
            case .string("true"): return .success(.bool(true))
            case .string("false"): return .success(.bool(false))
            default: return .failure(Failure(expected: "true or false", found: found))
            }
        }
    }

    /// The text of a scalar (strings as they are, numbers and booleans as JSON writes them).
    static func scalarText(_ v: JSONValue) -> String? {
        switch v {
        case .string(let s): return s
        case .integer, .number, .bool: return v.serialized()
        default: return nil
        }
    }

    /// `string "abc"`, `integer 3`, `object`, for messages.
    static func describe(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return "string \(s.count > 40 ? String(s.prefix(40)).debugDescription + "…" : s.debugDescription)"
        case .array, .object: return v.typeName
        default: return "\(v.typeName) \(v.serialized())"
        }
    }
}
