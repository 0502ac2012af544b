/// The zero points of a `com.microsoft.MatMulNBits` weight.
public enum MatMulNBitsZeroPoints: Equatable, Sendable {
    /// No zero_points input: every block uses 2^(bits−1) (8 for 4-bit).
    case implicit(UInt8)
    /// uint8 `[N, bytesPerRow]`, `bits`-bit values packed low bits first; each row starts on a new byte.
    case packed([UInt8], bytesPerRow: Int)
    /// Unpacked, in the scales' float type: `[N · kBlocks]`.
    case float([Float])
}

/// A block-quantized linear weight of `com.microsoft.MatMulNBits`: `W[n, k] = (q[n, k] − zp[n, block]) · scale[n, block]`
/// with `block = k / blockSize`, used as `Y = A · Wᵀ`.
///
/// The codes stay in the model's memory map (`withCodes`) so kernels can work on the quantized form;
/// `dequantized()` is the plain reference path. Layout (`onnxruntime` ContribOperators.md): codes are uint8
/// `[N, kBlocks, blobSize]`, `blobSize = blockSize · bits / 8`, packed along K low bits first; the last block
/// of a row is padded when K is not a multiple of `blockSize`.
public struct MatMulNBitsWeight: @unchecked Sendable {
    public let nodeName: String
    /// Input features (columns of W).
    public let k: Int
    /// Output features (rows of W).
    public let n: Int
    public let bits: Int
    public let blockSize: Int
    /// Blocks per row: ceil(K / blockSize).
    public let kBlocks: Int
    /// Bytes per block of codes: blockSize · bits / 8.
    public let blobSize: Int
    /// The uint8 initializer holding the codes (raw_data, zero-copy).
    public let codes: ONNXTensor
    /// `[N · kBlocks]`, row-major by output feature.
    public let scales: [Float]
    public let zeroPoints: MatMulNBitsZeroPoints

    /// Bytes of codes per output row: kBlocks · blobSize.
    public var rowStride: Int { kBlocks * blobSize }

    /// Validates the node's attributes against its initializers. `scales` may be `[N, kBlocks]` or flattened.
    public init(node: ONNXNode, in model: ONNXModelFile) throws {
        let path = model.path
        let label = node.name
        func bad(_ reason: String) -> ONNXError { .invalidNode(path: path, node: label, reason: reason) }
        guard node.opType == "MatMulNBits" else { throw bad("expected a MatMulNBits node, found \(node.opType)") }
        guard let k = node.int("K"), let n = node.int("N"), let blockSize = node.int("block_size") else {
            throw bad("MatMulNBits needs integer attributes K, N and block_size")
        }
        let bits = node.int("bits") ?? 4
        guard [2, 4, 8].contains(bits) else { throw bad("bits = \(bits) is not supported (2, 4 or 8)") }
        guard k > 0, n > 0, k <= Int64(Int32.max), n <= Int64(Int32.max) else { throw bad("K = \(k), N = \(n) out of range") }
        guard blockSize >= 16, blockSize <= 1 << 16, blockSize & (blockSize - 1) == 0 else {
            throw bad("block_size = \(blockSize) must be a power of two ≥ 16")
        }
        if let g = node.input(4) { throw bad("g_idx input '\(g)' is not supported") }
        guard let bName = node.input(1), let sName = node.input(2) else { throw bad("missing input B or scales") }

        self.nodeName = node.name
        self.k = Int(k)
        self.n = Int(n)
        self.bits = Int(bits)
        self.blockSize = Int(blockSize)
        kBlocks = (Int(k) + Int(blockSize) - 1) / Int(blockSize)
        blobSize = Int(blockSize) * Int(bits) / 8

        codes = try model.initializer(bName)
        guard codes.dataType == .uint8 else {
            throw ONNXError.wrongDataType(path: path, tensor: bName, dataType: codes.typeName, expected: "UINT8 for MatMulNBits codes")
        }
        guard case .raw = codes.storage else { throw ONNXError.notRawData(path: path, tensor: bName) }
        let expectedCodes = [self.n, kBlocks, blobSize]
        let (rowsTimesBlocks, o1) = self.n.multipliedReportingOverflow(by: kBlocks)
        let (codeBytes, o2) = rowsTimesBlocks.multipliedReportingOverflow(by: blobSize)
        guard !o1, !o2, codes.elementCount == codeBytes, codes.dims.count != 3 || codes.dims == expectedCodes else {
            throw ONNXError.invalidQuantization(path: path, name: bName, reason: "dims \(codes.dims), expected \(expectedCodes) for K=\(k), N=\(n), bits=\(bits), block_size=\(blockSize)")
        }

        let scaleTensor = try model.initializer(sName)
        scales = try scaleTensor.floats()
        guard scales.count == self.n * kBlocks else {
            throw ONNXError.invalidQuantization(path: path, name: sName, reason: "\(scales.count) scales, expected N · kBlocks = \(self.n * kBlocks)")
        }

        if let zName = node.input(3) {
            let z = try model.initializer(zName)
            if z.dataType == .uint8 {
                let bytesPerRow = (kBlocks * Int(bits) + 7) / 8
                guard z.elementCount == self.n * bytesPerRow else {
                    throw ONNXError.invalidQuantization(path: path, name: zName, reason: "\(z.elementCount) packed zero-point bytes, expected N · ceil(kBlocks · bits / 8) = \(self.n * bytesPerRow)")
                }
                zeroPoints = .packed(try z.int64s().map { UInt8(truncatingIfNeeded: $0) }, bytesPerRow: bytesPerRow)
            } else {
                let values = try z.floats()
                guard values.count == self.n * kBlocks else {
                    throw ONNXError.invalidQuantization(path: path, name: zName, reason: "\(values.count) zero points, expected N · kBlocks = \(self.n * kBlocks)")
                }
                zeroPoints = .float(values)
            }
        } else {
            zeroPoints = .implicit(UInt8(1 << (bits - 1)))
        }
    }

    /// The packed codes from the memory map: `N` rows of `rowStride` bytes (valid only inside `body`).
    public func withCodes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard case .raw(let r) = codes.storage else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try body(codes.file.bytes(r))
    }

    /// Zero point of one block as a float.
    @inline(__always)
    public func zeroPoint(row: Int, block: Int) -> Float {
        switch zeroPoints {
        case .implicit(let z): return Float(z)
        case .packed(let bytes, let bytesPerRow):
            let bit = block * bits
            let byte = bytes[row * bytesPerRow + bit / 8]
            return Float((byte >> UInt8(bit % 8)) & UInt8((1 << bits) - 1))
        case .float(let values): return values[row * kBlocks + block]
        }
    }

    /// Dequantizes row `row` (output feature) into `out[0..<K]`.
    public func dequantizeRow(_ row: Int, into out: UnsafeMutableBufferPointer<Float>) {
        precondition(row >= 0 && row < n && out.count >= k, "row \(row) of \(n), output of \(out.count) for K = \(k)")
        let mask = UInt8((1 << bits) - 1)
        let perByte = 8 / bits
        withCodes { all in
            let rowBytes = UnsafeRawBufferPointer(rebasing: all[(row * rowStride)..<((row + 1) * rowStride)])
            for b in 0..<kBlocks {
                let scale = scales[row * kBlocks + b]
                let zp = zeroPoint(row: row, block: b)
                let start = b * blockSize
                let end = min(start + blockSize, k)  // last block may be padded past K
                let blob = b * blobSize
                if bits == 4 && end - start == blockSize {
                    // Common case: a full 4-bit block, two codes per byte, low nibble first.
                    for j in 0..<blobSize {
                        let byte = rowBytes[blob + j]
                        out[start + 2 * j] = (Float(byte & 0x0F) - zp) * scale
                        out[start + 2 * j + 1] = (Float(byte >> 4) - zp) * scale
                    }
                    continue
                }
                var i = start
                while i < end {
                    let within = i - start
                    let byte = rowBytes[blob + within / perByte]
                    let q = (byte >> UInt8((within % perByte) * bits)) & mask
                    out[i] = (Float(q) - zp) * scale
                    i += 1
                }
            }
        }
    }

    /// The whole weight as `[N, K]` row-major floats (reference path; kernels should use the codes).
    public func dequantized() -> [Float] {
        [Float](unsafeUninitializedCapacity: n * k) { dst, count in
            for r in 0..<n { dequantizeRow(r, into: UnsafeMutableBufferPointer(rebasing: dst[(r * k)..<((r + 1) * k)])) }
            count = n * k
        }
    }
}
