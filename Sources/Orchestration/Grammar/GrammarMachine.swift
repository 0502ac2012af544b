/// Interprets a `GrammarProgram` byte by byte: a pushdown automaton whose stack holds one frame per value being
/// written (depth-limited by `maxDepth`). `step` is nondeterministic only at `anyOf` (several alternatives may
/// start with the same byte); callers keep small sets of states.
///
/// Whitespace policy: none. The grammar writes compact JSON (`{"a":1,"b":[true]}`), properties in declared
/// order, so small models spend no tokens on layout and never lose their place in it.
struct GrammarMachine: Sendable {
    let program: GrammarProgram
    let completion: GrammarCompletion

    init(program: GrammarProgram) {
        self.program = program
        completion = GrammarCompletion(program: program)
    }

    var initial: GrammarState { GrammarState(top: .valueStart(program.root), below: nil, height: 1) }

    /// A value of `node` started at stack height `height` can be completed within the depth limit.
    @inline(__always)
    func fits(_ node: Int, height: Int32) -> Bool {
        Int(height) - 1 + program.minDepth[node] <= program.maxDepth
    }

    /// Appends every state reachable from `s` by reading `byte`.
    func step(_ s: GrammarState, _ byte: UInt8, _ out: inout [GrammarState]) {
        guard s.height > 0 else { return }
        let f = s.top
        if f.phase < 0 { return startValue(Int(f.node), s, byte, &out) }
        switch program.nodes[Int(f.node)] {
        case .string(let spec): stepString(spec, s, byte, &out)
        case .number(let spec): stepNumber(spec, s, byte, &out)
        case .literals(let trie): stepLiteral(trie, s, byte, &out)
        case .object(let spec): stepObject(spec, s, byte, &out)
        case .array(let item, let min, let max): stepArray(item: item, min: min, max: max, s, byte, &out)
        case .alias, .anyOf: return  // never a frame past its start
        }
    }

    /// The value of `node` whose value-start frame is the top of `s` begins with `byte`.
    func startValue(_ node: Int, _ s: GrammarState, _ byte: UInt8, _ out: inout [GrammarState]) {
        var t = s
        switch program.nodes[node] {
        case .alias(let target):
            startValue(target, s, byte, &out)
        case .anyOf(let alts):
            for a in alts where fits(a, height: s.height) { startValue(a, s, byte, &out) }
        case .object:
            guard byte == UInt8(ascii: "{") else { return }
            t.top = Frame(node: Int32(node), phase: 0)
            out.append(t)
        case .array:
            guard byte == UInt8(ascii: "[") else { return }
            t.top = Frame(node: Int32(node), phase: 0)
            out.append(t)
        case .string(let spec):
            guard byte == UInt8(ascii: "\""), spec.minLength <= spec.maxLength else { return }
            t.top = Frame(node: Int32(node), phase: 0)
            out.append(t)
        case .literals:
            t.top = Frame(node: Int32(node), phase: 0, x: 0)
            step(t, byte, &out)
        case .number(let spec):
            startNumber(spec, node, s, byte, &out)
        }
    }

    /// Pops a finished frame; when `then` is given, the parent reads that byte (a number or literal ended because
    /// the byte could not extend it).
    @inline(__always)
    func finish(_ s: GrammarState, then byte: UInt8?, _ out: inout [GrammarState]) {
        var t = s
        t.pop()
        if let byte { step(t, byte, &out) } else { out.append(t) }
    }

    // MARK: Objects: { "key":value , ... } with keys in declared order

    private func stepObject(_ spec: ObjectSpec, _ s: GrammarState, _ byte: UInt8, _ out: inout [GrammarState]) {
        var t = s
        let next = Int(s.top.x)
        switch s.top.phase {
        case 0, 3:  // after `{` or `,`: a key (or `}` right after `{`)
            if byte == UInt8(ascii: "}"), s.top.phase == 0, spec.closable[next] { return finish(s, then: nil, &out) }
            let trie = program.tries[spec.keyTries[next]]
            guard let child = trie.child(0, byte), keyFits(trie, child, s.height) else { return }
            t.top.phase = 1
            t.top.y = child
            out.append(t)
        case 1:  // inside `"key":`
            let trie = program.tries[spec.keyTries[next]]
            guard let child = trie.child(s.top.y, byte), keyFits(trie, child, s.height) else { return }
            let terminal = trie.nodes[Int(child)].terminal
            if terminal < 0 {
                t.top.y = child
                out.append(t)
                return
            }
            t.top.phase = 2
            t.top.x = terminal + 1
            t.push(.valueStart(spec.properties[Int(terminal)].node), cost: frameCost(t.top))
            out.append(t)
        default:  // 2: after a value
            if byte == UInt8(ascii: "}"), spec.closable[next] { return finish(s, then: nil, &out) }
            guard byte == UInt8(ascii: ","), next < spec.properties.count else { return }
            let trie = program.tries[spec.keyTries[next]]
            guard keyFits(trie, 0, s.height) else { return }
            t.top.phase = 3
            out.append(t)
        }
    }

    @inline(__always)
    private func keyFits(_ trie: ByteTrie, _ node: Int32, _ height: Int32) -> Bool {
        Int(height) + Int(trie.nodes[Int(node)].minCost) <= program.maxDepth
    }

    // MARK: Arrays: [ value , ... ] with min/max items

    private func stepArray(item: Int, min: Int, max: Int, _ s: GrammarState, _ byte: UInt8, _ out: inout [GrammarState]) {
        var t = s
        let count = Int(s.top.x)
        switch s.top.phase {
        case 0, 2:  // after `[` (where `]` may close) or after `,`
            if byte == UInt8(ascii: "]"), s.top.phase == 0, min == 0 { return finish(s, then: nil, &out) }
            guard count < max, fits(item, height: s.height + 1) else { return }
            t.top.phase = 1
            t.top.x = Int32(count + 1)
            t.push(.valueStart(item), cost: frameCost(t.top))
            step(t, byte, &out)
        default:  // 1: after an item
            if byte == UInt8(ascii: "]"), count >= min { return finish(s, then: nil, &out) }
            guard byte == UInt8(ascii: ","), count < max, fits(item, height: s.height + 1) else { return }
            t.top.phase = 2
            out.append(t)
        }
    }

    // MARK: Literals (enum, const, true/false/null)

    private func stepLiteral(_ trieIndex: Int, _ s: GrammarState, _ byte: UInt8, _ out: inout [GrammarState]) {
        let trie = program.tries[trieIndex]
        if let child = trie.child(s.top.x, byte) {
            let n = trie.nodes[Int(child)]
            if n.terminal >= 0 && n.edges.isEmpty { return finish(s, then: nil, &out) }
            var t = s
            t.top.x = child
            out.append(t)
        } else if trie.nodes[Int(s.top.x)].terminal >= 0 {
            finish(s, then: byte, &out)  // e.g. enum [1, 12] after "1": the byte belongs to the parent
        }
    }

    // MARK: Acceptance

    /// The top frame may end here without reading anything (a number or literal that could also go on).
    func canEnd(_ f: Frame) -> Bool {
        guard f.phase >= 0 else { return false }
        switch program.nodes[Int(f.node)] {
        case .number(let spec): return numberCanEnd(spec, f)
        case .literals(let trie): return program.tries[trie].nodes[Int(f.x)].terminal >= 0
        default: return false
        }
    }

    /// The bytes read so far form a complete value.
    func isAccepting(_ s: GrammarState) -> Bool {
        s.height == 0 || (s.height == 1 && canEnd(s.top))
    }
}
