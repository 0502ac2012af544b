import Canonical

/// Compares two versions of a native JSON Schema position by position (properties, array items, `$ref`s and
/// combinators flattened into `SchemaFacet`s) and lists every change with its generic compatibility.
///
/// Which changes actually break an adapter depends on the edge and on what the adapter reads or writes; that is
/// `ChangeClassifier`'s job. This type only says what changed.
public struct SchemaDiff: Sendable {
    public let old: SchemaShape
    public let new: SchemaShape

    public init(old: SchemaShape, new: SchemaShape) {
        self.old = old
        self.new = new
    }

    /// Every change, in document order (parents before children, properties by name).
    public func changes() -> [SchemaChange] {
        var result: [SchemaChange] = []
        compare(old.root, new.root, at: [], depth: 0, into: &result)
        return result
    }

    private func pointer(_ tokens: [NativePointer.Token]) -> NativePointer { NativePointer(tokens: tokens) }

    private func compare(_ a: [SchemaShape.Node], _ b: [SchemaShape.Node], at tokens: [NativePointer.Token],
                         depth: Int, into result: inout [SchemaChange]) {
        guard depth < 32 else { return }
        let fa = SchemaFacet(a, in: old), fb = SchemaFacet(b, in: new)
        let here = pointer(tokens)

        // Types.
        var typeChanged = false
        if fa.types != fb.types {
            let widened = TypeRelation.covers(fb.types, fa.types), narrowed = TypeRelation.covers(fa.types, fb.types)
            let oldTypes = SchemaFacet.describe(fa.types), newTypes = SchemaFacet.describe(fb.types)
            let oldJSON = Self.typesJSON(fa.types), newJSON = Self.typesJSON(fb.types)
            if widened && !narrowed {
                result.append(SchemaChange(kind: .typeWidened, path: here, old: oldJSON, new: newJSON,
                                           compatibility: .backward, summary: "type widened from \(oldTypes) to \(newTypes)"))
            } else if narrowed && !widened {
                result.append(SchemaChange(kind: .typeNarrowed, path: here, old: oldJSON, new: newJSON,
                                           compatibility: .forward, summary: "type narrowed from \(oldTypes) to \(newTypes)"))
            } else if !narrowed && !widened {
                typeChanged = true
                result.append(SchemaChange(kind: .typeChanged, path: here, old: oldJSON, new: newJSON,
                                           compatibility: .breaking, summary: "type changed from \(oldTypes) to \(newTypes)"))
            }
        }
        if typeChanged { return }

        compareValues(fa, fb, at: here, into: &result)
        compareBounds(fa, fb, at: here, into: &result)

        if Self.mayBe("object", fa) && Self.mayBe("object", fb) {
            compareObjects(fa, fb, at: tokens, depth: depth, into: &result)
        }
        if let ia = fa.items, let ib = fb.items {
            compare(ia, ib, at: tokens + [.wildcard], depth: depth + 1, into: &result)
        }
    }

    static func mayBe(_ type: String, _ f: SchemaFacet) -> Bool { f.types?.contains(type) ?? true }

    static func typesJSON(_ types: Set<String>?) -> JSONValue {
        guard let types else { return .string("any") }
        return .array(types.sorted().map { .string($0) })
    }

    private func compareValues(_ fa: SchemaFacet, _ fb: SchemaFacet, at here: NativePointer, into result: inout [SchemaChange]) {
        switch (fa.values, fb.values) {
        case (nil, nil):
            return
        case (nil, let values?):
            result.append(SchemaChange(kind: .enumNarrowed, path: here, old: .string("any"), new: .array(values),
                                       compatibility: .forward,
                                       summary: "now limited to \(Self.list(values))"))
        case (let values?, nil):
            result.append(SchemaChange(kind: .enumExtended, path: here, old: .array(values), new: .string("any"),
                                       compatibility: .backward,
                                       summary: "no longer limited to \(Self.list(values))"))
        case (let va?, let vb?):
            let added = vb.filter { !va.contains($0) }, removed = va.filter { !vb.contains($0) }
            if !added.isEmpty {
                result.append(SchemaChange(kind: .enumExtended, path: here, old: .array(va), new: .array(added),
                                           compatibility: .backward, summary: "enum gains \(Self.list(added))"))
            }
            if !removed.isEmpty {
                result.append(SchemaChange(kind: .enumNarrowed, path: here, old: .array(removed), new: .array(vb),
                                           compatibility: .forward, summary: "enum loses \(Self.list(removed))"))
            }
        }
    }

    static func list(_ values: [JSONValue]) -> String {
        values.map { v in v.stringValue.map { "'\($0)'" } ?? v.serialized() }.joined(separator: ", ")
    }

    private func compareBounds(_ fa: SchemaFacet, _ fb: SchemaFacet, at here: NativePointer, into result: inout [SchemaChange]) {
        for key in SchemaFacet.boundKeywords {
            let a = fa.bounds[key], b = fb.bounds[key]
            guard a != b else { continue }
            let lower = SchemaFacet.lowerBounds.contains(key)
            let tightened: Bool
            switch (a, b) {
            case (nil, _): tightened = true
            case (_, nil): tightened = false
            case (let x?, let y?): tightened = lower ? y > x : y < x
            }
            let describe: (Double?) -> String = { $0.map { Self.number($0) } ?? "none" }
            result.append(SchemaChange(
                kind: tightened ? .boundTightened : .boundLoosened, path: here, keyword: key,
                old: a.map { Self.numberJSON($0) } ?? .null, new: b.map { Self.numberJSON($0) } ?? .null,
                compatibility: tightened ? .forward : .backward,
                summary: "\(key) \(tightened ? "tightened" : "loosened") from \(describe(a)) to \(describe(b))"))
        }
    }

    static func number(_ d: Double) -> String {
        d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }

    static func numberJSON(_ d: Double) -> JSONValue {
        d.rounded() == d && abs(d) < 1e15 ? .integer(Int64(d)) : .number(d)
    }

    private func compareObjects(_ fa: SchemaFacet, _ fb: SchemaFacet, at tokens: [NativePointer.Token], depth: Int,
                                into result: inout [SchemaChange]) {
        let here = pointer(tokens)
        if fa.open && !fb.open {
            result.append(SchemaChange(kind: .contentClosed, path: here, old: .bool(true), new: .bool(false),
                                       compatibility: .forward, summary: "no longer allows properties it does not list"))
        } else if !fa.open && fb.open {
            result.append(SchemaChange(kind: .contentOpened, path: here, old: .bool(false), new: .bool(true),
                                       compatibility: .backward, summary: "now allows properties it does not list"))
        }
        let oldNames = Set(fa.properties.keys), newNames = Set(fb.properties.keys)
        var removed = oldNames.subtracting(newNames).sorted()
        var added = newNames.subtracting(oldNames).sorted()

        // Renamed-looking: a removed and an added property of the same (known) type at this level.
        for name in removed {
            let types = SchemaFacet(fa.properties[name] ?? [], in: old).types
            guard types != nil else { continue }
            let candidates = added.filter { SchemaFacet(fb.properties[$0] ?? [], in: new).types == types }
            let sameRequired = candidates.filter { fa.required.contains(name) == fb.required.contains($0) }
            guard let partner = sameRequired.first ?? candidates.first else { continue }
            added.removeAll { $0 == partner }
            removed.removeAll { $0 == name }
            let compatibility = removal(name, fa, fb).and(addition(partner, fa, fb))
            result.append(SchemaChange(
                kind: .propertyRenamed, path: pointer(tokens + [.key(name)]), renamedTo: pointer(tokens + [.key(partner)]),
                old: .string(name), new: .string(partner), compatibility: compatibility,
                summary: "'\(name)' looks renamed to '\(partner)' (\(SchemaFacet.describe(types)))"))
        }
        for name in removed {
            let wasRequired = fa.required.contains(name)
            result.append(SchemaChange(
                kind: .propertyRemoved, path: pointer(tokens + [.key(name)]),
                old: .object(["required": .bool(wasRequired)]), new: nil, compatibility: removal(name, fa, fb),
                summary: "\(wasRequired ? "required " : "")property '\(name)' removed"))
        }
        for name in added {
            let isRequired = fb.required.contains(name)
            result.append(SchemaChange(
                kind: .propertyAdded, path: pointer(tokens + [.key(name)]),
                old: nil, new: .object(["required": .bool(isRequired)]), compatibility: addition(name, fa, fb),
                summary: "\(isRequired ? "required" : "optional") property '\(name)' added"))
        }
        for name in oldNames.intersection(newNames).sorted() {
            let path = pointer(tokens + [.key(name)])
            let was = fa.required.contains(name), now = fb.required.contains(name)
            if !was && now {
                result.append(SchemaChange(kind: .requiredAdded, path: path, old: .bool(false), new: .bool(true),
                                           compatibility: .forward, summary: "'\(name)' is now required"))
            } else if was && !now {
                result.append(SchemaChange(kind: .requiredRemoved, path: path, old: .bool(true), new: .bool(false),
                                           compatibility: .backward, summary: "'\(name)' is no longer required"))
            }
            compare(fa.properties[name] ?? [], fb.properties[name] ?? [], at: tokens + [.key(name)], depth: depth + 1,
                    into: &result)
        }
    }

    /// A property gone from the new schema: old data carrying it stays valid only if the new object is open;
    /// new data lacking it is valid under the old schema only if the old schema did not require it.
    private func removal(_ name: String, _ fa: SchemaFacet, _ fb: SchemaFacet) -> Compatibility {
        Compatibility(backward: fb.open, forward: !fa.required.contains(name))
    }

    /// A property new in the new schema: old data lacks it (fine unless now required); new data carries it (fine
    /// for the old schema only if the old object was open).
    private func addition(_ name: String, _ fa: SchemaFacet, _ fb: SchemaFacet) -> Compatibility {
        Compatibility(backward: !fb.required.contains(name), forward: fa.open)
    }
}
