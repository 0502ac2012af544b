import Foundation

/// Per-scalar canonical decomposition (NFD) and full lowercase mapping, built once so the tokenizer's hot path
/// never allocates a `String` per character.
///
/// HF's NFD comes from the crate `unicode-normalization-alignments`, whose data predate Unicode 13: a scalar
/// assigned since (U+11938 Dives Akuru vowel sign O is the one with a canonical decomposition today) stays whole.
///
/// Both tables are filled on first use (Swift initialises a `static let` once, thread-safely) from the platform's
/// Unicode data: the decompositions with one Foundation NFD call over all candidate scalars, the lowercase
/// mappings from `Unicode.Scalar.Properties.lowercaseMapping` for the scalars that change when lowercased.
enum UnicodeMappingTables {
    /// Newest Unicode version whose canonical decompositions HF applies.
    static let decompositionVersion: Unicode.Version = (major: 12, minor: 1)

    /// Scalars whose NFD differs from themselves, excluding Hangul syllables (decomposed arithmetically).
    static let decompositions: [UInt32: [Unicode.Scalar]] = buildDecompositions()

    /// Scalars whose full lowercase mapping differs from themselves (ASCII excluded: handled inline).
    static let lowercaseMappings: [UInt32: [Unicode.Scalar]] = buildLowercaseMappings()

    /// Whether HF's NFD changes this scalar.
    static func hasDecomposition(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (v >= hangulBase && v < hangulBase + hangulCount) || decompositions[v] != nil
    }

    /// Canonical decomposition of one scalar, appended to `out` (the scalar itself when it has none).
    @inline(__always)
    static func appendDecomposition(of s: Unicode.Scalar, to out: inout [Unicode.Scalar]) {
        let v = s.value
        if v < 0xC0 { out.append(s); return }
        if v >= hangulBase && v < hangulBase + hangulCount {
            appendHangulDecomposition(v, to: &out)
            return
        }
        if let d = decompositions[v] { out.append(contentsOf: d) } else { out.append(s) }
    }

    /// Appends the lowercase mapping of one scalar (one to three scalars) to `out`.
    @inline(__always)
    static func appendLowercase(of s: Unicode.Scalar, to out: inout [Unicode.Scalar]) {
        let v = s.value
        if v < 0x80 {
            if v >= 0x41 && v <= 0x5A, let lower = Unicode.Scalar(v + 0x20) { out.append(lower) } else { out.append(s) }
            return
        }
        if let m = lowercaseMappings[v] { out.append(contentsOf: m) } else { out.append(s) }
    }

    // MARK: Hangul (Unicode §3.12, conjoining jamo behaviour)

    private static let hangulBase: UInt32 = 0xAC00
    private static let hangulCount: UInt32 = 11172
    private static let leadBase: UInt32 = 0x1100
    private static let vowelBase: UInt32 = 0x1161
    private static let trailBase: UInt32 = 0x11A7
    private static let vowelCount: UInt32 = 21
    private static let trailCount: UInt32 = 28

    @inline(__always)
    private static func appendHangulDecomposition(_ v: UInt32, to out: inout [Unicode.Scalar]) {
        let index = v - hangulBase
        let lead = leadBase + index / (vowelCount * trailCount)
        let vowel = vowelBase + (index % (vowelCount * trailCount)) / trailCount
        let trail = index % trailCount
        // The jamo ranges are valid scalars, so these never fail.
        if let l = Unicode.Scalar(lead) { out.append(l) }
        if let w = Unicode.Scalar(vowel) { out.append(w) }
        if trail != 0, let t = Unicode.Scalar(trailBase + trail) { out.append(t) }
    }

    // MARK: Building

    /// Ranges that hold every canonically decomposable scalar (the CJK unified ideograph blocks, which have
    /// none, are skipped to keep the one-off NFD call small).
    private static let decomposableRanges: [ClosedRange<UInt32>] = [
        0x00C0...0x33FF, 0xA000...0xABFF, 0xD7A4...0xD7FF, 0xF900...0xFFFF, 0x10000...0x1FFFF, 0x2F800...0x2FA1F,
    ]

    private static func buildDecompositions() -> [UInt32: [Unicode.Scalar]] {
        // NFD of "s1 LF s2 LF …" is NFD(s1) LF NFD(s2) LF …: LF is a starter, so nothing reorders across it.
        var candidates: [Unicode.Scalar] = []
        var source = String.UnicodeScalarView()
        for range in decomposableRanges {
            for v in range {
                guard let s = Unicode.Scalar(v), let age = s.properties.age,
                      age.major < decompositionVersion.major
                        || (age.major == decompositionVersion.major && age.minor <= decompositionVersion.minor)
                else { continue }
                if v >= hangulBase && v < hangulBase + hangulCount { continue }
                candidates.append(s)
                source.append(s)
                source.append("\n")
            }
        }
        let decomposed = String(source).decomposedStringWithCanonicalMapping.unicodeScalars
        var table: [UInt32: [Unicode.Scalar]] = [:]
        var index = 0
        var current: [Unicode.Scalar] = []
        for s in decomposed {
            if s == "\n" {
                if index < candidates.count, current != [candidates[index]] { table[candidates[index].value] = current }
                index += 1
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(s)
            }
        }
        return table
    }

    private static func buildLowercaseMappings() -> [UInt32: [Unicode.Scalar]] {
        var table: [UInt32: [Unicode.Scalar]] = [:]
        for v in UInt32(0x80)..<0x20000 {
            guard let s = Unicode.Scalar(v), s.properties.changesWhenLowercased else { continue }
            table[v] = Array(s.properties.lowercaseMapping.unicodeScalars)
        }
        return table
    }
}
