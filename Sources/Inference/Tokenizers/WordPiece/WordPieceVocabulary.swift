import Foundation

/// Reads `vocab.txt` exactly like HF `tokenizers` (`WordPiece::read_file`): one token per line, id = line index.
///
/// Lines are split on LF; trailing whitespace (so a CR of CRLF files, and trailing spaces) is trimmed; a final
/// LF does not start another line, but a blank line is an entry (the empty string). A byte-order mark is kept as
/// part of the first token, as HF does. Invalid UTF-8 anywhere is an error.
public enum WordPieceVocabulary {
    /// Tokens by id from the file at `url`.
    public static func read(contentsOf url: URL) throws -> [String] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw WordPieceError.unreadableVocabulary(path: url.path, reason: error.localizedDescription)
        }
        return try parse(data, source: url.path)
    }

    /// Tokens by id from the bytes of a vocab.txt; `source` names it in errors.
    public static func parse(_ data: Data, source: String) throws -> [String] {
        var tokens: [String] = []
        let bytes = [UInt8](data)
        var lineStart = 0
        var lineNumber = 1
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            // `String(decoding:)` keeps a byte-order mark (Foundation's decoders drop it) and repairs invalid
            // bytes, which the round trip then catches.
            let lineBytes = bytes[lineStart..<lineEnd]
            let line = String(decoding: lineBytes, as: UTF8.self)
            guard line.utf8.elementsEqual(lineBytes) else {
                throw WordPieceError.invalidUTF8(path: source, line: lineNumber)
            }
            tokens.append(trimmingTrailingWhitespace(line))
            lineStart = lineEnd + 1
            lineNumber += 1
        }
        return tokens
    }

    /// Rust's `str::trim_end`: drops trailing White_Space scalars.
    static func trimmingTrailingWhitespace(_ line: String) -> String {
        let scalars = line.unicodeScalars
        var end = scalars.endIndex
        while end > scalars.startIndex {
            let before = scalars.index(before: end)
            guard BertCharacterClasses.isWhitespace(scalars[before]) else { break }
            end = before
        }
        return end == scalars.endIndex ? line : String(scalars[scalars.startIndex..<end])
    }
}
