import Canonical

/// Which side of a model an adapter talks to: the model's native input (the adapter writes, the model reads) or
/// its native output (the model writes, the adapter reads). The edge decides which compatibility direction matters.
public enum SchemaEdge: String, Sendable, CaseIterable, Hashable {
    case input
    case output
}

/// Payload compatibility of a schema change, as schema registries name it (Confluent's BACKWARD / FORWARD / FULL):
/// - `backward`: data valid under the old schema is valid under the new one (the new schema accepts more),
/// - `forward`: data valid under the new schema is valid under the old one (the new schema accepts less),
/// - `full`: both, `breaking`: neither.
public enum Compatibility: String, Sendable, CaseIterable, Hashable {
    case full, backward, forward, breaking

    init(backward: Bool, forward: Bool) {
        switch (backward, forward) {
        case (true, true): self = .full
        case (true, false): self = .backward
        case (false, true): self = .forward
        case (false, false): self = .breaking
        }
    }

    public var isBackward: Bool { self == .full || self == .backward }
    public var isForward: Bool { self == .full || self == .forward }

    /// Both changes together (a rename is a removal and an addition).
    func and(_ other: Compatibility) -> Compatibility {
        Compatibility(backward: isBackward && other.isBackward, forward: isForward && other.isForward)
    }
}

/// One difference between an old and a new native schema, at a native path (`*` for array elements).
public struct SchemaChange: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable, Hashable {
        case propertyAdded = "property-added"
        case propertyRemoved = "property-removed"
        /// A property removed and another added at the same level with the same type.
        case propertyRenamed = "property-renamed"
        case requiredAdded = "required-added"
        case requiredRemoved = "required-removed"
        case typeNarrowed = "type-narrowed"
        case typeWidened = "type-widened"
        /// New types neither include nor are included in the old ones.
        case typeChanged = "type-changed"
        case enumExtended = "enum-extended"
        case enumNarrowed = "enum-narrowed"
        case boundTightened = "bound-tightened"
        case boundLoosened = "bound-loosened"
        /// `additionalProperties` became false.
        case contentClosed = "content-closed"
        /// `additionalProperties: false` was dropped.
        case contentOpened = "content-opened"
    }

    public var kind: Kind
    /// The position changed: the property itself for property and required changes (the old name for a rename).
    public var path: NativePointer
    /// The new path of a renamed property.
    public var renamedTo: NativePointer?
    /// The bound keyword for bound changes (`maxLength`).
    public var keyword: String?
    /// Before and after, as JSON (types, enum values added or removed, bound values, required-ness).
    public var old: JSONValue?
    public var new: JSONValue?
    /// Generic payload compatibility, before looking at what the adapter does.
    public var compatibility: Compatibility
    /// One line for people: `enum gains 'partial'`.
    public var summary: String

    public init(kind: Kind, path: NativePointer, renamedTo: NativePointer? = nil, keyword: String? = nil,
                old: JSONValue? = nil, new: JSONValue? = nil, compatibility: Compatibility, summary: String) {
        self.kind = kind
        self.path = path
        self.renamedTo = renamedTo
        self.keyword = keyword
        self.old = old
        self.new = new
        self.compatibility = compatibility
        self.summary = summary
    }
}
