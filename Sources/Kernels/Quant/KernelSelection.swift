/// The implementations the decoder's matmuls call: the fastest this CPU supports for each type.
///
/// The traits table holds the scalar references (the specification); this is the one place that swaps in
/// SIMD versions, so every fast kernel has its scalar twin to be tested against.
extension GGMLType {
    /// Best available dot product of a row of this type with activations in `vecDotType`.
    public var bestDot: VecDotFn? { traits.dot }
    /// Best available packing of activations into this (activation) type.
    public var bestQuantizeRow: QuantizeRowFn? { traits.quantizeRow }
}
