/// Gemma 3: embeddings scaled by sqrt(hidden), four norms per block (GGUF stores them as 1 + w, so they multiply
/// directly), per-head Q/K norms, GeGLU (tanh GELU), NEOX RoPE, and 5 sliding-window layers (RoPE base 10,000)
/// for every global one (RoPE base from the file, optionally linearly scaled).
public enum Gemma3Architecture: DecoderArchitecture {
    public static let name = "gemma3"
    /// Every sixth layer attends globally (HF `sliding_window_pattern = 6`, llama.cpp `set_swa_pattern(6)`).
    public static let slidingWindowPattern = 6
    /// llama.cpp hard-codes the local layers' RoPE base for Gemma 3.
    public static let localRopeBase: Float = 10_000

    public static func config(from gguf: GGUFFile) throws -> DecoderConfig {
        var c = try gguf.commonDecoderConfig(ropeStyle: .neox, activation: .geluTanh)
        let window = try gguf.decoderInt("attention.sliding_window")
        guard window > 0 else {
            throw DecoderError.invalidMetadata(key: "gemma3.attention.sliding_window", value: "0", expected: "> 0")
        }
        c.embeddingScale = Float(c.hidden).squareRoot()
        c.qkNorm = true
        c.postNorms = true
        c.finalLogitSoftcap = try gguf.decoderFloat("final_logit_softcapping", fallback: 0)
        let global = c.layers.first ?? LayerAttention(window: 0, ropeBase: 1_000_000, ropeScale: 1)
        c.layers = (0..<c.layerCount).map { i in
            (i + 1) % slidingWindowPattern == 0
                ? global
                : LayerAttention(window: window, ropeBase: localRopeBase, ropeScale: 1)
        }
        return c
    }
}
