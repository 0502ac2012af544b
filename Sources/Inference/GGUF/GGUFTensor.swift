import Kernels

/// A tensor of an open GGUF file: its header entry plus zero-copy access to its bytes.
public struct GGUFTensor {
    public let info: GGUFTensorInfo
    /// Keeps the mapping alive as long as the tensor is used.
    public let file: GGUFFile

    /// `info` must be one of `file.tensorInfos` (its bounds were checked when the file was opened).
    public init(info: GGUFTensorInfo, file: GGUFFile) {
        self.info = info
        self.file = file
    }

    public var name: String { info.name }
    public var type: GGMLType { info.type }
    public var shape: [Int] { info.shape }
    /// Absolute byte offset in the file.
    public var fileOffset: Int { file.dataOffset + Int(info.offset) }

    /// The packed bytes, straight from the memory map (bounds were checked when the file was opened).
    public var bytes: UnsafeRawBufferPointer {
        file.file.bytes(fileOffset..<(fileOffset + info.byteCount))
    }

    /// Bytes of one row (ne0 elements).
    public var rowByteCount: Int { info.rowCount == 0 ? 0 : info.byteCount / info.rowCount }

    /// All elements as floats, via the type's reference dequantizer.
    public func dequantized() -> [Float] {
        let n = info.elementCount
        guard n > 0 else { return [] }
        let src = bytes
        return [Float](unsafeUninitializedCapacity: n) { buf, initialized in
            if let s = src.baseAddress, let d = buf.baseAddress { type.dequantizeRow(src: s, dst: d, count: n) }
            initialized = n
        }
    }

    /// Row `row` (ne0 floats); nil when out of range.
    public func dequantizedRow(_ row: Int) -> [Float]? {
        guard row >= 0, row < info.rowCount else { return nil }
        let n = info.rowLength, src = bytes
        return [Float](unsafeUninitializedCapacity: n) { buf, initialized in
            if let s = src.baseAddress, let d = buf.baseAddress {
                type.dequantizeRow(src: s + row * rowByteCount, dst: d, count: n)
            }
            initialized = n
        }
    }
}
