/// Keys and values of every layer for the positions seen so far, in F32, laid out [position][kvHeads · headDim]
/// per layer. (llama.cpp defaults to an F16 cache; measured on SmolLM2 and Gemma 3, that alone changes the greedy
/// text of half the parity prompts within 32 tokens, so Franca keeps F32 — see Tests/Fixtures/decoder/README.md.)
final class KVCache {
    let layers: Int
    let capacity: Int
    let rowWidth: Int
    let keys: [UnsafeMutablePointer<Float>]
    let values: [UnsafeMutablePointer<Float>]

    init(layers: Int, capacity: Int, rowWidth: Int) {
        self.layers = layers
        self.capacity = capacity
        self.rowWidth = rowWidth
        // Untouched pages of these allocations cost no memory until the positions are written.
        keys = (0..<layers).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: capacity * rowWidth) }
        values = (0..<layers).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: capacity * rowWidth) }
    }

    deinit {
        keys.forEach { $0.deallocate() }
        values.forEach { $0.deallocate() }
    }

    var byteCount: Int { 2 * layers * capacity * rowWidth * MemoryLayout<Float>.size }
}
