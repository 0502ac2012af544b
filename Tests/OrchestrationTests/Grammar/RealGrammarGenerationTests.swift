import Canonical
import Foundation
import Inference
import Orchestration
import Testing

/// Issue 6's done-when, on the real models: every generative adapter, sampled at temperature 1.0 with seeds
/// 0..<N on its example document, answers JSON that parses and validates against its native output schema.
/// N is 200 (the done-when) with `FRANCA_GRAMMAR_SEEDS=200`; by default 16, which `swift test` in CI can afford:
/// answers to the contract run ~160 tokens, so 200 seeds × 3 adapters is ~65k decoded tokens, over a quarter of an
/// hour on a 2-core machine.
///
/// Runs the path `franca run` takes up to the native output: `AdapterEngine.answers` renders the adapter's prompt
/// (`PromptRenderer`), asks `NativeOutputGrammar.provider` for one constraint per seed and hands the model store's
/// `DecoderRunner` one batch of generations under the token limit of the chain step that runs the adapter. The
/// runner steps up to `maxBatch` of them together (each exactly as it would run alone, `BatchedGenerationTests`)
/// and keeps its sessions' KV caches, so the document is prefilled once per session and later seeds only decode. The schema the answers are checked against is
/// loaded here from the adapter's file, apart from the engine's own copy. A generation that stops at the token
/// limit before its JSON is complete is a failure (the budget-aware mask exists so that it cannot happen).
@Suite(.serialized) struct RealGrammarGenerationTests {
    static let seeds: Range<UInt64> = 0..<UInt64(ProcessInfo.processInfo.environment["FRANCA_GRAMMAR_SEEDS"].flatMap { Int($0) } ?? 16)

    struct Case: CustomStringConvertible, Sendable {
        let adapter: String
        /// The chain whose step (or fallback) runs the adapter: its `limits` are the ones used at run time.
        let chain: String
        let document: String
        var description: String { adapter }
    }

    /// The repository's adapters that decode under their native output grammar (smollm2-codegen answers free text
    /// with a code block, `answer: code-block`, and has no grammar).
    static let cases = [
        Case(adapter: "smollm2-obligations", chain: "contract-compliance", document: "Examples/documents/contracts/supply-agreement.txt"),
        Case(adapter: "gemma3-obligations", chain: "contract-compliance", document: "Examples/documents/contracts/supply-agreement.txt"),
    ]

    /// A text file as a fresh record.
    static func record(_ path: String) throws -> CanonicalRecord {
        let url = Fixtures.repoRoot.appendingPathComponent(path)
        return CanonicalRecord(document: Document(id: url.lastPathComponent, text: try String(contentsOf: url, encoding: .utf8),
                                                  source: path))
    }

    static func step(running adapter: String, in chain: String) throws -> ChainStep {
        let definition = try #require(RepoModels.project?.chain(chain))
        return try #require(definition.steps.first { $0.action == .adapter(adapter) || $0.fallback == adapter })
    }

    @Test(arguments: cases)
    func sampledAnswersValidateAgainstTheNativeSchema(_ c: Case) throws {
        guard RepoModels.available(c.adapter) else { return }  // no model in the store (outside CI): nothing to run
        let project = try #require(RepoModels.project)
        let adapter = try #require(project.adapter(c.adapter))
        let step = try Self.step(running: c.adapter, in: c.chain)
        let schema = try JSONSchema.load(contentsOf: project.root.appendingPathComponent(adapter.native.output), root: project.root)
        var engine = try AdapterEngine(adapter: adapter, project: project, constraint: NativeOutputGrammar.provider)
        let runner = try RepoModels.shared(c.adapter)
        let record = try Self.record(c.document)

        var stops: [String: Int] = [:], lengths: [Int] = [], failures = 0
        let clock = ContinuousClock(), start = clock.now
        engine.sampling = SamplingOptions(temperature: 1)
        let answers = try engine.answers(record, seeds: Array(Self.seeds), runner: runner, limits: step.limits)
        #expect(answers.count == Self.seeds.count)
        for (seed, result) in zip(Self.seeds, answers) {
            do {
                let answer = try result.get()
                let violations = schema.validate(answer.native)
                #expect(violations.isEmpty, "seed \(seed): \(violations.map(\.description)) in \(answer.native.serialized())")
                if !violations.isEmpty { failures += 1 }
                stops[answer.parameters["stopReason"]?.stringValue ?? "?", default: 0] += 1
                lengths.append(answer.tokensOut)
            } catch {
                Issue.record("seed \(seed): \(error)")
                failures += 1
            }
        }
        lengths.sort()
        let seconds = (clock.now - start).seconds
        print(String(format: "%@: %d/%d valid, %.1f s (%.0f ms/generation), tokens out median %d max %d (%.0f tok/s), stops %@",
                     c.adapter, Self.seeds.count - failures, Self.seeds.count, seconds, seconds * 1000 / Double(Self.seeds.count),
                     lengths.isEmpty ? 0 : lengths[lengths.count / 2], lengths.last ?? 0,
                     Double(lengths.reduce(0, +)) / seconds, stops.description))
    }

    /// The same path with a token limit far below what the answers take (median ~160 tokens on the contract): every
    /// answer is still complete and valid, closed by the budget-aware mask rather than cut off.
    @Test(arguments: cases)
    func answersCutShortByTheTokenLimitStillValidate(_ c: Case) throws {
        guard RepoModels.available(c.adapter) else { return }
        let project = try #require(RepoModels.project)
        let adapter = try #require(project.adapter(c.adapter))
        let schema = try JSONSchema.load(contentsOf: project.root.appendingPathComponent(adapter.native.output), root: project.root)
        var engine = try AdapterEngine(adapter: adapter, project: project, constraint: NativeOutputGrammar.provider)
        let runner = try RepoModels.shared(c.adapter)
        let record = try Self.record(c.document)
        for (seed, limit) in [(0, 40), (1, 60), (2, 90)] {
            engine.sampling = SamplingOptions(temperature: 1, seed: UInt64(seed))
            let answer = try engine.answer(record, runner: runner, limits: StepLimits(maxTokens: limit))
            #expect(answer.tokensOut <= limit)
            #expect(schema.validate(answer.native).isEmpty, "limit \(limit): \(answer.native.serialized())")
            print("\(c.adapter) limit \(limit): \(answer.tokensOut) tokens, \(answer.parameters["stopReason"]?.stringValue ?? "?")")
        }
    }
}
