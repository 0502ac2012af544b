/// The `pattern` regex subset the grammar can enforce, parsed into a small syntax tree over Unicode scalars.
///
/// Supported (ECMA-262 syntax): literal characters; escapes of syntax characters; `\t \n \r \f \v \0 \xHH \uHHHH`;
/// `.`; classes `[...]` / `[^...]` with ranges; `\d \w \s` and `\D \W \S` (inside a class only in a
/// non-negated one, meaning their ASCII part); groups `(...)`, `(?:...)`, `(?<name>...)`; alternation `|`;
/// quantifiers `? * + {m} {m,} {m,n}` (lazy forms too: the language is the same); `^` only as the first and `$`
/// only as the last character. Without `^` (or `$`) the match may start (end) anywhere, as JSON Schema's
/// unanchored search requires. Character sets where ECMA and ICU (the validator) differ are narrowed to what both
/// accept. Refused: lookaround, backreferences, `\b \B`, `\p{...}`, `\cX`, anchors elsewhere, surrogate escapes.
indirect enum RegexTree: Sendable {
    case set(ScalarSet)
    case concat([RegexTree])
    case alternation([RegexTree])
    case repetition(RegexTree, min: Int, max: Int?)
}

/// A set of Unicode scalar values as sorted, disjoint, non-adjacent closed ranges (never surrogates).
struct ScalarSet: Sendable, Hashable {
    var ranges: [ClosedRange<UInt32>]

    init(_ ranges: [ClosedRange<UInt32>]) {
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt32>] = []
        for r in sorted {
            if let last = out.last, r.lowerBound <= last.upperBound &+ 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        // Remove surrogates: strings never hold them.
        var clean: [ClosedRange<UInt32>] = []
        for r in out {
            if r.upperBound < 0xD800 || r.lowerBound > 0xDFFF { clean.append(r); continue }
            if r.lowerBound < 0xD800 { clean.append(r.lowerBound...0xD7FF) }
            if r.upperBound > 0xDFFF { clean.append(0xE000...r.upperBound) }
        }
        self.ranges = clean
    }

    init(scalars: [UInt32]) { self.init(scalars.map { $0...$0 }) }

    static let all = ScalarSet([0...0x10FFFF])
    static let digit = ScalarSet([0x30...0x39])
    static let word = ScalarSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    /// White space both ECMA and ICU agree on.
    static let spaceBoth = ScalarSet([0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680,
                                      0x2000...0x200A, 0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000])
    /// White space either ECMA or ICU counts.
    static let spaceEither = spaceBoth.union(ScalarSet(scalars: [0x85, 0xFEFF]))  // ICU adds U+0085, ECMA U+FEFF
    /// `.`: anything but the line terminators of either dialect.
    static let dot = ScalarSet(scalars: [0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029]).complement
    static let ascii = ScalarSet([0...0x7F])

    var complement: ScalarSet {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in ranges {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            next = r.upperBound + 1
        }
        if next <= 0x10FFFF { out.append(next...0x10FFFF) }
        return ScalarSet(out)
    }

    func union(_ other: ScalarSet) -> ScalarSet { ScalarSet(ranges + other.ranges) }
    func intersection(_ other: ScalarSet) -> ScalarSet { complement.union(other.complement).complement }
    var isEmpty: Bool { ranges.isEmpty }
}

struct RegexSyntaxError: Error {
    var message: String
}

/// Recursive-descent parser for the subset above.
struct RegexSubsetParser {
    private var chars: [UInt32]
    private var i = 0

    static func parse(_ pattern: String) throws(RegexSyntaxError) -> RegexTree {
        var scalars = pattern.unicodeScalars.map(\.value)
        let anchoredStart = scalars.first == 0x5E  // ^
        if anchoredStart { scalars.removeFirst() }
        var anchoredEnd = false
        if scalars.last == 0x24 {  // $ unless escaped by an odd number of backslashes
            var backslashes = 0
            var k = scalars.count - 2
            while k >= 0, scalars[k] == 0x5C { backslashes += 1; k -= 1 }
            if backslashes % 2 == 0 { anchoredEnd = true; scalars.removeLast() }
        }
        var parser = RegexSubsetParser(chars: scalars)
        let body = try parser.parseAlternation()
        if parser.i < parser.chars.count { throw RegexSyntaxError(message: "unbalanced ')' at character \(parser.i + 1)") }
        if case .alternation = body, anchoredStart || anchoredEnd {
            throw RegexSyntaxError(message: "anchors around a top-level '|' are ambiguous here; group the alternatives, e.g. ^(a|b)$")
        }
        let any = RegexTree.repetition(.set(.all), min: 0, max: nil)
        return .concat((anchoredStart ? [] : [any]) + [body] + (anchoredEnd ? [] : [any]))
    }

    private init(chars: [UInt32]) { self.chars = chars }

    private var peek: UInt32? { i < chars.count ? chars[i] : nil }

    private mutating func parseAlternation() throws(RegexSyntaxError) -> RegexTree {
        var branches = [try parseConcat()]
        while peek == 0x7C { i += 1; branches.append(try parseConcat()) }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcat() throws(RegexSyntaxError) -> RegexTree {
        var items: [RegexTree] = []
        while let c = peek, c != 0x7C, c != 0x29 {
            var atom = try parseAtom()
            while let q = try parseQuantifier() {
                atom = .repetition(atom, min: q.min, max: q.max)
            }
            items.append(atom)
        }
        return items.count == 1 ? items[0] : .concat(items)
    }

    private mutating func parseQuantifier() throws(RegexSyntaxError) -> (min: Int, max: Int?)? {
        guard let c = peek else { return nil }
        var q: (Int, Int?)
        switch c {
        case 0x2A: i += 1; q = (0, nil)
        case 0x2B: i += 1; q = (1, nil)
        case 0x3F: i += 1; q = (0, 1)
        case 0x7B:
            guard let braces = braceQuantifier() else { return nil }
            q = braces
        default: return nil
        }
        if peek == 0x3F { i += 1 }  // lazy: same language
        if let m = q.1, m < q.0 { throw RegexSyntaxError(message: "quantifier {\(q.0),\(m)} has max below min") }
        if q.0 > 1000 || (q.1 ?? 0) > 1000 { throw RegexSyntaxError(message: "quantifier bounds above 1000 are not supported") }
        return q
    }

    /// `{m}`, `{m,}`, `{m,n}` at `i`, consumed; nil (nothing consumed) when the brace is a literal.
    private mutating func braceQuantifier() -> (Int, Int?)? {
        var k = i + 1
        func number() -> Int? {
            var v: Int?
            while k < chars.count, (0x30...0x39).contains(chars[k]) {
                let next = (v ?? 0) * 10 + Int(chars[k] - 0x30)
                v = next; k += 1
                if next > 100_000 { return v }
            }
            return v
        }
        guard let lo = number() else { return nil }
        var hi: Int? = lo
        if k < chars.count, chars[k] == 0x2C { k += 1; hi = number() }
        guard k < chars.count, chars[k] == 0x7D else { return nil }
        i = k + 1
        return (lo, hi)
    }

    private mutating func parseAtom() throws(RegexSyntaxError) -> RegexTree {
        let c = chars[i]
        switch c {
        case 0x28:  // (
            i += 1
            if peek == 0x3F {  // (?
                let next = i + 1 < chars.count ? chars[i + 1] : 0
                if next == 0x3A { i += 2 }  // (?:
                else if next == 0x3C, i + 2 < chars.count, chars[i + 2] != 0x3D, chars[i + 2] != 0x21 {  // (?<name>
                    while let p = peek, p != 0x3E { i += 1 }
                    i += 1
                } else {
                    throw RegexSyntaxError(message: "lookaround assertions are not supported")
                }
            }
            let inner = try parseAlternation()
            guard peek == 0x29 else { throw RegexSyntaxError(message: "missing ')'") }
            i += 1
            return inner
        case 0x5B: return .set(try parseClass())
        case 0x2E: i += 1; return .set(.dot)
        case 0x5C: return .set(try parseEscape(inClass: false, negatedClass: false))
        case 0x5E, 0x24:
            throw RegexSyntaxError(message: "anchors are supported only as the first (^) and last ($) character")
        case 0x2A, 0x2B, 0x3F:
            throw RegexSyntaxError(message: "quantifier without anything to repeat at character \(i + 1)")
        case 0x7B:
            if braceQuantifier() != nil { throw RegexSyntaxError(message: "quantifier without anything to repeat") }
            i += 1; return .set(ScalarSet(scalars: [c]))
        default:
            i += 1; return .set(ScalarSet(scalars: [c]))
        }
    }

    private mutating func parseClass() throws(RegexSyntaxError) -> ScalarSet {
        i += 1
        var negated = false
        if peek == 0x5E { negated = true; i += 1 }
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while true {
            guard let c = peek else { throw RegexSyntaxError(message: "missing ']'") }
            if c == 0x5D && !first { i += 1; break }
            if c == 0x5D && first { throw RegexSyntaxError(message: "an empty class '[]' is not supported") }
            first = false
            let lowSet = try classAtom(negated: negated)
            if peek == 0x2D, i + 1 < chars.count, chars[i + 1] != 0x5D {
                i += 1
                let highSet = try classAtom(negated: negated)
                guard lowSet.ranges.count == 1, highSet.ranges.count == 1,
                      let lo = lowSet.ranges.first, lo.lowerBound == lo.upperBound,
                      let hi = highSet.ranges.first, hi.lowerBound == hi.upperBound, lo.lowerBound <= hi.lowerBound else {
                    throw RegexSyntaxError(message: "invalid range in a class")
                }
                ranges.append(lo.lowerBound...hi.lowerBound)
            } else {
                ranges += lowSet.ranges
            }
        }
        let set = ScalarSet(ranges)
        return negated ? set.complement : set
    }

    private mutating func classAtom(negated: Bool) throws(RegexSyntaxError) -> ScalarSet {
        let c = chars[i]
        if c == 0x5C { return try parseEscape(inClass: true, negatedClass: negated) }
        i += 1
        return ScalarSet(scalars: [c])
    }

    private mutating func hex(_ count: Int) throws(RegexSyntaxError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<count {
            guard let c = peek, let d = hexValue(c) else { throw RegexSyntaxError(message: "expected \(count) hex digits") }
            v = v * 16 + d; i += 1
        }
        return v
    }

    private func hexValue(_ c: UInt32) -> UInt32? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    // swiftlint:disable:next cyclomatic_complexity
    private mutating func parseEscape(inClass: Bool, negatedClass: Bool) throws(RegexSyntaxError) -> ScalarSet {
        i += 1
        guard let e = peek else { throw RegexSyntaxError(message: "pattern ends with '\\'") }
        i += 1
        func negative(_ positive: ScalarSet, _ name: String) throws(RegexSyntaxError) -> ScalarSet {
            if !inClass { return positive.complement }
            if negatedClass { throw RegexSyntaxError(message: "\\\(name) inside a negated class is not supported") }
            return positive.complement.intersection(.ascii)  // the ASCII part: what ECMA and ICU agree on
        }
        switch e {
        case 0x64: return .digit                                  // d
        case 0x44: return try negative(.digit, "D")
        case 0x77: return .word                                   // w
        case 0x57: return try negative(.word, "W")
        case 0x73: return negatedClass ? .spaceEither : .spaceBoth  // s (negated: the narrower complement)
        case 0x53:                                                // S
            if !inClass { return ScalarSet.spaceEither.complement }
            return try negative(.spaceEither, "S")
        case 0x74: return ScalarSet(scalars: [0x09])              // t
        case 0x6E: return ScalarSet(scalars: [0x0A])              // n
        case 0x72: return ScalarSet(scalars: [0x0D])              // r
        case 0x66: return ScalarSet(scalars: [0x0C])              // f
        case 0x76: return ScalarSet(scalars: [0x0B])              // v
        case 0x62:                                                // b
            if inClass { return ScalarSet(scalars: [0x08]) }
            throw RegexSyntaxError(message: "word boundaries (\\b) are not supported")
        case 0x30:
            if let p = peek, (0x30...0x39).contains(p) { throw RegexSyntaxError(message: "octal escapes are not supported") }
            return ScalarSet(scalars: [0])
        case 0x78: return ScalarSet(scalars: [try hex(2)])        // x
        case 0x75:                                                // u
            let v = try hex(4)
            if (0xD800...0xDFFF).contains(v) { throw RegexSyntaxError(message: "surrogate escapes (\\u\(String(v, radix: 16))) are not supported") }
            return ScalarSet(scalars: [v])
        case 0x31...0x39: throw RegexSyntaxError(message: "backreferences are not supported")
        case 0x42: throw RegexSyntaxError(message: "\\B is not supported")
        case 0x70, 0x50: throw RegexSyntaxError(message: "Unicode property escapes (\\p) are not supported")
        case 0x63: throw RegexSyntaxError(message: "\\c escapes are not supported")
        case 0x6B: throw RegexSyntaxError(message: "named backreferences (\\k) are not supported")
        default:
            if let s = Unicode.Scalar(e), s.properties.isAlphabetic || (0x30...0x39).contains(e) {
                throw RegexSyntaxError(message: "unknown escape \\\(Character(s))")
            }
            return ScalarSet(scalars: [e])
        }
    }
}
