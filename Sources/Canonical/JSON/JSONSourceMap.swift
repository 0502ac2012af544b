/// Where each value of a parsed JSON text starts, so later errors (schema problems, mapping errors) can say
/// `line:column` instead of only a JSON Pointer.
///
/// Keys are JSON Pointers. For an object member the recorded position is that of its key; for an array element
/// or the root, the start of the value.
public struct JSONSourceMap: Sendable {
    private var offsets: [String: Int] = [:]
    private let lineStarts: [Int]
    private let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        lineStarts = starts
    }

    mutating func record(_ pointer: String, offset: Int) { offsets[pointer] = offset }

    /// 1-based line and column (in Unicode scalars) of the value at `pointer`, or nil when it was not in the text.
    public func location(ofPointer pointer: String) -> (line: Int, column: Int)? {
        offsets[pointer].map(location(ofOffset:))
    }

    /// 1-based line and column (in Unicode scalars) of a byte offset.
    public func location(ofOffset offset: Int) -> (line: Int, column: Int) {
        JSONSourceMap.location(ofOffset: offset, in: bytes, lineStarts: lineStarts)
    }

    static func location(ofOffset offset: Int, in bytes: [UInt8], lineStarts: [Int]? = nil) -> (line: Int, column: Int) {
        let target = min(max(0, offset), bytes.count)
        var lineStart = 0, line = 1
        if let starts = lineStarts {
            // Last line start <= target.
            var lo = 0, hi = starts.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if starts[mid] <= target { lo = mid } else { hi = mid - 1 }
            }
            lineStart = starts[lo]; line = lo + 1
        } else {
            for i in 0..<target where bytes[i] == UInt8(ascii: "\n") { line += 1; lineStart = i + 1 }
        }
        var column = 1
        for i in lineStart..<target where bytes[i] & 0xC0 != 0x80 { column += 1 }
        return (line, column)
    }
}
