/// Character classes of HF `tokenizers`' BERT normalizer and pre-tokenizer, pinned to what it really does.
///
/// HF takes "other", "nonspacing mark" and "punctuation" from the Rust crate `unicode_categories`, whose tables
/// are Unicode 8.0: a character assigned later is none of these there, and the few characters whose category
/// changed since keep their 8.0 category (listed below). Whitespace and lowercasing come from Rust's `char`
/// (current Unicode), as do Swift's scalar properties.
/// `Tests/Fixtures/tokenizers/wordpiece/unicode_sweep.json` pins every code point against HF.
public enum BertCharacterClasses {
    /// The Unicode version of HF's category tables (see the type comment).
    static let categoryVersion: Unicode.Version = (major: 8, minor: 0)

    /// Punctuation in Unicode 8.0, no longer punctuation (U+166D Canadian syllabics chi sign is So since 12.0;
    /// U+111C9 Sharada sandhi mark is Mn since 11.0).
    static let legacyPunctuation: Set<UInt32> = [0x166D, 0x111C9]
    /// Nonspacing marks in Unicode 8.0 that are spacing marks now (Hanunoo pamudpod, Ahom medial ra).
    static let legacyNonspacingMarks: Set<UInt32> = [0x1734, 0x1171E]
    /// Nonspacing marks now that were not in Unicode 8.0 (Mongolian Ali Gali baluda signs were Lo, Javanese keret
    /// was Mc, the Sharada sandhi mark was Po).
    static let newNonspacingMarks: Set<UInt32> = [0x1885, 0x1886, 0xA9BD, 0x111C9]

    /// Whether the scalar was assigned in the Unicode version HF's category tables know.
    @inline(__always)
    static func knownToCategoryTables(_ p: Unicode.Scalar.Properties) -> Bool {
        guard let age = p.age else { return false }
        return age.major < categoryVersion.major
            || (age.major == categoryVersion.major && age.minor <= categoryVersion.minor)
    }

    /// Whitespace as BERT sees it: tab, LF, CR and the Unicode White_Space property.
    @inline(__always)
    public static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return s.properties.isWhitespace
    }

    /// Characters `clean_text` removes: U+0000, U+FFFD and "other" (Cc, Cf, Co) except tab, LF, CR.
    @inline(__always)
    public static func isRemovedByCleaning(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0x7F }
        if v == 0xFFFD { return true }
        let p = s.properties
        switch p.generalCategory {
        case .control, .format, .privateUse: return knownToCategoryTables(p)
        default: return false
        }
    }

    /// BERT punctuation: every ASCII non-alphanumeric printable character, or a Unicode P* category.
    @inline(__always)
    public static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 {
            return (v >= 0x21 && v <= 0x2F) || (v >= 0x3A && v <= 0x40) || (v >= 0x5B && v <= 0x60)
                || (v >= 0x7B && v <= 0x7E)
        }
        let p = s.properties
        switch p.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return knownToCategoryTables(p)
        default:
            return legacyPunctuation.contains(v)
        }
    }

    /// CJK ideographs that `handle_chinese_chars` surrounds with spaces (not Hangul, not kana).
    @inline(__always)
    public static func isChineseCharacter(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
            0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// Nonspacing marks (Mn) that `strip_accents` drops after NFD.
    @inline(__always)
    public static func isNonspacingMark(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x300 { return false }
        let p = s.properties
        if p.generalCategory == .nonspacingMark {
            return knownToCategoryTables(p) && !newNonspacingMarks.contains(s.value)
        }
        return legacyNonspacingMarks.contains(s.value)
    }
}
