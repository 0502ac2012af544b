/// The schema compiled into grammar nodes: one node per schema location, children by index, so recursive schemas
/// need no reference cycles. The byte-level machine (`GrammarMachine`) interprets it with an explicit stack.
struct GrammarProgram: Sendable {
    var nodes: [GrammarNode]
    var tries: [ByteTrie]
    var regexes: [RegexAutomaton]
    /// Per node: the least stack height a complete value of it needs (scalars 1, `{"a":[1]}` 3).
    var minDepth: [Int]
    var root: Int
    /// Deepest stack allowed; choices that could not complete below it are never offered.
    var maxDepth: Int
}

enum GrammarNode: Sendable {
    /// A `$ref` (resolved to its target while stepping).
    case alias(Int)
    case object(ObjectSpec)
    case array(item: Int, min: Int, max: Int)
    case string(StringSpec)
    /// `enum` / `const` / `boolean` / `null`: one of fixed texts, as a trie (terminal value unused).
    case literals(trie: Int)
    case number(DecimalSpec)
    case anyOf([Int])
}

struct ObjectSpec: Sendable {
    struct Property: Sendable {
        var key: String
        var required: Bool
        var node: Int
    }

    var properties: [Property]
    /// `keyTries[i]`: the texts `"key":` of the properties that may come next when property `i` is the first not
    /// yet passed (i up to and including the first required one); terminal value = property index.
    var keyTries: [Int]
    /// `closable[i]`: no required property at index i or later, so `}` may come.
    var closable: [Bool]
}

struct StringSpec: Sendable {
    var minLength: Int
    var maxLength: Int
    /// Index into `GrammarProgram.regexes` for a `pattern`.
    var regex: Int?
}

/// A byte trie of fixed texts (property keys, enum members). Node 0 is the root.
struct ByteTrie: Sendable {
    struct Node: Sendable {
        var edges: [(byte: UInt8, child: Int32)] = []
        /// Value stored where a text ends, -1 elsewhere.
        var terminal: Int32 = -1
        /// Least cost (`minDepth` of the value a key leads to) over the terminals below; 0 for enum tries.
        var minCost: Int32 = .max
    }

    var nodes: [Node] = [Node()]

    mutating func insert(_ bytes: [UInt8], value: Int32, cost: Int32) {
        var n = 0
        nodes[0].minCost = min(nodes[0].minCost, cost)
        for b in bytes {
            if let e = nodes[n].edges.first(where: { $0.byte == b }) {
                n = Int(e.child)
            } else {
                nodes.append(Node())
                nodes[n].edges.append((b, Int32(nodes.count - 1)))
                n = nodes.count - 1
            }
            nodes[n].minCost = min(nodes[n].minCost, cost)
        }
        nodes[n].terminal = value
    }

    @inline(__always)
    func child(_ node: Int32, _ byte: UInt8) -> Int32? {
        for e in nodes[Int(node)].edges where e.byte == byte { return e.child }
        return nil
    }
}
