/// Writes `count` floats decoded from `count` elements of packed blocks (`count` a multiple of the block size).
public typealias DequantizeRowFn = @convention(c) (_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ count: Int) -> Void
/// Packs `count` floats into blocks of an activation type.
public typealias QuantizeRowFn = @convention(c) (_ src: UnsafePointer<Float>, _ dst: UnsafeMutableRawPointer, _ count: Int) -> Void
/// Dot product of `count` weights (packed in the weight type) with `count` activations (packed in its `vecDotType`).
public typealias VecDotFn = @convention(c) (_ weights: UnsafeRawPointer, _ activations: UnsafeRawPointer, _ count: Int) -> Float

/// One row of the quantization table (ggml `type_traits` + `type_traits_cpu`).
///
/// The functions are C function pointers so a worker pool can call them without reference counting;
/// faster kernels replace these scalar references later without changing the table's shape.
public struct QuantTraits: Sendable {
    public let type: GGMLType
    /// Elements per block.
    public let blockSize: Int
    /// Bytes per block.
    public let bytesPerBlock: Int
    /// The type activations are quantized to before `dot`.
    public let vecDotType: GGMLType
    public let dequantizeRow: DequantizeRowFn
    /// Nil for activation-only types (Q8_1, Q8_K), which are never weights.
    public let dot: VecDotFn?
    /// Present for types that activations are quantized to (F32, F16, BF16, Q8_0, Q8_1, Q8_K).
    public let quantizeRow: QuantizeRowFn?
}

extension GGMLType {
    /// This type's row of the table.
    public var traits: QuantTraits {
        switch self {
        case .f32: return QuantTraits(type: self, blockSize: 1, bytesPerBlock: 4, vecDotType: .f32,
                                      dequantizeRow: DequantizeLegacy.f32, dot: DotLegacy.f32, quantizeRow: ActivationQuantizers.f32)
        case .f16: return QuantTraits(type: self, blockSize: 1, bytesPerBlock: 2, vecDotType: .f16,
                                      dequantizeRow: DequantizeLegacy.f16, dot: DotLegacy.f16, quantizeRow: ActivationQuantizers.f16)
        case .bf16: return QuantTraits(type: self, blockSize: 1, bytesPerBlock: 2, vecDotType: .bf16,
                                       dequantizeRow: DequantizeLegacy.bf16, dot: DotLegacy.bf16, quantizeRow: ActivationQuantizers.bf16)
        case .q4_0: return QuantTraits(type: self, blockSize: 32, bytesPerBlock: BlockQ4_0.size, vecDotType: .q8_0,
                                       dequantizeRow: DequantizeLegacy.q4_0, dot: DotLegacy.q4_0, quantizeRow: nil)
        case .q4_1: return QuantTraits(type: self, blockSize: 32, bytesPerBlock: BlockQ4_1.size, vecDotType: .q8_1,
                                       dequantizeRow: DequantizeLegacy.q4_1, dot: DotLegacy.q4_1, quantizeRow: nil)
        case .q5_0: return QuantTraits(type: self, blockSize: 32, bytesPerBlock: BlockQ5_0.size, vecDotType: .q8_0,
                                       dequantizeRow: DequantizeLegacy.q5_0, dot: DotLegacy.q5_0, quantizeRow: nil)
        case .q5_1: return QuantTraits(type: self, blockSize: 32, bytesPerBlock: BlockQ5_1.size, vecDotType: .q8_1,
                                       dequantizeRow: DequantizeLegacy.q5_1, dot: DotLegacy.q5_1, quantizeRow: nil)
        case .q8_0: return QuantTraits(type: self, blockSize: 32, bytesPerBlock: BlockQ8_0.size, vecDotType: .q8_0,
                                       dequantizeRow: DequantizeLegacy.q8_0, dot: DotLegacy.q8_0, quantizeRow: ActivationQuantizers.q8_0)
        case .q8_1: return QuantTraits(type: self, blockSize: 32, bytesPerBlock: BlockQ8_1.size, vecDotType: .q8_1,
                                       dequantizeRow: DequantizeLegacy.q8_1, dot: nil, quantizeRow: ActivationQuantizers.q8_1)
        case .q2_K: return QuantTraits(type: self, blockSize: QK_K, bytesPerBlock: BlockQ2_K.size, vecDotType: .q8_K,
                                       dequantizeRow: DequantizeKQuants.q2_K, dot: DotKQuants.q2_K, quantizeRow: nil)
        case .q3_K: return QuantTraits(type: self, blockSize: QK_K, bytesPerBlock: BlockQ3_K.size, vecDotType: .q8_K,
                                       dequantizeRow: DequantizeKQuants.q3_K, dot: DotKQuants.q3_K, quantizeRow: nil)
        case .q4_K: return QuantTraits(type: self, blockSize: QK_K, bytesPerBlock: BlockQ4_K.size, vecDotType: .q8_K,
                                       dequantizeRow: DequantizeKQuants.q4_K, dot: DotKQuants.q4_K, quantizeRow: nil)
        case .q5_K: return QuantTraits(type: self, blockSize: QK_K, bytesPerBlock: BlockQ5_K.size, vecDotType: .q8_K,
                                       dequantizeRow: DequantizeKQuants.q5_K, dot: DotKQuants.q5_K, quantizeRow: nil)
        case .q6_K: return QuantTraits(type: self, blockSize: QK_K, bytesPerBlock: BlockQ6_K.size, vecDotType: .q8_K,
                                       dequantizeRow: DequantizeKQuants.q6_K, dot: DotKQuants.q6_K, quantizeRow: nil)
        case .q8_K: return QuantTraits(type: self, blockSize: QK_K, bytesPerBlock: BlockQ8_K.size, vecDotType: .q8_K,
                                       dequantizeRow: DequantizeKQuants.q8_K, dot: nil, quantizeRow: ActivationQuantizers.q8_K)
        case .tq1_0: return QuantTraits(type: self, blockSize: QK_K, bytesPerBlock: BlockTQ1_0.size, vecDotType: .q8_K,
                                        dequantizeRow: DequantizeTernary.tq1_0, dot: DotKQuants.tq1_0, quantizeRow: nil)
        case .tq2_0: return QuantTraits(type: self, blockSize: QK_K, bytesPerBlock: BlockTQ2_0.size, vecDotType: .q8_K,
                                        dequantizeRow: DequantizeTernary.tq2_0, dot: DotKQuants.tq2_0, quantizeRow: nil)
        case .q1_0: return QuantTraits(type: self, blockSize: 128, bytesPerBlock: BlockQ1_0.size, vecDotType: .q8_0,
                                       dequantizeRow: DequantizeTernary.q1_0, dot: DotLegacy.q1_0, quantizeRow: nil)
        case .q2_0: return QuantTraits(type: self, blockSize: 64, bytesPerBlock: BlockQ2_0.size, vecDotType: .q8_0,
                                       dequantizeRow: DequantizeTernary.q2_0, dot: DotLegacy.q2_0, quantizeRow: nil)
        case .pq2_0: return QuantTraits(type: self, blockSize: 128, bytesPerBlock: BlockPQ2_0.size, vecDotType: .q8_0,
                                        dequantizeRow: DequantizeTernary.pq2_0, dot: DotLegacy.pq2_0, quantizeRow: nil)
        }
    }

    /// Decodes `count` elements (a whole number of blocks) from `src` into `dst`.
    @inline(__always)
    public func dequantizeRow(src: UnsafeRawPointer, dst: UnsafeMutablePointer<Float>, count: Int) {
        precondition(count % blockSize == 0, "dequantizeRow: \(count) is not a multiple of the \(name) block size")
        traits.dequantizeRow(src, dst, count)
    }

    /// Packs `count` floats as this (activation) type; nil result means the type is not an activation type.
    public func quantizeRow(src: UnsafePointer<Float>, dst: UnsafeMutableRawPointer, count: Int) -> Bool {
        guard let q = traits.quantizeRow else { return false }
        precondition(count % blockSize == 0, "quantizeRow: \(count) is not a multiple of the \(name) block size")
        q(src, dst, count)
        return true
    }

    /// Reference dot of `count` weights of this type with activations packed as `vecDotType`; nil for activation-only types.
    public func dot(weights: UnsafeRawPointer, activations: UnsafeRawPointer, count: Int) -> Float? {
        guard let d = traits.dot else { return nil }
        precondition(count % blockSize == 0 && count % traits.vecDotType.blockSize == 0,
                     "dot: \(count) is not a multiple of the \(name) block size")
        return d(weights, activations, count)
    }
}
