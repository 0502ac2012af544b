/// Qwen3 (and the Bonsai models built on it): llama blocks plus RMS norms over each head of Q and K before RoPE,
/// NEOX RoPE, an explicit head size (`qwen3.attention.key_length`, often ≠ hidden / heads), tied or untied head.
public enum Qwen3Architecture: DecoderArchitecture {
    public static let name = "qwen3"

    public static func config(from gguf: GGUFFile) throws -> DecoderConfig {
        var c = try gguf.commonDecoderConfig(ropeStyle: .neox, activation: .silu)
        c.qkNorm = true
        return c
    }
}
