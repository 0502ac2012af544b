import Foundation

/// Numbers the grammar writes: `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, no exponent, with bounds enforced exactly.
///
/// Values are counted in units of 10^-fractionDigits as Int64, so every prefix's set of completions is an integer
/// interval and bound checks are exact integer comparisons. The bounds themselves are found by binary search on
/// `Double(units) / 10^fractionDigits`, which is exactly the double JSON parsing yields for the written text (both
/// operands are exact below 2^53 and IEEE division rounds correctly), so "in bounds" here means "in bounds" to
/// the validator. Integer schemas use 0 fraction digits and up to 15 integer digits; number schemas up to 9
/// integer and 6 fraction digits (15 significant digits in all).
struct DecimalSpec: Sendable, Hashable {
    var fractionDigits: Int
    var maxIntegerDigits: Int
    /// Least and greatest admissible value, in units.
    var low: Int64
    var high: Int64

    static let integerDigits = 15
    static let numberIntegerDigits = 9
    static let numberFractionDigits = 6

    static let pow10: [Int64] = (0...18).map { e in (0..<e).reduce(Int64(1)) { r, _ in r * 10 } }

    var scale: Int64 { DecimalSpec.pow10[fractionDigits] }
    /// Largest magnitude the digit limits allow, in units.
    var capacity: Int64 { DecimalSpec.pow10[maxIntegerDigits + fractionDigits] - 1 }

    func value(_ units: Int64) -> Double { Double(units) / Double(scale) }

    /// Builds the spec from the schema's bounds (nil: unbounded); returns nil when no value fits.
    static func make(integer: Bool, minimum: Double?, exclusiveMinimum: Double?, maximum: Double?,
                     exclusiveMaximum: Double?) -> DecimalSpec? {
        var spec = DecimalSpec(fractionDigits: integer ? 0 : numberFractionDigits,
                               maxIntegerDigits: integer ? integerDigits : numberIntegerDigits, low: 0, high: 0)
        let cap = spec.capacity
        // Smallest units satisfying every lower bound (the predicate is monotone in units).
        let lowerOK: (Int64) -> Bool = { u in
            let v = spec.value(u)
            if let m = minimum, !(v >= m) { return false }
            if let m = exclusiveMinimum, !(v > m) { return false }
            return true
        }
        let upperOK: (Int64) -> Bool = { u in
            let v = spec.value(u)
            if let m = maximum, !(v <= m) { return false }
            if let m = exclusiveMaximum, !(v < m) { return false }
            return true
        }
        guard lowerOK(cap), upperOK(-cap) else { return nil }
        var lo = -cap, hi = cap  // first u in [lo, hi] with lowerOK
        while lo < hi { let mid = lo + (hi - lo) / 2; if lowerOK(mid) { hi = mid } else { lo = mid + 1 } }
        spec.low = lo
        lo = -cap; hi = cap  // last u with upperOK
        while lo < hi { let mid = lo + (hi - lo + 1) / 2; if upperOK(mid) { lo = mid } else { hi = mid - 1 } }
        spec.high = lo
        return spec.low <= spec.high ? spec : nil
    }

    /// True when some value in `[a, b]` (magnitudes in units, a <= b) with the given sign is admissible.
    func meets(magnitudeFrom a: Int64, to b: Int64, negative: Bool) -> Bool {
        let (vlo, vhi) = negative ? (-b, -a) : (a, b)
        return vlo <= high && vhi >= low
    }

    /// Can a number whose integer part so far is `intValue` (with `intDigits` digits; 0 digits after a bare `-`)
    /// still be completed within bounds?
    func integerPartFeasible(_ intValue: Int64, intDigits: Int, negative: Bool) -> Bool {
        if intDigits == 0 { return meets(magnitudeFrom: 0, to: capacity, negative: negative) }
        if intValue == 0 { return meets(magnitudeFrom: 0, to: scale - 1, negative: negative) }
        var j = 0
        while intDigits + j <= maxIntegerDigits {
            let p = DecimalSpec.pow10[j + fractionDigits]
            if meets(magnitudeFrom: intValue * p, to: (intValue + 1) * p - 1, negative: negative) { return true }
            j += 1
        }
        return false
    }

    /// Can a number with integer part `intValue` and fraction digits `fraction` (`fractionCount` of them, 0 right
    /// after the point) be completed within bounds?
    func fractionFeasible(_ intValue: Int64, fraction: Int64, fractionCount: Int, negative: Bool) -> Bool {
        let step = DecimalSpec.pow10[fractionDigits - fractionCount]
        let base = intValue * scale + fraction * step
        return meets(magnitudeFrom: base, to: base + step - 1, negative: negative)
    }

    /// Is the number written so far admissible as it stands?
    func admits(_ intValue: Int64, fraction: Int64, fractionCount: Int, negative: Bool) -> Bool {
        let units = intValue * scale + fraction * DecimalSpec.pow10[fractionDigits - fractionCount]
        let v = negative ? -units : units
        return v >= low && v <= high
    }
}
