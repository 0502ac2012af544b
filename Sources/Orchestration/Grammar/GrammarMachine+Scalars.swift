extension GrammarMachine {
    // MARK: Strings
    //
    // Frame: phase = `StringBody` substate, x = characters started (Unicode scalars, as the validator counts),
    // y = pattern DFA state, z = the scalar being decoded (pattern strings only).

    func stepString(_ spec: StringSpec, _ s: GrammarState, _ byte: UInt8, _ out: inout [GrammarState]) {
        let f = s.top
        let r = StringBody.step(f.phase, byte)
        if r == StringBody.invalid { return }
        if r == StringBody.close {
            guard Int(f.x) >= spec.minLength else { return }
            if let re = spec.regex, !program.regexes[re].accepting[Int(f.y)] { return }
            return finish(s, then: nil, &out)
        }
        var t = s
        let starts = r & StringBody.startsCharacter != 0
        let sub = Int32(r & 0xFF)
        if starts {
            guard Int(f.x) < spec.maxLength else { return }
            t.top.x += 1
        }
        t.top.phase = sub
        if let re = spec.regex {
            guard advancePattern(program.regexes[re], spec, &t.top, previous: f.phase, byte) else { return }
        }
        out.append(t)
    }

    /// Decodes the scalar in progress and steps the pattern DFA when it completes; false when no completion of
    /// the character (or of the string, within the length limits) could match.
    private func advancePattern(_ re: RegexAutomaton, _ spec: StringSpec, _ f: inout Frame, previous: Int32, _ byte: UInt8) -> Bool {
        let lo = spec.minLength - Int(f.x), hi = spec.maxLength - Int(f.x)
        let sub = f.phase
        var low: UInt32, high: UInt32
        switch previous {
        case 0:
            switch sub {
            case 0: f.z = Int64(byte)
            case 8: return re.anyFeasible(f.y, low: 0, high: 0xD7FF, lo: lo, hi: hi) || re.anyFeasible(f.y, low: 0xE000, high: 0xFFFF, lo: lo, hi: hi)
            case 1: f.z = Int64(byte & 0x1F)
            case 2, 3, 4: f.z = Int64(byte & 0x0F)
            default: f.z = Int64(byte & 0x07)
            }
        case 1...7: f.z = f.z << 6 | Int64(byte & 0x3F)
        case 8:
            if sub == 9 { f.z = 0; return re.anyFeasible(f.y, low: 0, high: 0xD7FF, lo: lo, hi: hi) || re.anyFeasible(f.y, low: 0xE000, high: 0xFFFF, lo: lo, hi: hi) }
            f.z = Int64(StringBody.escaped(byte))
        default: f.z = f.z * 16 + StringBody.hexValue(byte)
        }
        if sub == 0 {
            let next = re.next(f.y, UInt32(f.z))
            guard next >= 0, re.feasible(next, lo: lo, hi: hi) else { return false }
            f.y = next
            return true
        }
        let z = UInt32(f.z)
        switch sub {
        case 1: low = z << 6; high = low | 0x3F
        case 2: low = z << 12; high = low | 0xFFF
        case 3: low = 0x800; high = 0xFFF
        case 4: low = 0xD000; high = 0xD7FF
        case 5: low = z << 18; high = low | 0x3FFFF
        case 6: low = 0x10000; high = 0x3FFFF
        case 7: low = 0x100000; high = 0x10FFFF
        default:  // 10...12: \u with 1...3 hex digits read
            let shift = UInt32(4 * (12 - Int(sub) + 1))
            low = z << shift; high = low | ((1 << shift) - 1)
        }
        return re.anyFeasible(f.y, low: low, high: high, lo: lo, hi: hi)
    }

    // MARK: Numbers
    //
    // Frame: phase 0 after `-`, 1 integer part `0`, 2 integer part [1-9][0-9]*, 3 after `.`, 4 in the fraction;
    // x = integer digits | 1 << 16 when negative, y = fraction value * 8 + fraction digits, z = integer part.

    private static let negativeFlag: Int32 = 1 << 16

    func startNumber(_ spec: DecimalSpec, _ node: Int, _ s: GrammarState, _ byte: UInt8, _ out: inout [GrammarState]) {
        var t = s
        if byte == UInt8(ascii: "-") {
            guard spec.integerPartFeasible(0, intDigits: 0, negative: true) else { return }
            t.top = Frame(node: Int32(node), phase: 0, x: GrammarMachine.negativeFlag)
            out.append(t)
            return
        }
        t.top = Frame(node: Int32(node), phase: 0)
        stepNumber(spec, t, byte, &out, fromStart: true)
    }

    func stepNumber(_ spec: DecimalSpec, _ s: GrammarState, _ byte: UInt8, _ out: inout [GrammarState], fromStart: Bool = false) {
        let f = s.top
        let negative = f.x & GrammarMachine.negativeFlag != 0
        let intDigits = Int(f.x & 0xFFFF)
        let fracDigits = Int(f.y & 7), fraction = Int64(f.y >> 3)
        var t = s
        if byte >= 0x30 && byte <= 0x39 {
            let d = Int64(byte - 0x30)
            switch f.phase {
            case 0:  // first integer digit
                guard spec.integerPartFeasible(d, intDigits: 1, negative: negative) else { break }
                t.top.phase = d == 0 ? 1 : 2
                t.top.x = f.x + 1
                t.top.z = d
                return out.append(t)
            case 2:
                guard intDigits < spec.maxIntegerDigits else { break }
                let v = f.z * 10 + d
                guard spec.integerPartFeasible(v, intDigits: intDigits + 1, negative: negative) else { break }
                t.top.x = f.x + 1
                t.top.z = v
                return out.append(t)
            case 3, 4:
                guard fracDigits < spec.fractionDigits else { break }
                let v = fraction * 10 + d
                guard spec.fractionFeasible(f.z, fraction: v, fractionCount: fracDigits + 1, negative: negative) else { break }
                t.top.phase = 4
                t.top.y = Int32(v) << 3 | Int32(fracDigits + 1)
                return out.append(t)
            default: break
            }
        } else if byte == UInt8(ascii: "."), f.phase == 1 || f.phase == 2, spec.fractionDigits > 0,
                  spec.fractionFeasible(f.z, fraction: 0, fractionCount: 0, negative: negative) {
            t.top.phase = 3
            t.top.y = 0
            return out.append(t)
        }
        if !fromStart, numberCanEnd(spec, f) { finish(s, then: byte, &out) }
    }

    func numberCanEnd(_ spec: DecimalSpec, _ f: Frame) -> Bool {
        guard f.phase == 1 || f.phase == 2 || f.phase == 4 else { return false }
        return spec.admits(f.z, fraction: Int64(f.y >> 3), fractionCount: Int(f.y & 7),
                           negative: f.x & GrammarMachine.negativeFlag != 0)
    }
}
