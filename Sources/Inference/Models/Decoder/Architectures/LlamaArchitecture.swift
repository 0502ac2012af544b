/// Llama (SmolLM2 and peers): pre-norm RMSNorm blocks, GQA, SwiGLU, interleaved RoPE (the GGUF converter permutes
/// Q and K for it), one RoPE base, optional untied head.
public enum LlamaArchitecture: DecoderArchitecture {
    public static let name = "llama"

    public static func config(from gguf: GGUFFile) throws -> DecoderConfig {
        let c = try gguf.commonDecoderConfig(ropeStyle: .interleaved, activation: .silu)
        guard c.ropeDimensions == c.headDim else {
            throw DecoderError.invalidMetadata(key: "llama.rope.dimension_count", value: "\(c.ropeDimensions)",
                                               expected: "the head size \(c.headDim)")
        }
        return c
    }
}
