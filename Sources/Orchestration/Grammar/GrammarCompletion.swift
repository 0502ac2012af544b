/// How many bytes the shortest completion of a partial text needs: what makes decoding budget-aware.
///
/// A generation that runs out of tokens before its JSON is closed is not an answer. With `cost(state)` — the
/// length of the shortest byte string that takes the state to acceptance — a token is allowed only when the text
/// after it can still be closed in the tokens left (`GrammarTokenConstraint.applyMask(to:remainingTokens:)`).
/// Every byte the grammar needs (`"`, `}`, `]`, `,`, key and enum text) is one token in byte-level and
/// byte-fallback vocabularies, so bytes bound tokens, and the first byte of a shortest completion always lowers the
/// cost by one: the model is never cornered, it is steered to close in time.
///
/// The cost is a sum over the stack: the top frame's own completion plus, per frame below, what that frame needs
/// once its child value is done (kept in `StackLink.rest`, so a state's cost is O(1)). Exact for objects, arrays,
/// enums/consts/booleans/null, strings without `pattern` and numbers whose range holds 0; for a `pattern` or a
/// number range away from 0 it is an estimate (the mask falls back to the grammar alone if nothing would fit).
struct GrammarCompletion: Sendable {
    static let unreachable = 1 << 40

    /// Per node: bytes of its shortest complete value.
    let minValue: [Int]
    /// Per trie, per trie node: bytes to finish from there — to a terminal for enum tries; for key tries, the
    /// key, the shortest value and the shortest close of the object after that property.
    let trieFinish: [[Int]]
    /// The most any state can need (`unreachable` for recursive schemas): with at least this many tokens left,
    /// no token can be too many.
    let maxCost: Int

    init(program: GrammarProgram) {
        let nodes = program.nodes
        func add(_ a: Int, _ b: Int) -> Int { min(a + b, GrammarCompletion.unreachable) }
        func shortestLiteral(_ trie: ByteTrie) -> Int {
            var best = [Int](repeating: GrammarCompletion.unreachable, count: trie.nodes.count)
            for n in trie.nodes.indices.reversed() {  // children are appended after their parent
                if trie.nodes[n].terminal >= 0 { best[n] = 0 }
                for e in trie.nodes[n].edges { best[n] = min(best[n], add(1, best[Int(e.child)])) }
            }
            return best.first ?? GrammarCompletion.unreachable
        }
        // Shortest values: a fixpoint, so `$ref` recursion resolves to its shortest non-recursive alternative.
        var value = [Int](repeating: GrammarCompletion.unreachable, count: nodes.count)
        var changed = true, rounds = 0
        while changed, rounds <= nodes.count + 1 {
            changed = false
            rounds += 1
            for (i, node) in nodes.enumerated() {
                let v: Int
                switch node {
                case .alias(let target): v = value[target]
                case .anyOf(let alts): v = alts.map { value[$0] }.min() ?? GrammarCompletion.unreachable
                case .object(let spec):
                    let required = spec.properties.filter(\.required)
                    var total = 2 + max(0, required.count - 1)
                    for p in required { total = add(total, add(p.key.utf8.count + 3, value[p.node])) }
                    v = total
                case .array(let item, let lo, _):
                    v = lo == 0 ? 2 : add(2 + (lo - 1), min(GrammarCompletion.unreachable, lo * value[item]))
                case .string(let spec): v = 2 + spec.minLength
                case .literals(let trie): v = shortestLiteral(program.tries[trie])
                case .number(let spec): v = GrammarCompletion.shortestNumber(spec)
                }
                if v < value[i] { value[i] = v; changed = true }
            }
        }
        minValue = value

        var finish = program.tries.map { [Int](repeating: GrammarCompletion.unreachable, count: $0.nodes.count) }
        var isKeyTrie = [Bool](repeating: false, count: program.tries.count)
        for node in nodes {
            guard case .object(let spec) = node else { continue }
            for t in spec.keyTries {
                isKeyTrie[t] = true
                let trie = program.tries[t]
                for n in trie.nodes.indices.reversed() {
                    let terminal = Int(trie.nodes[n].terminal)
                    var best = GrammarCompletion.unreachable
                    if terminal >= 0 {
                        best = add(value[spec.properties[terminal].node], GrammarCompletion.close(spec, next: terminal + 1, value))
                    }
                    for e in trie.nodes[n].edges { best = min(best, add(1, finish[t][Int(e.child)])) }
                    finish[t][n] = best
                }
            }
        }
        for (t, trie) in program.tries.enumerated() where !isKeyTrie[t] {
            for n in trie.nodes.indices.reversed() {
                var best = trie.nodes[n].terminal >= 0 ? 0 : GrammarCompletion.unreachable
                for e in trie.nodes[n].edges { best = min(best, add(1, finish[t][Int(e.child)])) }
                finish[t][n] = best
            }
        }
        trieFinish = finish
        maxCost = GrammarCompletion.largestCost(program, value, finish)
    }

    /// An upper bound of `cost` over every state inside a value of the root: per node, the most its frame and
    /// the frames above it can need, built bottom-up (a cycle through `$ref` means no bound).
    static func largestCost(_ program: GrammarProgram, _ value: [Int], _ finish: [[Int]]) -> Int {
        var memo: [Int: Int] = [:], visiting: Set<Int> = []
        func finite(_ xs: [Int]) -> Int { xs.filter { $0 < unreachable }.max() ?? 0 }
        func most(_ node: Int) -> Int {
            if let m = memo[node] { return m }
            guard visiting.insert(node).inserted else { return unreachable }
            defer { visiting.remove(node) }
            var m = value[node]
            switch program.nodes[node] {
            case .alias(let target): m = max(m, most(target))
            case .anyOf(let alts): for a in alts { m = max(m, most(a)) }
            case .string(let spec): m = max(m, 4 + spec.minLength + 1)
            case .number: m = max(m, 1)
            case .literals(let trie): m = max(m, finite(finish[trie]))
            case .object(let spec):
                for t in spec.keyTries { m = max(m, finite(finish[t])) }
                for (j, p) in spec.properties.enumerated() {
                    m = max(m, min(most(p.node) + close(spec, next: j + 1, value), unreachable))
                }
            case .array(let item, let lo, _):
                m = max(m, min(most(item) + closeArray(count: 1, lo: lo, item: value[item]), unreachable))
            }
            memo[node] = m
            return m
        }
        return most(program.root)
    }

    /// Bytes that close an object whose properties before `next` are passed: `,"key":value` per remaining required
    /// property, then `}`.
    static func close(_ spec: ObjectSpec, next: Int, _ value: [Int]) -> Int {
        var total = 1
        for p in spec.properties.dropFirst(next) where p.required {
            total = min(total + 1 + p.key.utf8.count + 3 + value[p.node], unreachable)
        }
        return total
    }

    /// Bytes that close an array holding `count` items: more items up to `lo`, then `]`.
    static func closeArray(count: Int, lo: Int, item: Int) -> Int {
        count >= lo ? 1 : min(1 + (lo - count) * (1 + item), unreachable)
    }

    /// `0` when 0 is in range; else the length of the bound nearer to 0 written out (an upper bound).
    static func shortestNumber(_ spec: DecimalSpec) -> Int {
        if spec.low <= 0 && spec.high >= 0 { return 1 }
        let units = spec.low > 0 ? spec.low : -spec.high
        let integer = units / spec.scale, fraction = units % spec.scale
        var text = (spec.low > 0 ? "" : "-") + String(integer)
        if fraction != 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: spec.fractionDigits - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text.utf8.count
    }

    /// Bytes still owed inside a string after substate `sub` (`StringBody`): continuation bytes, escape bytes.
    static let pendingInString: [Int] = [0, 1, 2, 2, 2, 3, 3, 3, 1, 4, 3, 2, 1]
}

extension GrammarMachine {
    /// Bytes the frame needs to be complete: for a frame below the top, once the value above it is complete.
    func frameCost(_ f: Frame) -> Int {
        let c = completion
        if f.phase < 0 { return c.minValue[Int(f.node)] }
        switch program.nodes[Int(f.node)] {
        case .string(let spec):
            return GrammarCompletion.pendingInString[Int(f.phase)] + max(0, spec.minLength - Int(f.x)) + 1
        case .number(let spec):
            return numberCanEnd(spec, f) ? 0 : 1
        case .literals(let trie):
            return c.trieFinish[trie][Int(f.x)]
        case .object(let spec):
            let next = Int(f.x)
            switch f.phase {
            case 0: return spec.closable[0] ? 1 : c.trieFinish[spec.keyTries[0]][0]
            case 1: return c.trieFinish[spec.keyTries[next]][Int(f.y)]
            case 3: return c.trieFinish[spec.keyTries[next]][0]
            default: return GrammarCompletion.close(spec, next: next, c.minValue)
            }
        case .array(let item, let lo, _):
            let one = c.minValue[item]
            switch f.phase {
            case 0: return lo == 0 ? 1 : min(one + GrammarCompletion.closeArray(count: 1, lo: lo, item: one), GrammarCompletion.unreachable)
            case 2: return min(one + GrammarCompletion.closeArray(count: Int(f.x) + 1, lo: lo, item: one), GrammarCompletion.unreachable)
            default: return GrammarCompletion.closeArray(count: Int(f.x), lo: lo, item: one)
            }
        case .alias, .anyOf:
            return GrammarCompletion.unreachable  // never a frame past its start
        }
    }

    /// Bytes of the shortest text that takes `s` to acceptance (0 when it accepts already).
    func cost(_ s: GrammarState) -> Int {
        if s.height == 0 { return 0 }
        return min(frameCost(s.top) + Int(s.below?.rest ?? 0), GrammarCompletion.unreachable)
    }

    func cost(_ states: [GrammarState]) -> Int {
        var best = GrammarCompletion.unreachable
        for s in states { best = min(best, cost(s)) }
        return best
    }
}
