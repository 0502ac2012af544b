/// One decoder architecture: reads its hyper-parameters from a GGUF file into the shared `DecoderConfig`.
/// The forward pass is shared; an architecture is the set of switches (norms, RoPE style, activation, windows)
/// that makes it that architecture.
public protocol DecoderArchitecture {
    /// The `general.architecture` value it handles.
    static var name: String { get }
    static func config(from gguf: GGUFFile) throws -> DecoderConfig
}

/// The registry, keyed by `general.architecture`.
public enum DecoderArchitectures {
    public static let all: [any DecoderArchitecture.Type] = [LlamaArchitecture.self, Qwen3Architecture.self,
                                                               Gemma3Architecture.self]
    public static var names: [String] { all.map { $0.name } }

    public static func config(for gguf: GGUFFile) throws -> DecoderConfig {
        guard let arch = gguf.architecture, let type = all.first(where: { $0.name == arch }) else {
            throw DecoderError.unknownArchitecture(gguf.architecture, known: names)
        }
        return try type.config(from: gguf)
    }
}
