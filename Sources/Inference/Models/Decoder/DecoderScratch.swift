import Kernels

/// Buffers for one micro-batch of the forward pass, allocated once per session.
final class DecoderScratch {
    let tokens: Int
    let x, xn, q, k, v, attn, proj, gate, up: UnsafeMutablePointer<Float>
    let ropeCos, ropeSin: UnsafeMutablePointer<Float>
    let attentionScratch: UnsafeMutablePointer<Float>
    let attentionScratchCount: Int
    /// Positions the attention scratch has room for (the longest cache a pass may read).
    let maxPositions: Int
    var positions: [Int64]
    /// Per token of a pass over several sequences: the current layer's key and value cache of its sequence.
    let keyCaches, valueCaches: UnsafeMutablePointer<UnsafePointer<Float>?>
    /// Packed activations by activation type, room for `tokens` rows of the widest input.
    private var packed: [GGMLType: UnsafeMutableRawPointer] = [:]
    private let widest: Int
    private var owned: [UnsafeMutablePointer<Float>] = []

    init(config c: DecoderConfig, tokens: Int, capacity: Int, pool: WorkerPool) {
        self.tokens = tokens
        let qDim = c.heads * c.headDim, kvDim = c.kvHeads * c.headDim
        widest = max(c.hidden, c.feedForward, qDim)
        func alloc(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, n))
            p.initialize(repeating: 0, count: max(1, n))
            return p
        }
        x = alloc(tokens * c.hidden); xn = alloc(tokens * c.hidden)
        q = alloc(tokens * qDim); k = alloc(tokens * kvDim); v = alloc(tokens * kvDim); attn = alloc(tokens * qDim)
        proj = alloc(tokens * c.hidden); gate = alloc(tokens * c.feedForward); up = alloc(tokens * c.feedForward)
        ropeCos = alloc(tokens * c.ropeDimensions / 2 * c.layers.count)
        ropeSin = alloc(tokens * c.ropeDimensions / 2 * c.layers.count)
        maxPositions = capacity
        attentionScratchCount = DecoderAttention.scratchCount(maxPositions: capacity, pool: pool)
        attentionScratch = alloc(attentionScratchCount)
        positions = Array(repeating: 0, count: tokens)
        keyCaches = .allocate(capacity: max(1, tokens))
        keyCaches.initialize(repeating: nil, count: max(1, tokens))
        valueCaches = .allocate(capacity: max(1, tokens))
        valueCaches.initialize(repeating: nil, count: max(1, tokens))
        owned = [x, xn, q, k, v, attn, proj, gate, up, ropeCos, ropeSin, attentionScratch]
    }

    deinit {
        owned.forEach { $0.deallocate() }
        keyCaches.deallocate()
        valueCaches.deallocate()
        packed.values.forEach { $0.deallocate() }
    }

    /// The packed-activation buffer for activation type `type`.
    func packedBuffer(for type: GGMLType) -> UnsafeMutableRawPointer {
        if let p = packed[type] { return p }
        let elements = (widest + type.blockSize - 1) / type.blockSize * type.blockSize
        let bytes = tokens * (type.byteCount(elements: elements) ?? (elements * 4))
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(64, bytes), alignment: 64)
        packed[type] = p
        return p
    }
}
