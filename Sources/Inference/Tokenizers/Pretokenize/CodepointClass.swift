/// The three character classes the BPE split rules test, per code point (llama.cpp `unicode_cpt_flags`).
///
/// `\p{L}` = general category L*, `\p{N}` = N*, `\s` = the Unicode White_Space property (the same set as
/// llama.cpp's `unicode_set_whitespace`). Positions outside the current fragment have no class at all.
struct CodepointClass: OptionSet, Sendable {
    let rawValue: UInt8
    static let letter = CodepointClass(rawValue: 1)
    static let number = CodepointClass(rawValue: 2)
    static let whitespace = CodepointClass(rawValue: 4)
    /// Set for every code point inside the fragment, so "no class" (outside) differs from "other".
    static let present = CodepointClass(rawValue: 8)

    var isLetter: Bool { contains(.letter) }
    var isNumber: Bool { contains(.number) }
    var isWhitespace: Bool { contains(.whitespace) }
    var isPresent: Bool { contains(.present) }

    private static let ascii: [CodepointClass] = (0..<128).map { compute(UInt32($0)) }

    static func of(_ cp: UInt32) -> CodepointClass {
        cp < 128 ? ascii[Int(cp)] : compute(cp)
    }

    private static func compute(_ cp: UInt32) -> CodepointClass {
        guard let scalar = Unicode.Scalar(cp) else { return .present }
        var c: CodepointClass = .present
        let props = scalar.properties
        switch props.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: c.insert(.letter)
        case .decimalNumber, .letterNumber, .otherNumber: c.insert(.number)
        default: break
        }
        if props.isWhitespace { c.insert(.whitespace) }
        return c
    }
}
