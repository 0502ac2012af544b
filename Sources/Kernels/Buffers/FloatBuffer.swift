#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed-size, 64-byte aligned, zero-initialised block of Float that kernels read and write in place.
///
/// Run state and packed weights live in these so the forward pass never allocates and the C kernels get
/// aligned pointers. Element access is bounds-checked; kernels receive views (`MatrixView`) checked once per call.
public final class FloatBuffer: @unchecked Sendable {
    public let count: Int
    /// Start of the storage; owned by this object, freed in deinit. Never nil (at least one element is allocated).
    let base: UnsafeMutablePointer<Float>

    public init(count: Int) {
        precondition(count >= 0, "FloatBuffer count must not be negative")
        self.count = count
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        raw.initializeMemory(as: Float.self, repeating: 0, count: max(count, 1))
        base = raw.assumingMemoryBound(to: Float.self)
    }

    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { src in
            // src has exactly `count` elements, the buffer at least that many.
            if let s = src.baseAddress { base.update(from: s, count: values.count) }
        }
    }

    deinit { UnsafeMutableRawPointer(base).deallocate() }

    public subscript(index: Int) -> Float {
        get {
            precondition(index >= 0 && index < count, "FloatBuffer index \(index) out of 0..<\(count)")
            return base[index]
        }
        set {
            precondition(index >= 0 && index < count, "FloatBuffer index \(index) out of 0..<\(count)")
            base[index] = newValue
        }
    }

    /// Copies `values` into the buffer starting at `offset`.
    public func write(_ values: [Float], at offset: Int = 0) {
        precondition(offset >= 0 && offset + values.count <= count, "FloatBuffer write out of bounds")
        values.withUnsafeBufferPointer { src in
            if let s = src.baseAddress { (base + offset).update(from: s, count: values.count) }
        }
    }

    /// Copies `length` elements from `offset` of `source` into this buffer at `at`.
    public func copy(from source: FloatBuffer, offset: Int, length: Int, at: Int) {
        precondition(offset >= 0 && length >= 0 && offset + length <= source.count, "FloatBuffer copy source out of bounds")
        precondition(at >= 0 && at + length <= count, "FloatBuffer copy destination out of bounds")
        (base + at).update(from: source.base + offset, count: length)
    }

    /// Elements `range` as an array.
    public func array(_ range: Range<Int>) -> [Float] {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "FloatBuffer range out of bounds")
        return Array(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
    }

    public func toArray() -> [Float] { array(0..<count) }

    /// Sets every element to zero.
    public func zero() { base.update(repeating: 0, count: count) }

    /// A rows×cols view starting at `offset` with row stride `stride` (defaults to cols).
    public func matrix(rows: Int, cols: Int, offset: Int = 0, stride: Int? = nil) -> MatrixView {
        MatrixView(buffer: self, offset: offset, rows: rows, cols: cols, stride: stride ?? cols)
    }
}

/// A strided 2-D window into a FloatBuffer, checked to lie inside it when created.
public struct MatrixView {
    public let buffer: FloatBuffer
    public let offset: Int
    public let rows: Int
    public let cols: Int
    public let stride: Int

    public init(buffer: FloatBuffer, offset: Int, rows: Int, cols: Int, stride: Int) {
        precondition(rows >= 0 && cols >= 0 && offset >= 0 && stride >= cols, "invalid matrix view \(rows)x\(cols) stride \(stride)")
        precondition(rows == 0 || offset + (rows - 1) * stride + cols <= buffer.count,
                     "matrix view \(rows)x\(cols)+\(offset) (stride \(stride)) exceeds buffer of \(buffer.count)")
        self.buffer = buffer
        self.offset = offset
        self.rows = rows
        self.cols = cols
        self.stride = stride
    }

    /// Rows `range` of this view.
    public func rows(_ range: Range<Int>) -> MatrixView {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "row range out of bounds")
        return MatrixView(buffer: buffer, offset: offset + range.lowerBound * stride, rows: range.count, cols: cols, stride: stride)
    }

    /// Columns `range` of this view (same rows, same stride).
    public func columns(_ range: Range<Int>) -> MatrixView {
        precondition(range.lowerBound >= 0 && range.upperBound <= cols, "column range out of bounds")
        return MatrixView(buffer: buffer, offset: offset + range.lowerBound, rows: rows, cols: range.count, stride: stride)
    }

    public subscript(row: Int, col: Int) -> Float {
        get {
            precondition(row >= 0 && row < rows && col >= 0 && col < cols, "matrix index out of bounds")
            return buffer[offset + row * stride + col]
        }
        nonmutating set {
            precondition(row >= 0 && row < rows && col >= 0 && col < cols, "matrix index out of bounds")
            buffer[offset + row * stride + col] = newValue
        }
    }

    /// One row as an array.
    public func row(_ r: Int) -> [Float] {
        precondition(r >= 0 && r < rows, "row out of bounds")
        return buffer.array(offset + r * stride ..< offset + r * stride + cols)
    }

    /// Start of the view for the C kernels (valid while `buffer` lives).
    var pointer: UnsafeMutablePointer<Float> { buffer.base + offset }
}
