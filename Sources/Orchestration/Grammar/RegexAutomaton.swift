/// A `pattern` as a DFA over Unicode scalars, with a table of which lengths can still reach acceptance, so the
/// string machine never offers a character after which the pattern (within `minLength`/`maxLength`) is
/// unsatisfiable.
struct RegexAutomaton: Sendable {
    /// Class `k` covers scalars `classStarts[k] ..< classStarts[k + 1]` (last class up to 0x10FFFF).
    let classStarts: [UInt32]
    /// `table[state * classCount + class]`: next state, -1 for none.
    let table: [Int32]
    let accepting: [Bool]
    /// `nextFeasible[state * (lengthCap + 2) + r]`: least `r' >= r` such that some path of exactly r' more
    /// characters reaches acceptance, or `Int32.max`.
    let nextFeasible: [Int32]
    let lengthCap: Int
    var classCount: Int { classStarts.count }
    static let start: Int32 = 0

    static let maxStates = 2000
    static let maxNFAStates = 50_000

    /// Builds the DFA; `lengthCap` is `min(maxLength, minLength + states + 1)` (see `feasible`).
    init(tree: RegexTree, minLength: Int, maxLength: Int) throws(RegexSyntaxError) {
        var nfa = RegexNFA()
        let (s, e) = try nfa.build(tree)
        // Alphabet classes from every range boundary.
        var points = Set<UInt32>([0])
        for set in nfa.sets { for r in set.ranges { points.insert(r.lowerBound); if r.upperBound < 0x10FFFF { points.insert(r.upperBound + 1) } } }
        let starts = points.sorted()
        classStarts = starts
        let setClasses: [[Bool]] = nfa.sets.map { set in
            starts.map { p in set.ranges.contains { $0.contains(p) } }
        }
        var ids: [[Int]: Int32] = [:]
        var sets: [[Int]] = []
        var table: [Int32] = []
        var accepting: [Bool] = []
        let first = nfa.closure([s])
        ids[first] = 0; sets.append(first)
        var k = 0
        while k < sets.count {
            let current = sets[k]
            accepting.append(current.contains(e))
            for c in 0..<starts.count {
                var moved: [Int] = []
                for st in current { for (set, to) in nfa.edges[st] where setClasses[set][c] { moved.append(to) } }
                if moved.isEmpty { table.append(-1); continue }
                let target = nfa.closure(moved)
                if let id = ids[target] { table.append(id); continue }
                guard sets.count < RegexAutomaton.maxStates else {
                    throw RegexSyntaxError(message: "the pattern needs more than \(RegexAutomaton.maxStates) automaton states")
                }
                ids[target] = Int32(sets.count); sets.append(target); table.append(Int32(sets.count - 1))
            }
            k += 1
        }
        self.table = table
        self.accepting = accepting
        let n = sets.count
        let cap = min(maxLength, minLength + n + 1)
        lengthCap = cap
        guard n * starts.count * (cap + 1) <= 200_000_000 else {
            throw RegexSyntaxError(message: "the pattern is too complex for its maxLength (\(maxLength))")
        }
        // reach[r][s]: some path of exactly r characters from s accepts.
        var successors: [[Int]] = (0..<n).map { st in
            Array(Set((0..<starts.count).compactMap { c -> Int? in let t = table[st * starts.count + c]; return t < 0 ? nil : Int(t) }))
        }
        var reach = [[Bool]](repeating: [], count: cap + 1)
        reach[0] = accepting
        if cap > 0 {
            for r in 1...cap {
                let prev = reach[r - 1]
                reach[r] = (0..<n).map { st in successors[st].contains { prev[$0] } }
            }
        }
        successors = []
        var next = [Int32](repeating: .max, count: n * (cap + 2))
        for st in 0..<n {
            var best = Int32.max
            for r in stride(from: cap, through: 0, by: -1) {
                if reach[r][st] { best = Int32(r) }
                next[st * (cap + 2) + r] = best
            }
        }
        nextFeasible = next
    }

    @inline(__always)
    func classOf(_ scalar: UInt32) -> Int {
        var lo = 0, hi = classStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if classStarts[mid] <= scalar { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    @inline(__always)
    func next(_ state: Int32, _ scalar: UInt32) -> Int32 {
        table[Int(state) * classCount + classOf(scalar)]
    }

    /// Some path of `r` more characters from `state` accepts, for some `r` in `lo...hi`.
    func feasible(_ state: Int32, lo: Int, hi: Int) -> Bool {
        let lo = max(0, lo), hi = min(hi, lengthCap)
        guard lo <= hi else { return false }
        return nextFeasible[Int(state) * (lengthCap + 2) + lo] <= Int32(hi)
    }

    /// Some scalar in `low...high` leads from `state` to a state that can still accept after `lo...hi` more.
    func anyFeasible(_ state: Int32, low: UInt32, high: UInt32, lo: Int, hi: Int) -> Bool {
        var c = classOf(low)
        while c < classCount, classStarts[c] <= high {
            let t = table[Int(state) * classCount + c]
            if t >= 0, feasible(t, lo: lo, hi: hi) { return true }
            c += 1
        }
        return false
    }
}

/// Thompson NFA built from a `RegexTree`: epsilon edges and scalar-set edges.
struct RegexNFA {
    var epsilon: [[Int]] = []
    var edges: [[(set: Int, to: Int)]] = []
    var sets: [ScalarSet] = []
    private var setIndex: [ScalarSet: Int] = [:]

    mutating func state() throws(RegexSyntaxError) -> Int {
        guard epsilon.count < RegexAutomaton.maxNFAStates else {
            throw RegexSyntaxError(message: "the pattern expands to more than \(RegexAutomaton.maxNFAStates) states")
        }
        epsilon.append([]); edges.append([])
        return epsilon.count - 1
    }

    mutating func build(_ tree: RegexTree) throws(RegexSyntaxError) -> (Int, Int) {
        switch tree {
        case .set(let set):
            let s = try state(), e = try state()
            let idx: Int
            if let known = setIndex[set] { idx = known } else { idx = sets.count; sets.append(set); setIndex[set] = idx }
            if !set.isEmpty { edges[s].append((idx, e)) }
            return (s, e)
        case .concat(let items):
            let s = try state()
            var end = s
            for item in items {
                let (a, b) = try build(item)
                epsilon[end].append(a); end = b
            }
            return (s, end)
        case .alternation(let branches):
            let s = try state(), e = try state()
            for b in branches {
                let (x, y) = try build(b)
                epsilon[s].append(x); epsilon[y].append(e)
            }
            return (s, e)
        case .repetition(let inner, let min, let max):
            let s = try state()
            var end = s
            for _ in 0..<min {
                let (a, b) = try build(inner)
                epsilon[end].append(a); end = b
            }
            if let max {
                let e = try state()
                epsilon[end].append(e)
                for _ in min..<max {
                    let (a, b) = try build(inner)
                    epsilon[end].append(a); epsilon[b].append(e); end = b
                }
                return (s, e)
            }
            let (a, b) = try build(inner)
            let e = try state()
            epsilon[end].append(a); epsilon[end].append(e)
            epsilon[b].append(a); epsilon[b].append(e)
            return (s, e)
        }
    }

    func closure(_ states: [Int]) -> [Int] {
        var seen = Set(states)
        var stack = states
        while let s = stack.popLast() {
            for t in epsilon[s] where !seen.contains(t) { seen.insert(t); stack.append(t) }
        }
        return seen.sorted()
    }
}
