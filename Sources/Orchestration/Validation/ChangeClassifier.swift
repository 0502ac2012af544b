import Canonical

/// A schema change judged for one adapter: does it break what this adapter reads or writes?
public struct ClassifiedChange: Sendable, Hashable {
    public var edge: SchemaEdge
    public var change: SchemaChange
    public var breaks: Bool
    /// Why: which reads or writes it hits, or why it does not matter.
    public var reason: String
}

/// Decides, per edge, whether a native schema change breaks an adapter.
///
/// Output edge (the model writes, the adapter reads): the adapter was built for data valid under the old schema,
/// so a change is safe when it is *forward* compatible (new data is valid old data). A change that is not can
/// still be safe when it touches nothing the adapter reads, or when the adapter already copes (a new enum value
/// renamed under `values` or allowed by the canonical enum; a wider type the coercion accepts; an unmapped label,
/// which bio-spans drops).
///
/// Input edge (the adapter writes, the model reads): the model now validates with the new schema, so a change is
/// safe when it is *backward* compatible (old data is valid new data), or when it touches nothing the adapter
/// writes and adds no requirement the adapter misses.
public struct ChangeClassifier: Sendable {
    public let surface: AdapterSurface
    /// Checks against the new schemas.
    public let check: StaticCheck

    public init(surface: AdapterSurface, check: StaticCheck) {
        self.surface = surface
        self.check = check
    }

    public func classify(_ change: SchemaChange, edge: SchemaEdge) -> ClassifiedChange {
        switch edge {
        case .output: return output(change)
        case .input: return input(change)
        }
    }

    /// `a` is `b` or below it.
    static func within(_ a: NativePointer, _ b: NativePointer) -> Bool {
        a.tokens.count >= b.tokens.count && Array(a.tokens.prefix(b.tokens.count)) == b.tokens
    }

    /// Reads at, below or above the changed position.
    func reads(touching p: NativePointer) -> [AdapterSurface.NativeRead] {
        surface.reads.filter { Self.within($0.pointer, p) || Self.within(p, $0.pointer) }
    }

    func writes(touching p: NativePointer) -> [AdapterSurface.NativeWrite] {
        surface.writes.filter { Self.within($0.pointer, p) || Self.within(p, $0.pointer) }
    }

    static func names(_ items: [String]) -> String {
        let unique = items.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return unique.joined(separator: ", ")
    }

    private func output(_ c: SchemaChange) -> ClassifiedChange {
        func ok(_ reason: String) -> ClassifiedChange { ClassifiedChange(edge: .output, change: c, breaks: false, reason: reason) }
        func brk(_ reason: String) -> ClassifiedChange { ClassifiedChange(edge: .output, change: c, breaks: true, reason: reason) }
        if c.compatibility.isForward { return ok("forward compatible: what the model now writes was valid before") }
        if c.kind == .propertyAdded || c.kind == .contentOpened {
            return ok("the adapter reads only the paths it names; other properties are ignored")
        }
        let touched = reads(touching: c.path)
        guard !touched.isEmpty else { return ok("the adapter does not read \(c.path)") }
        let readers = Self.names(touched.map(\.reader))
        switch c.kind {
        case .propertyRemoved:
            return brk("\(readers) read\(touched.count == 1 ? "s" : "") \(touched[0].pointer), which the model no longer writes")
        case .propertyRenamed:
            let to = c.renamedTo.map { " — read \($0) instead" } ?? ""
            return brk("\(readers) read\(touched.count == 1 ? "s" : "") \(touched[0].pointer), which the model no longer writes\(to)")
        case .requiredRemoved:
            let needed = touched.filter(\.needed)
            if needed.isEmpty { return ok("\(readers) can do without it") }
            return brk("the model may now leave it out; \(Self.names(needed.map(\.reader))) need\(needed.count == 1 ? "s" : "") it")
        case .enumExtended, .typeWidened, .boundLoosened, .typeChanged:
            let problems = touched.flatMap { check.problems($0) }.filter(\.isBreaking)
            if problems.isEmpty {
                if c.kind == .enumExtended, touched.contains(where: { $0.keptLabels != nil }) {
                    return ok("labels the adapter does not list are dropped by \(readers)")
                }
                return ok("\(readers) accept\(touched.count == 1 ? "s" : "") the new values")
            }
            return brk(problems.map(\.message).joined(separator: "; "))
        default:
            return brk("\(readers) read\(touched.count == 1 ? "s" : "") it and the change is not forward compatible")
        }
    }

    private func input(_ c: SchemaChange) -> ClassifiedChange {
        func ok(_ reason: String) -> ClassifiedChange { ClassifiedChange(edge: .input, change: c, breaks: false, reason: reason) }
        func brk(_ reason: String) -> ClassifiedChange { ClassifiedChange(edge: .input, change: c, breaks: true, reason: reason) }
        let target = c.renamedTo ?? c.path
        let newlyRequired: Bool = {
            switch c.kind {
            case .requiredAdded: return true
            case .propertyAdded, .propertyRenamed: return check.input.isRequiredInParent(target)
            default: return false
            }
        }()
        if newlyRequired {
            let written = surface.writes.contains { Self.within($0.pointer, target) }
            // The requirement only binds where the parent object is written at all.
            let parent = NativePointer(tokens: Array(target.tokens.dropLast()))
            let parentWritten = parent.tokens.isEmpty || surface.writes.contains { Self.within($0.pointer, parent) }
            if !written && parentWritten {
                return brk("the model now requires \(target), which the adapter does not write")
            }
        }
        let touched = writes(touching: c.path)
        if c.kind == .propertyRenamed, touched.isEmpty, let to = c.renamedTo,
           surface.writes.contains(where: { Self.within($0.pointer, to) }) {
            return ok("the adapter already writes the new name \(to)")
        }
        if c.compatibility.isBackward {
            return ok("backward compatible: what the adapter writes stays valid")
        }
        guard !touched.isEmpty else { return ok("the adapter does not write \(c.path)") }
        let writers = Self.names(touched.map(\.writer))
        switch c.kind {
        case .propertyRemoved, .propertyRenamed:
            let to = c.renamedTo.map { " — write \($0) instead" } ?? ""
            return brk("\(writers) write\(touched.count == 1 ? "s" : "") \(touched[0].pointer), which the model no longer accepts\(to)")
        case .propertyAdded, .requiredAdded:
            return ok("\(writers) already write\(touched.count == 1 ? "s" : "") it")
        default:
            let problems = touched.flatMap { check.problems($0) }.filter(\.isBreaking)
            if problems.isEmpty { return ok("what \(writers) write\(touched.count == 1 ? "s" : "") still fits") }
            return brk(problems.map(\.message).joined(separator: "; "))
        }
    }
}
