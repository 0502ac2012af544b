/// Typed reads of tensor data. Layout was validated at open, so these only check name and dtype.
extension SafetensorsFile {
    /// The tensor's bytes, straight from the mapping (valid only inside `body`).
    public func withRawBytes<R>(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let t = try info(name)
        return try body(file.bytes(t.fileRange))
    }

    /// A zero-copy `Float` view of an F32 tensor. Throws `misaligned` when the data is not 4-byte aligned
    /// (a header not padded to a multiple of 8); use `floats(_:)` then.
    public func withFloat32Buffer<R>(_ name: String, _ body: (UnsafeBufferPointer<Float>) throws -> R) throws -> R {
        let t = try info(name)
        guard t.dtype == .f32 else { throw SafetensorsError.wrongDType(path: path, tensor: name, dtype: t.dtype.rawValue, expected: "F32") }
        guard t.fileRange.lowerBound % MemoryLayout<Float>.alignment == 0 else {
            throw SafetensorsError.misaligned(path: path, tensor: name, fileOffset: t.fileRange.lowerBound, alignment: MemoryLayout<Float>.alignment)
        }
        let raw = file.bytes(t.fileRange)
        // The mapping is page-aligned and the offset is a multiple of 4, so the binding is valid; data is little-endian,
        // like every host Swift runs on for this project.
        return try body(raw.bindMemory(to: Float.self))
    }

    /// The tensor as `Float`s: F32 copied, F16 / BF16 widened exactly, F64 narrowed.
    public func floats(_ name: String) throws -> [Float] {
        let t = try info(name)
        let raw = file.bytes(t.fileRange)
        let n = t.elementCount
        switch t.dtype {
        case .f32:
            return [Float](unsafeUninitializedCapacity: n) { dst, count in
                for i in 0..<n { dst[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
                count = n
            }
        case .f16:
            return [Float](unsafeUninitializedCapacity: n) { dst, count in
                HalfFloatConversion.widenFloat16(raw, into: UnsafeMutableBufferPointer(rebasing: dst[0..<n]))
                count = n
            }
        case .bf16:
            return [Float](unsafeUninitializedCapacity: n) { dst, count in
                HalfFloatConversion.widenBFloat16(raw, into: UnsafeMutableBufferPointer(rebasing: dst[0..<n]))
                count = n
            }
        case .f64:
            return (0..<n).map { Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)))) }
        default:
            throw SafetensorsError.wrongDType(path: path, tensor: name, dtype: t.dtype.rawValue, expected: "F32, F16, BF16 or F64")
        }
    }

    /// The tensor as `Int64`s (e.g. `embeddings.position_ids`): any integer or BOOL dtype, widened;
    /// U64 values above `Int64.max` are refused.
    public func int64s(_ name: String) throws -> [Int64] {
        let t = try info(name)
        let raw = file.bytes(t.fileRange)
        let n = t.elementCount
        func load<T: FixedWidthInteger>(_: T.Type) -> [Int64] {
            (0..<n).map { Int64(T(littleEndian: raw.loadUnaligned(fromByteOffset: MemoryLayout<T>.size * $0, as: T.self))) }
        }
        switch t.dtype {
        case .i64: return load(Int64.self)
        case .i32: return load(Int32.self)
        case .i16: return load(Int16.self)
        case .i8: return load(Int8.self)
        case .u8, .bool: return load(UInt8.self)
        case .u16: return load(UInt16.self)
        case .u32: return load(UInt32.self)
        case .u64:
            var out: [Int64] = []
            out.reserveCapacity(n)
            for i in 0..<n {
                let v = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
                guard let s = Int64(exactly: v) else {
                    throw SafetensorsError.wrongDType(path: path, tensor: name, dtype: "U64 (value \(v) at index \(i))", expected: "values that fit in Int64")
                }
                out.append(s)
            }
            return out
        default:
            throw SafetensorsError.wrongDType(path: path, tensor: name, dtype: t.dtype.rawValue, expected: "an integer dtype")
        }
    }
}
