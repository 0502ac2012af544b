/// A 4-bit block-quantized weight matrix in the ONNX `MatMulNBits` layout: W[rows = N, cols = K] with
/// w = (q − zeroPoint) · scale per block of `blockSize` along K.
public struct NBitsMatrix: Sendable {
    public let rows: Int
    public let cols: Int
    public let blockSize: Int
    /// [rows][blocks][blockSize/2]: element 2i of a block in the low nibble of byte i, 2i+1 in the high nibble.
    public let codes: [UInt8]
    /// [rows][blocks]
    public let scales: [Float]
    /// [rows][blocks], or nil for the implicit zero point 8.
    public let zeroPoints: [Float]?

    public var blocksPerRow: Int { (cols + blockSize - 1) / blockSize }

    /// Checks the array sizes; nil when they do not fit rows × cols × blockSize (callers report the tensor name).
    public init?(rows: Int, cols: Int, blockSize: Int, codes: [UInt8], scales: [Float], zeroPoints: [Float]?) {
        guard rows > 0, cols > 0, blockSize >= 2, blockSize % 2 == 0 else { return nil }
        let blocks = (cols + blockSize - 1) / blockSize
        guard codes.count == rows * blocks * blockSize / 2, scales.count == rows * blocks,
              zeroPoints == nil || zeroPoints?.count == rows * blocks else { return nil }
        self.rows = rows
        self.cols = cols
        self.blockSize = blockSize
        self.codes = codes
        self.scales = scales
        self.zeroPoints = zeroPoints
    }

    /// The f32 matrix [rows, cols], computed as (Float(q) − zp) · scale like onnxruntime's fp32 path.
    public func dequantized() -> [Float] {
        var out = [Float](repeating: 0, count: rows * cols)
        let blocks = blocksPerRow
        for r in 0..<rows {
            for c in 0..<cols {
                let b = c / blockSize, e = c % blockSize
                let byte = codes[(r * blocks + b) * (blockSize / 2) + e / 2]
                let q = e % 2 == 0 ? byte & 0x0F : byte >> 4
                let zp = zeroPoints?[r * blocks + b] ?? 8
                out[r * cols + c] = (Float(q) - zp) * scales[r * blocks + b]
            }
        }
        return out
    }

    /// Rows of several matrices with the same cols and block size stacked (e.g. Q, K, V); nil if they differ.
    public static func stacking(_ parts: [NBitsMatrix]) -> NBitsMatrix? {
        guard let first = parts.first,
              parts.allSatisfy({ $0.cols == first.cols && $0.blockSize == first.blockSize }) else { return nil }
        let anyZero = parts.contains { $0.zeroPoints != nil }
        return NBitsMatrix(rows: parts.reduce(0) { $0 + $1.rows }, cols: first.cols, blockSize: first.blockSize,
                           codes: parts.flatMap(\.codes), scales: parts.flatMap(\.scales),
                           zeroPoints: anyZero ? parts.flatMap { $0.zeroPoints ?? [Float](repeating: 8, count: $0.scales.count) } : nil)
    }
}
