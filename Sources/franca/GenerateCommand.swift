import ArgumentParser
import Canonical
import Foundation
import Inference
import Orchestration

/// `franca generate MODEL --prompt …`: streams a decoder model's continuation or chat answer to stdout.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate text with a GGUF decoder model (streams to stdout; timings to stderr).",
        discussion: """
        MODEL is an adapter id or model id of the project (smollm2, gemma3-270m, …) or a path to a .gguf file. \
        Greedy decoding unless --temperature is above 0; --seed makes sampling repeatable. With --chat the prompt \
        is a user message wrapped in the model's chat template (ChatML, Gemma or Qwen3, detected from the file).
        """
    )

    @Argument(help: "Adapter id, model id, or path to a .gguf file.") var model: String
    @Option(name: .long, help: "The prompt (or the user message with --chat).") var prompt: String
    @Flag(name: .long, help: "Wrap the prompt in the model's chat template.") var chat = false
    @Option(name: .long, help: "A system message (with --chat).") var system: String?
    @Option(name: .customLong("max-tokens"), help: "Tokens to generate at most.") var maxTokens = 256
    @Option(name: .long, help: "Sampling temperature; 0 is greedy.") var temperature: Float = 0
    @Option(name: .long, help: "Seed of the sampler.") var seed: UInt64 = 0
    @Option(name: .customLong("top-k"), help: "Keep the k most probable tokens (0: all).") var topK = 40
    @Option(name: .customLong("top-p"), help: "Nucleus sampling mass.") var topP: Float = 0.95
    @Option(name: .customLong("repeat-penalty"), help: "Repetition penalty (1: off).") var repeatPenalty: Float = 1
    @Option(name: .long, help: "Stop when the text contains this (repeatable).") var stop: [String] = []
    @Option(name: .customLong("time-limit"), help: "Seconds for the whole generation.") var timeLimit: Double?
    @Option(name: .long, help: "Context length (tokens) of the session.") var context: Int?
    @Option(name: .long, help: ArgumentHelp("Decode under a grammar compiled from this JSON Schema: the output always parses and validates.", valueName: "file.schema.json"))
    var schema: String?
    @OptionGroup var options: ModelOptions

    func validate() throws {
        guard maxTokens > 0 else { throw ValidationError("--max-tokens must be positive") }
        guard temperature >= 0 else { throw ValidationError("--temperature must be 0 or more") }
        guard topP > 0, topP <= 1 else { throw ValidationError("--top-p must be in (0, 1]") }
        if system != nil, !chat { throw ValidationError("--system needs --chat") }
    }

    func run() throws {
        let decoder = try loadDecoder()
        var messages: [ChatMessage] = []
        if let system { messages.append(ChatMessage(role: .system, content: system)) }
        messages.append(ChatMessage(role: .user, content: prompt))
        let generationPrompt: GenerationPrompt = chat ? .chat(messages) : .raw(prompt)
        let sampling = SamplingOptions(temperature: temperature, topK: topK, topP: topP,
                                       repetitionPenalty: repeatPenalty, seed: seed)
        let generationOptions = GenerationOptions(maxTokens: maxTokens, sampling: sampling, stopStrings: stop,
                                                  timeLimit: timeLimit)
        var constraint: (any TokenConstraint)?
        if let schema {
            let url = URL(fileURLWithPath: schema).standardizedFileURL
            let loaded = try JSONSchema.load(contentsOf: url, root: url.deletingLastPathComponent())
            constraint = try NativeOutputGrammar.constraint(cacheKey: url.path, modelID: decoder.modelID,
                                                            runner: decoder, schema: loaded.root)
        }
        let out = FileHandle.standardOutput
        let result = try decoder.generate(generationPrompt, options: generationOptions, constraint: constraint) { text in
            out.write(Data(text.utf8))
        }
        out.write(Data("\n".utf8))
        let decodeRate = result.decodeSeconds > 0 ? Double(result.tokens.count) / result.decodeSeconds : 0
        let prefillRate = result.prefillSeconds > 0 ? Double(result.promptTokenCount) / result.prefillSeconds : 0
        Stderr.write(String(format: "[%d prompt tokens, %.1f tok/s; %d generated, %.1f tok/s; stopped: %@]\n",
                            result.promptTokenCount, prefillRate, result.tokens.count, decodeRate,
                            result.stopReason.description))
    }

    private func loadDecoder() throws -> DecoderRunner {
        if model.hasSuffix(".gguf") || FileManager.default.fileExists(atPath: model) {
            let m = try DecoderModel(path: model, options: options.runtime)
            return DecoderRunner(modelID: model, model: m, template: nil,
                                 contextLength: context ?? min(m.config.trainedContext, 4096))
        }
        let (_, catalog, definition, _) = try options.resolve(model)
        var def = definition
        if let context { def.options["contextLength"] = .integer(Int64(context)) }
        guard let runner = try options.load(def, catalog: catalog) as? DecoderRunner else {
            throw ValidationError("model '\(definition.id)' is a \(definition.task.rawValue) model, not a decoder")
        }
        return runner
    }
}
