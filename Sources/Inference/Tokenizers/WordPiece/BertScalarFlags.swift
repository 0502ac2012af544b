/// Everything the BERT normalizer and pre-tokenizer ask about one scalar, as bits, looked up in one table load
/// for the Basic Multilingual Plane (computed once from `BertCharacterClasses`) and computed directly above it.
struct BertScalarFlags: OptionSet, Sendable {
    let rawValue: UInt8

    static let removedByCleaning = BertScalarFlags(rawValue: 1 << 0)
    static let whitespace = BertScalarFlags(rawValue: 1 << 1)
    static let punctuation = BertScalarFlags(rawValue: 1 << 2)
    static let chinese = BertScalarFlags(rawValue: 1 << 3)
    static let nonspacingMark = BertScalarFlags(rawValue: 1 << 4)
    /// Has a canonical decomposition HF applies (Hangul syllables included).
    static let decomposes = BertScalarFlags(rawValue: 1 << 5)
    /// Has a lowercase mapping other than itself.
    static let lowercases = BertScalarFlags(rawValue: 1 << 6)
    /// Canonical combining class is not 0 (takes part in NFD reordering).
    static let reorders = BertScalarFlags(rawValue: 1 << 7)

    /// The precomputed flags of the Basic Multilingual Plane. Hot loops keep the table in a stored property:
    /// each read of a `static let` costs a call.
    struct Table: Sendable {
        static let shared = Table()

        private let basicPlane: [UInt8]

        private init() {
            basicPlane = (0..<0x10000).map { v in
                guard let s = Unicode.Scalar(UInt32(v)) else { return 0 }  // surrogate code points never occur
                return compute(s).rawValue
            }
        }

        @inline(__always)
        subscript(_ s: Unicode.Scalar) -> BertScalarFlags {
            let v = s.value
            if v < 0x10000 { return BertScalarFlags(rawValue: basicPlane[Int(v)]) }
            return compute(s)
        }
    }

    private static func compute(_ s: Unicode.Scalar) -> BertScalarFlags {
        var flags: BertScalarFlags = []
        if BertCharacterClasses.isRemovedByCleaning(s) { flags.insert(.removedByCleaning) }
        if BertCharacterClasses.isWhitespace(s) { flags.insert(.whitespace) }
        if BertCharacterClasses.isPunctuation(s) { flags.insert(.punctuation) }
        if BertCharacterClasses.isChineseCharacter(s) { flags.insert(.chinese) }
        if BertCharacterClasses.isNonspacingMark(s) { flags.insert(.nonspacingMark) }
        if UnicodeMappingTables.hasDecomposition(s) { flags.insert(.decomposes) }
        if (s.value >= 0x41 && s.value <= 0x5A) || UnicodeMappingTables.lowercaseMappings[s.value] != nil { flags.insert(.lowercases) }
        if s.value >= 0x300 && s.properties.canonicalCombiningClass.rawValue != 0 { flags.insert(.reorders) }
        return flags
    }
}
