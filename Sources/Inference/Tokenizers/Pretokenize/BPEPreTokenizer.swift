/// The split rules that cut text into words before byte-level BPE, keyed by GGUF `tokenizer.ggml.pre`.
///
/// llama.cpp compiles these regexes into hand-written matchers (`unicode_regex_split_custom_gpt2/llama3`);
/// we port those matchers over code points so results match llama.cpp, not a regex engine's idea of `\p{L}`:
/// - `gpt2`: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
/// - `smollm`: first every `\p{N}` alone, then the gpt2 rules inside each piece
/// - `llama3`: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
/// - `qwen2`: the llama3 rules with single digits (`\p{N}`)
public enum BPEPreTokenizer: String, Sendable, CaseIterable {
    case gpt2, smollm, llama3, qwen2

    /// GGUF `tokenizer.ggml.pre` spellings accepted for each rule set (llama.cpp `llama_vocab::impl::load`).
    public static let aliases: [String: BPEPreTokenizer] = [
        "default": .gpt2, "gpt-2": .gpt2, "gpt2": .gpt2,
        "smollm": .smollm,
        "llama3": .llama3, "llama-v3": .llama3, "llama-bpe": .llama3,
        "qwen2": .qwen2, "deepseek-r1-qwen": .qwen2,
    ]

    public static var knownNames: [String] { aliases.keys.sorted() }

    public init(ggufName: String) throws {
        guard let kind = Self.aliases[ggufName] else {
            throw GGUFTokenizerError.unknownPreTokenizer(name: ggufName, known: Self.knownNames)
        }
        self = kind
    }

    /// llama.cpp skips merging for a word that is already a whole token (`ignore_merges`, Llama-3 vocabularies).
    var ignoresMerges: Bool { self == .llama3 }

    /// The words `text` splits into (for inspection and tests; the tokenizer works on code points).
    public func split(_ text: String) -> [String] {
        let cps = text.unicodeScalars.map(\.value)
        return split(cps).map { r in
            String(String.UnicodeScalarView(cps[r].compactMap(Unicode.Scalar.init)))
        }
    }

    /// Splits code points into words; returns word boundaries as ranges into `cps`.
    func split(_ cps: [UInt32]) -> [Range<Int>] {
        let classes = cps.map(CodepointClass.of)
        var text = ClassifiedText(cps: cps, classes: classes)
        switch self {
        case .gpt2:
            return text.splitGPT2(0..<cps.count)
        case .smollm:
            var out: [Range<Int>] = []
            for piece in text.splitEachNumber(0..<cps.count) { out += text.splitGPT2(piece) }
            return out
        case .llama3:
            return text.splitLlama3(0..<cps.count, maxDigits: 3)
        case .qwen2:
            return text.splitLlama3(0..<cps.count, maxDigits: 1)
        }
    }
}

/// Code points with their classes plus the word-collecting state of one split pass.
struct ClassifiedText {
    let cps: [UInt32]
    let classes: [CodepointClass]
    private var words: [Range<Int>] = []
    private var prevEnd = 0
    private var fragment = 0..<0

    init(cps: [UInt32], classes: [CodepointClass]) {
        self.cps = cps
        self.classes = classes
    }

    private static let outOfRange: UInt32 = 0xFFFF_FFFF

    private func cpt(_ i: Int) -> UInt32 { fragment.contains(i) ? cps[i] : Self.outOfRange }
    private func cls(_ i: Int) -> CodepointClass { fragment.contains(i) ? classes[i] : [] }

    private mutating func begin(_ range: Range<Int>) {
        fragment = range
        prevEnd = range.lowerBound
        words = []
    }

    /// Ends the current word at `end`; returns its length.
    @discardableResult
    private mutating func add(_ end: Int) -> Int {
        let len = end - prevEnd
        if len > 0 { words.append(prevEnd..<end) }
        prevEnd = end
        return len
    }

    /// `\p{N}` as its own word, the text between numbers as words (llama.cpp's std::regex split keeps gaps).
    mutating func splitEachNumber(_ range: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var gap = range.lowerBound
        for i in range where classes[i].isNumber {
            if gap < i { out.append(gap..<i) }
            out.append(i..<(i + 1))
            gap = i + 1
        }
        if gap < range.upperBound { out.append(gap..<range.upperBound) }
        return out
    }

    private func isOther(_ c: CodepointClass) -> Bool {
        c.isPresent && !c.isWhitespace && !c.isLetter && !c.isNumber
    }

    private static func lower(_ c: UInt32) -> UInt32 { (65...90).contains(c) ? c + 32 : c }

    mutating func splitGPT2(_ range: Range<Int>) -> [Range<Int>] {
        begin(range)
        let end = range.upperBound
        var pos = range.lowerBound
        while pos < end {
            let c = cpt(pos)
            // 's|'t|'re|'ve|'m|'ll|'d
            if c == 0x27, pos + 1 < end {
                let n1 = cpt(pos + 1)
                if n1 == 0x73 || n1 == 0x74 || n1 == 0x6D || n1 == 0x64 { pos += add(pos + 2); continue }
                if pos + 2 < end {
                    let n2 = cpt(pos + 2)
                    if (n1 == 0x72 && n2 == 0x65) || (n1 == 0x76 && n2 == 0x65) || (n1 == 0x6C && n2 == 0x6C) {
                        pos += add(pos + 3); continue
                    }
                }
            }
            var f2 = c == 0x20 ? cls(pos + 1) : cls(pos)
            // " ?\p{L}+", " ?\p{N}+", " ?[^\s\p{L}\p{N}]+"
            if f2.isLetter || f2.isNumber || isOther(f2) {
                let letter = f2.isLetter, number = f2.isNumber
                if c == 0x20 { pos += 1 }
                while letter ? f2.isLetter : number ? f2.isNumber : isOther(f2) {
                    pos += 1
                    f2 = cls(pos)
                }
                add(pos)
                continue
            }
            var spaces = 0
            while cls(pos + spaces).isWhitespace { spaces += 1 }
            // \s+(?!\S): leave the last space for the next word when something follows.
            if spaces > 1, cpt(pos + spaces) != Self.outOfRange {
                pos += spaces - 1
                add(pos)
                continue
            }
            if spaces > 0 {
                pos += spaces
                add(pos)
                continue
            }
            pos += 1
            add(pos)
        }
        return words
    }

    mutating func splitLlama3(_ range: Range<Int>, maxDigits: Int) -> [Range<Int>] {
        begin(range)
        let end = range.upperBound
        var pos = range.lowerBound
        while pos < end {
            let c = cpt(pos)
            let f = cls(pos)
            // (?i:'s|'t|'re|'ve|'m|'ll|'d)
            if c == 0x27, pos + 1 < end {
                let n1 = Self.lower(cpt(pos + 1))
                if n1 == 0x73 || n1 == 0x74 || n1 == 0x6D || n1 == 0x64 { pos += add(pos + 2); continue }
                if pos + 2 < end {
                    let n2 = Self.lower(cpt(pos + 2))
                    if (n1 == 0x72 && n2 == 0x65) || (n1 == 0x76 && n2 == 0x65) || (n1 == 0x6C && n2 == 0x6C) {
                        pos += add(pos + 3); continue
                    }
                }
            }
            // [^\r\n\p{L}\p{N}]?\p{L}+
            if !(c == 0x0D || c == 0x0A || f.isNumber), f.isLetter || cls(pos + 1).isLetter {
                pos += 1
                while cls(pos).isLetter { pos += 1 }
                add(pos)
                continue
            }
            // \p{N}{1,maxDigits}
            if f.isNumber {
                var start = pos
                while cls(pos).isNumber {
                    pos += 1
                    if pos - start >= maxDigits {
                        add(pos)
                        start = pos
                    }
                }
                add(pos)
                continue
            }
            // " ?[^\s\p{L}\p{N}]+[\r\n]*"
            var f2 = c == 0x20 ? cls(pos + 1) : f
            if isOther(f2), f.isPresent {
                if c == 0x20 { pos += 1 }
                while isOther(f2) {
                    pos += 1
                    f2 = cls(pos)
                }
                while cpt(pos) == 0x0D || cpt(pos) == 0x0A { pos += 1 }
                add(pos)
                continue
            }
            var spaces = 0
            var lastLineEnd = -1
            while cls(pos + spaces).isWhitespace {
                let s = cpt(pos + spaces)
                if s == 0x0D || s == 0x0A { lastLineEnd = pos + spaces + 1 }
                spaces += 1
            }
            // \s*[\r\n]+
            if lastLineEnd >= 0 {
                pos = lastLineEnd
                add(pos)
                continue
            }
            if spaces > 1, cpt(pos + spaces) != Self.outOfRange {
                pos += spaces - 1
                add(pos)
                continue
            }
            if spaces > 0 {
                pos += spaces
                add(pos)
                continue
            }
            pos += 1
            add(pos)
        }
        return words
    }
}
