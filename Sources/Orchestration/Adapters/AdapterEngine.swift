import Canonical
import Foundation
import Inference

/// What one adapter run did to one record.
public struct AdapterRunResult: Sendable {
    public var record: CanonicalRecord
    /// The model's native output (already validated against the native output schema).
    public var native: JSONValue
    public var tokensIn: Int
    public var tokensOut: Int
    /// What the run used, for provenance (window, maxTokens, thresholds, ...).
    public var parameters: JSONObject
}

/// Makes the token constraint a generative adapter decodes under (`grammar: native-output`), from its native
/// output schema, the record's quotable pieces (`input.quote`; empty when the adapter quotes nothing) and the
/// runner's tokenizer. Nil means unconstrained decoding.
public typealias ConstraintProvider = @Sendable (AdapterDefinition, any ModelRunner, JSONSchema, QuotedChoices) throws -> (any TokenConstraint)?

/// Runs one adapter over a batch of canonical records: builds model input (text selection and windowing, `input.map`
/// or the prompt), calls the runner, validates the native output and applies the output transforms.
///
/// Which model behaviour runs is declared by the adapter:
/// | task                   | input        | runner call                                                       |
/// |------------------------|--------------|-------------------------------------------------------------------|
/// | `token-classification` | `text:`      | `classifyTokens` once for the batch → `{tokens: […]}`             |
/// | `embedding`            | `text:`      | `embed` once for the batch → `{embedding: […]}`                   |
/// | `embedding`            | `map:` + `model.options.sentences` | `EmbeddingMatcher`: `embed` once for the batch |
/// | `generation`           | `template:`  | `generate` per record → the JSON in the answer (or, with          |
/// |                        |              | `answer: code-block`, its first fenced code block)                |
public struct AdapterEngine: Sendable {
    public var adapter: AdapterDefinition
    public var nativeInput: JSONSchema?
    public var nativeOutput: JSONSchema?
    public var canonical: JSONSchema
    public var constraint: ConstraintProvider?
    /// How generative adapters pick tokens: greedy (the default, so a document always gives the same record), or
    /// seeded sampling (the grammar tests draw many outputs per document this way).
    public var sampling: SamplingOptions = .greedy

    public init(adapter: AdapterDefinition, nativeInput: JSONSchema?, nativeOutput: JSONSchema?, canonical: JSONSchema,
                constraint: ConstraintProvider? = nil) {
        self.adapter = adapter
        self.nativeInput = nativeInput
        self.nativeOutput = nativeOutput
        self.canonical = canonical
        self.constraint = constraint
    }

    /// The engine for a project's adapter, with its native schemas and the project's canonical schema.
    public init(adapter: AdapterDefinition, project: Project, constraint: ConstraintProvider? = nil) throws {
        guard let output = project.schemas[adapter.native.output]?.schema else {
            throw AdapterError.missingSchema(adapter: adapter.id, path: adapter.native.output)
        }
        let canonical = try project.canonical?.schema ?? JSONSchema.canonical()
        self.init(adapter: adapter, nativeInput: project.schemas[adapter.native.input]?.schema, nativeOutput: output,
                  canonical: canonical, constraint: constraint)
    }

    /// Top-level canonical arrays that `input.map` reads element by element: updated in place by the output.
    public var inPlaceArrays: Set<String> {
        guard case .fields(let map) = adapter.input else { return [] }
        var out: Set<String> = []
        for m in map {
            if case .canonical(let p) = m.from, p.segments.count >= 2, case .field(let top) = p.segments[0], p.segments[1] == .each {
                out.insert(top)
            }
        }
        return out
    }

    /// One result per record, in order. Encoder adapters make one runner call for the whole batch; if that call
    /// fails, each record is retried alone so one bad document cannot fail the others.
    public func run(_ records: [CanonicalRecord], step: String, runner: any ModelRunner,
                    limits: StepLimits = StepLimits()) -> [Result<AdapterRunResult, Error>] {
        let applier = OutputApplier(adapter: adapter,
                                    context: CanonicalWriteContext(adapter: adapter.id, step: step, inPlace: inPlaceArrays),
                                    canonical: canonical)
        func finish(_ record: CanonicalRecord, _ native: NativeRun) -> Result<AdapterRunResult, Error> {
            Result {
                try validateOutput(native.output)
                let next = try applier.apply(native: native.output, classification: native.classification, to: record)
                return AdapterRunResult(record: next, native: native.output, tokensIn: native.tokensIn,
                                        tokensOut: native.tokensOut, parameters: native.parameters)
            }
        }
        switch (adapter.model.task, adapter.input) {
        case (.generation, .prompt(let input)):
            // One batch of generations for all records (the runner steps them together where it can).
            let prepared = records.map { record in Result { try prepareGeneration(input, record: record, runner: runner, limits: limits) } }
            let ready = prepared.compactMap { try? $0.get() }
            var generated = runner.generate(batch: ready.map(\.request)).makeIterator()
            return zip(records, prepared).map { record, p in
                p.flatMap { p in
                    (generated.next() ?? .failure(AdapterError.runnerContract(adapter: adapter.id, message: "no result")))
                        .flatMap { result in Result { try nativeRun(result, of: p) } }
                }.flatMap { finish(record, $0) }
            }
        default:
            let natives = Result { try encode(records, runner: runner) }
            switch natives {
            case .success(let list):
                return zip(records, list).parallelMap { finish($0, $1) }
            case .failure(let error):
                guard records.count > 1 else { return [.failure(error)] }
                return records.map { record in
                    Result { try encode([record], runner: runner) }.flatMap { list in
                        guard let first = list.first else {
                            return .failure(AdapterError.runnerContract(adapter: adapter.id, message: "no result"))
                        }
                        return finish(record, first)
                    }
                }
            }
        }
    }

    /// A native output and what it took.
    struct NativeRun {
        var output: JSONValue
        var classification: TokenClassification?
        var tokensIn: Int
        var tokensOut: Int
        var parameters: JSONObject
    }

    func validateOutput(_ native: JSONValue) throws {
        guard let nativeOutput else { throw AdapterError.missingSchema(adapter: adapter.id, path: adapter.native.output) }
        let v = nativeOutput.validate(native)
        if !v.isEmpty { throw AdapterError.invalidNativeOutput(adapter: adapter.id, violations: v.map(\.description)) }
    }

    func validateInput(_ native: JSONValue) throws {
        guard let nativeInput else { return }
        let v = nativeInput.validate(native)
        if !v.isEmpty { throw AdapterError.invalidNativeInput(adapter: adapter.id, violations: v.map(\.description)) }
    }

    /// The text an encoder reads: exactly one string at `input.text`.
    func text(_ input: TextInput, _ record: CanonicalRecord) throws -> String {
        let json = try record.toJSONValue()
        guard let value = JSONPaths.values(at: input.text, in: json).first?.value.stringValue else {
            throw AdapterError.missingValue(adapter: adapter.id, path: input.text.description)
        }
        try validateInput(.object(["text": .string(value)]))
        return value
    }

    func encode(_ records: [CanonicalRecord], runner: any ModelRunner) throws -> [NativeRun] {
        switch (adapter.model.task, adapter.input) {
        case (.tokenClassification, .text(let input)):
            let texts = try records.map { try text(input, $0) }
            let spec = input.window.map { TokenWindowSpec(maxTokens: $0.maxTokens, overlap: $0.overlap) } ?? TokenWindowSpec()
            let results = try runner.classifyTokens(texts, window: spec)
            try expectCount(results.count, texts.count, "classifyTokens")
            let parameters: JSONObject = ["window": .object(["maxTokens": .integer(Int64(spec.maxTokens)),
                                                             "overlap": .integer(Int64(spec.overlap))])]
            return results.parallelMap { c in
                NativeRun(output: c.nativeJSON(), classification: c, tokensIn: c.tokens.count + 2 * c.windowCount,
                          tokensOut: 0, parameters: parameters)
            }
        case (.embedding, .text(let input)):
            let texts = try records.map { try text(input, $0) }
            let maxTokens = adapter.model.options["maxTokens"]?.intValue ?? 256
            let vectors = try runner.embed(texts, maxTokens: maxTokens)
            try expectCount(vectors.count, texts.count, "embed")
            return zip(texts, vectors).map { text, v in
                NativeRun(output: .object(["embedding": .array(v.map { .number(Double($0)) })]), classification: nil,
                          tokensIn: min(maxTokens, (try? runner.tokenize(text).count) ?? 0) + 2, tokensOut: 0,
                          parameters: ["maxTokens": .integer(Int64(maxTokens))])
            }
        case (.embedding, .fields(let map)):
            guard let matcher = try EmbeddingMatcher.declared(by: adapter) else {
                throw AdapterError.unsupportedShape(adapter: adapter.id, message:
                    "an embedding adapter with input.map needs model.options.sentences (the embedding matcher)")
            }
            let builder = NativeInputBuilder(adapter: adapter.id)
            let inputs = try records.map { record -> JSONValue in
                let native = try builder.build(map, record: try record.toJSONValue())
                try validateInput(native)
                return native
            }
            let outputs = try matcher.run(inputs, runner: runner)
            let parameters: JSONObject = ["sentences": "punctuation", "metAt": .number(matcher.options.metAt),
                                          "unclearAt": .number(matcher.options.unclearAt),
                                          "maxTokens": .integer(Int64(matcher.options.maxTokens))]
            return outputs.map { NativeRun(output: $0.output, classification: nil, tokensIn: $0.tokensIn, tokensOut: 0, parameters: parameters) }
        default:
            throw AdapterError.unsupportedShape(adapter: adapter.id, message:
                "no engine for a \(adapter.model.task.rawValue) model with this input shape")
        }
    }

    /// What a generative adapter's model answers for one record — the JSON parsed from the generated text, how many
    /// tokens it took and the run's parameters (`stopReason`, …) — before validation and output transforms (for
    /// tools and tests that look at the model's answer itself).
    public func answer(_ record: CanonicalRecord, runner: any ModelRunner,
                       limits: StepLimits = StepLimits()) throws -> Answer {
        try answers(record, seeds: [sampling.seed], runner: runner, limits: limits)[0].get()
    }

    /// A generative adapter's parsed answer, the tokens it took and the run's parameters.
    public typealias Answer = (native: JSONValue, tokensOut: Int, parameters: JSONObject)

    /// `answer` once per sampling seed (the adapter's sampling options with each seed), all in one batch of
    /// generations: what each seed answers is exactly what `answer` gives with that seed alone.
    public func answers(_ record: CanonicalRecord, seeds: [UInt64], runner: any ModelRunner,
                        limits: StepLimits = StepLimits()) throws -> [Result<Answer, Error>] {
        guard adapter.model.task == .generation, case .prompt(let input) = adapter.input else {
            throw AdapterError.unsupportedShape(adapter: adapter.id, message: "only generative adapters with a prompt answer")
        }
        var prepared: [PreparedGeneration] = []
        for seed in seeds {
            var p = try prepareGeneration(input, record: record, runner: runner, limits: limits)
            p.request.options.sampling.seed = seed
            prepared.append(p)
        }
        return zip(prepared, runner.generate(batch: prepared.map(\.request))).map { p, result in
            result.flatMap { r in Result { try nativeRun(r, of: p) } }.map { ($0.output, $0.tokensOut, $0.parameters) }
        }
    }

    /// A generation ready to run: the rendered prompt, options and grammar constraint.
    struct PreparedGeneration {
        var request: GenerationRequest
        var chat: PromptInput.ChatMode
        var grammar: String
        var answer: PromptInput.AnswerFormat
    }

    func prepareGeneration(_ input: PromptInput, record: CanonicalRecord, runner: any ModelRunner,
                           limits: StepLimits) throws -> PreparedGeneration {
        let renderer = PromptRenderer(adapter: adapter.id)
        let json = try record.toJSONValue()
        let prompt = try renderer.prompt(input, record: json, tokenizer: runner.textTokenizer)
        try validateInput(PromptRenderer.nativeInput(prompt))
        var options = GenerationOptions(maxTokens: limits.maxTokens ?? 512, sampling: sampling)
        if let timeout = limits.timeout { options.timeLimit = timeout.seconds }
        var constraint: (any TokenConstraint)?
        if input.grammar == .nativeOutput, let make = self.constraint, let nativeOutput {
            constraint = try make(adapter, runner, nativeOutput, QuotedChoices(input.quotes, record: json))
        }
        return PreparedGeneration(request: GenerationRequest(prompt: prompt, options: options, constraint: constraint),
                                  chat: input.chat, grammar: constraint == nil ? "none" : input.grammar.rawValue,
                                  answer: input.answer)
    }

    /// The native output parsed from a generation's text, with what it took.
    func nativeRun(_ result: GenerationResult, of p: PreparedGeneration) throws -> NativeRun {
        let options = p.request.options
        if result.stopReason == .timeLimit, let limit = options.timeLimit { throw StepTimeout(seconds: limit) }
        let native = switch p.answer {
        case .json: try GeneratedJSON.parse(result.text, adapter: adapter.id)
        case .codeBlock: try CodeBlockAnswer.parse(result.text, adapter: adapter.id)
        }
        var parameters: JSONObject = ["maxTokens": .integer(Int64(options.maxTokens)),
                                      "temperature": .number(Double(options.sampling.temperature)),
                                      "chat": .string(p.chat.rawValue),
                                      "grammar": .string(p.grammar),
                                      "stopReason": .string(result.stopReason.description)]
        if p.answer != .json { parameters["answer"] = .string(p.answer.rawValue) }
        if let t = options.timeLimit { parameters["timeLimitSeconds"] = .number(t) }
        if options.sampling.temperature > 0 { parameters["seed"] = .integer(Int64(bitPattern: options.sampling.seed)) }
        return NativeRun(output: native, classification: nil, tokensIn: result.promptTokenCount,
                         tokensOut: result.tokens.count, parameters: parameters)
    }

    func expectCount(_ got: Int, _ want: Int, _ call: String) throws {
        if got != want {
            throw AdapterError.runnerContract(adapter: adapter.id, message: "\(call) returned \(got) results for \(want) inputs")
        }
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    public var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
