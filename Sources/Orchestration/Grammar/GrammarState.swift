/// One level of the machine's stack: which grammar node is being written and how far.
///
/// `phase == -1` means "a value of `node` starts here"; other phases and the fields `x`, `y`, `z` are read by the
/// node kind's stepping code (see `GrammarMachine`).
struct Frame: Hashable, Sendable {
    var node: Int32
    var phase: Int32
    var x: Int32 = 0
    var y: Int32 = 0
    var z: Int64 = 0

    static func valueStart(_ node: Int) -> Frame { Frame(node: Int32(node), phase: -1) }
}

/// The frames below the top, shared between states (stepping inside a value changes only the top frame).
final class StackLink: @unchecked Sendable {  // immutable after init
    let frame: Frame
    let below: StackLink?
    /// Bytes this frame and every frame below it need once the value above is complete (`GrammarCompletion`).
    let rest: Int

    init(_ frame: Frame, _ below: StackLink?, cost: Int) {
        self.frame = frame
        self.below = below
        rest = min(cost + (below?.rest ?? 0), GrammarCompletion.unreachable)
    }
}

/// A configuration of the byte-level pushdown machine: a persistent stack whose top is kept inline.
public struct GrammarState: Hashable, @unchecked Sendable {
    var top: Frame
    var below: StackLink?
    /// Number of frames; 0 when the value is complete.
    var height: Int32

    /// Pushes `frame`; `cost` is what the current top still needs once that frame's value is complete.
    mutating func push(_ frame: Frame, cost: Int) {
        below = StackLink(top, below, cost: cost)
        top = frame
        height += 1
    }

    /// Removes the top frame (the value it was writing is complete).
    mutating func pop() {
        if let b = below {
            top = b.frame
            below = b.below
        }
        height -= 1
    }

    public static func == (a: GrammarState, b: GrammarState) -> Bool {
        guard a.height == b.height, a.top == b.top else { return false }
        var l = a.below, r = b.below
        while let x = l, let y = r {
            if x === y { return true }
            if x.frame != y.frame { return false }
            l = x.below; r = y.below
        }
        return l == nil && r == nil
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(height)
        hasher.combine(top)
        var l = below
        while let x = l { hasher.combine(x.frame); l = x.below }
    }
}
