/// Options of HF's `BertNormalizer`, with its defaults.
public struct BertNormalizerOptions: Sendable, Equatable {
    /// Drop U+0000, U+FFFD and control/format/private-use characters; turn every whitespace into a space.
    public var cleanText: Bool
    /// Surround CJK ideographs with spaces so each becomes its own word.
    public var handleChineseChars: Bool
    /// NFD, then drop nonspacing marks ("Ångström" → "Angstrom", "한" → its three jamo).
    public var stripAccents: Bool
    /// Full Unicode lowercasing, scalar by scalar ("İ" → "i̇", two scalars).
    public var lowercase: Bool

    /// `stripAccents` nil follows `lowercase`, as in HF (`strip_accents: null`).
    public init(cleanText: Bool = true, handleChineseChars: Bool = true, stripAccents: Bool? = nil, lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseChars = handleChineseChars
        self.stripAccents = stripAccents ?? lowercase
        self.lowercase = lowercase
    }
}

/// Normalized text that remembers, for every normalized scalar, which original scalar it came from.
///
/// HF keeps an alignment range per normalized byte; for BERT's normalizer that range is always exactly one
/// original character (replacements and expansions inherit it, removals drop it), so one index suffices.
public struct NormalizedScalars: Sendable, Equatable {
    public var scalars: [Unicode.Scalar] = []
    /// `origins[i]` is the index, in Unicode scalars of the original text, that `scalars[i]` came from.
    public var origins: [Int] = []

    public init() {}

    public var string: String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}

/// HF `tokenizers`' `BertNormalizer`: clean text → CJK spacing → strip accents → lowercase, offsets kept.
public struct BertNormalizer: Sendable {
    public var options: BertNormalizerOptions
    private let flagTable = BertScalarFlags.Table.shared

    public init(options: BertNormalizerOptions = BertNormalizerOptions()) {
        self.options = options
    }

    /// Normalizes a whole string (origins index its Unicode scalars).
    public func normalize(_ text: String) -> NormalizedScalars {
        let source = Array(text.unicodeScalars)
        var out = NormalizedScalars()
        normalize(source, range: 0..<source.count, into: &out)
        return out
    }

    /// Normalizes `source[range]`, replacing the contents of `out`; origins index `source`.
    public func normalize(_ source: [Unicode.Scalar], range: Range<Int>, into out: inout NormalizedScalars) {
        var stage = NormalizedScalars()
        stage.scalars.reserveCapacity(range.count)
        stage.origins.reserveCapacity(range.count)
        let mayReorder = cleanSpaceAndDecompose(source, range: range, into: &stage)
        let strip = options.stripAccents
        let lower = options.lowercase
        guard strip || lower else {
            swap(&out, &stage)
            return
        }
        if strip && mayReorder { reorderCombiningMarks(&stage) }
        out.scalars.removeAll(keepingCapacity: true)
        out.origins.removeAll(keepingCapacity: true)
        out.scalars.reserveCapacity(stage.scalars.count)
        out.origins.reserveCapacity(stage.scalars.count)
        for i in 0..<stage.scalars.count {
            let s = stage.scalars[i]
            let flags = flagTable[s]
            if strip && flags.contains(.nonspacingMark) { continue }
            if lower && flags.contains(.lowercases) {
                let before = out.scalars.count
                UnicodeMappingTables.appendLowercase(of: s, to: &out.scalars)
                for _ in before..<out.scalars.count { out.origins.append(stage.origins[i]) }
            } else {
                out.scalars.append(s)
                out.origins.append(stage.origins[i])
            }
        }
    }

    /// First pass: clean text, CJK spacing and (when stripping accents) canonical decomposition.
    /// Returns whether the output may hold combining marks that NFD's canonical ordering has to sort.
    private func cleanSpaceAndDecompose(_ source: [Unicode.Scalar], range: Range<Int>,
                                        into stage: inout NormalizedScalars) -> Bool {
        let clean = options.cleanText
        let chinese = options.handleChineseChars
        let decompose = options.stripAccents
        var mayReorder = false
        for i in range {
            var s = source[i]
            var flags = flagTable[s]
            if clean {
                if flags.contains(.removedByCleaning) { continue }
                if flags.contains(.whitespace) {
                    s = " "
                    flags = .whitespace
                }
            }
            let spaced = chinese && flags.contains(.chinese)
            if spaced {
                // HF aligns an inserted space with the previous character; spaces never reach a token, so the
                // CJK character's own index is as good and keeps origins non-decreasing.
                stage.scalars.append(" ")
                stage.origins.append(i)
            }
            if decompose && flags.contains(.decomposes) {
                let before = stage.scalars.count
                UnicodeMappingTables.appendDecomposition(of: s, to: &stage.scalars)
                for _ in before..<stage.scalars.count { stage.origins.append(i) }
                mayReorder = true
            } else {
                stage.scalars.append(s)
                stage.origins.append(i)
                if flags.contains(.reorders) { mayReorder = true }
            }
            if spaced {
                stage.scalars.append(" ")
                stage.origins.append(i)
            }
        }
        return mayReorder
    }

    /// Canonical ordering step of NFD: stable-sorts each run of non-starters by combining class.
    private func reorderCombiningMarks(_ text: inout NormalizedScalars) {
        var i = 0
        let n = text.scalars.count
        while i < n {
            guard combiningClass(text.scalars[i]) != 0 else { i += 1; continue }
            var end = i + 1
            while end < n && combiningClass(text.scalars[end]) != 0 { end += 1 }
            if end - i > 1 {
                // Insertion sort: runs are a handful of marks and must stay stable.
                for j in (i + 1)..<end {
                    var k = j
                    while k > i && combiningClass(text.scalars[k - 1]) > combiningClass(text.scalars[k]) {
                        text.scalars.swapAt(k - 1, k)
                        text.origins.swapAt(k - 1, k)
                        k -= 1
                    }
                }
            }
            i = end
        }
    }

    @inline(__always)
    private func combiningClass(_ s: Unicode.Scalar) -> UInt8 {
        flagTable[s].contains(.reorders) ? s.properties.canonicalCombiningClass.rawValue : 0
    }
}
