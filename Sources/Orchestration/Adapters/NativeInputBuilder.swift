import Canonical

/// Builds a model's native input JSON from a canonical record by an adapter's `input.map`, then validates it
/// against the native input schema.
///
/// Each mapping reads every value at its canonical path (`obligations[].action`) and writes it at its native
/// pointer with each `*` bound to the array index the matching `[]` read (`/obligations/3/duty`). Missing source
/// values are not written (optional fields stay absent). A target array the sources fan out over always exists,
/// even when empty (`{"obligations": []}` for a record without obligations).
public struct NativeInputBuilder: Sendable {
    public var adapter: String

    public init(adapter: String) { self.adapter = adapter }

    public func build(_ map: [FieldMapping], record: JSONValue) throws -> JSONValue {
        var native: JSONValue = .object(JSONObject())
        for mapping in map {
            guard case .native(let to) = mapping.to else { continue }
            let matches: [PathMatch]
            switch mapping.from {
            case .canonical(let path): matches = JSONPaths.values(at: path, in: record)
            case .constant(let value): matches = [PathMatch(indices: [], pointer: "", value: value)]
            case .native: continue
            }
            // An empty fan-out still creates the array it would have filled.
            if matches.isEmpty, let star = to.tokens.firstIndex(of: .wildcard) {
                let prefix = to.tokens[..<star].map { token -> JSONPaths.Step in
                    if case .key(let k) = token { return .field(k) } else { return .index(0) }
                }
                if JSONPaths.value(at: prefix, in: native) == nil { JSONPaths.write(.array([]), at: prefix, into: &native) }
            }
            for match in matches {
                let value: JSONValue
                switch ValueConversion.convert(match.value, renames: mapping.values, coerce: mapping.coerce) {
                case .success(let v): value = v
                case .failure(let f):
                    throw AdapterError.invalidNativeInput(adapter: adapter, violations: [
                        "\(match.pointer) → \(to.text): expected \(f.expected), found \(f.found)",
                    ])
                }
                if value.isNull { continue }
                JSONPaths.write(value, at: JSONPaths.steps(to, indices: match.indices), into: &native)
            }
        }
        return native
    }
}
