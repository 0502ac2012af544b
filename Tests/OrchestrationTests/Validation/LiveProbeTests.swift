import Canonical
import Foundation
import Orchestration
import Testing

/// `--live`: the model's actual native output checked against the declared native output schema. The same probe
/// runs on the real Rampart model (from the model store) and on a fake runner whose behaviour drifted.
@Suite struct LiveProbeTests {
    static func rampart() throws -> (Project, AdapterDefinition, LoadedSchema) {
        let project = try #require(Project.load(root: Fixtures.repoRoot).0)
        let adapter = try #require(project.adapter("rampart-pii"))
        return (project, adapter, try #require(project.schemas[adapter.native.output]))
    }

    @Test(.enabled(if: RepoModels.available("rampart-pii")))
    func realRampartConformsOnTheExampleDocuments() throws {
        let (project, adapter, schema) = try Self.rampart()
        let samples = try LiveProbe.defaultSamples(root: project.root)
        #expect(samples.map(\.name).contains("Examples/documents/contracts/supply-agreement.txt"))
        let report = try LiveProbe.run(adapter: adapter, runner: try RepoModels.shared("rampart-pii"), samples: samples,
                                       schema: schema)
        #expect(report.status == .passed, "\(report)")
        #expect(report.samples.count == samples.count)
        for s in report.samples {
            #expect(s.conforms && s.violationCount == 0)
            #expect(s.nativeItems > 50)
            #expect(s.replayError == nil)
        }
        // The contract names people and an e-mail address: the transforms find entities in it.
        #expect((report.samples.first { $0.name.hasSuffix("supply-agreement.txt") }?.produced ?? 0) > 0)
    }

    /// A model whose behaviour drifted: it emits a label its schema does not list. (Hand-written native output,
    /// as `TokenClassification.nativeJSON()` renders it.)
    @Test func driftedOutputFailsWithTheViolation() throws {
        let (_, adapter, schema) = try Self.rampart()
        let native = try JSONValue.parse("""
            {"tokens":[{"text":"4111","start":0,"end":4,"word":0,"label":"B-CREDIT_CARD","score":0.9},
                       {"text":"x","start":5,"end":6,"word":1,"label":"O","score":0.99}]}
            """)
        let sample = LiveProbe.judge(adapter: adapter, sample: LiveSample(name: "card.txt", text: "4111 x"), native: native,
                                     schema: schema)
        #expect(!sample.conforms)
        #expect(sample.violationCount == 1)
        #expect(sample.violations.first?.contains("/tokens/0/label") == true)
        #expect(sample.nativeItems == 2)
        let report = LiveProbe.report([sample], schema: schema)
        #expect(report.status == .failed)
        #expect(report.message == "1 of 1 samples do not conform to Schemas/models/rampart-pii.output.schema.json")
    }

    @Test func conformingOutputPasses() throws {
        let (_, adapter, schema) = try Self.rampart()
        let example = try #require(adapter.examples.first)
        let sample = LiveProbe.judge(adapter: adapter, sample: LiveSample(name: "x.txt", text: "Call Jane Doe at 555-0100."),
                                     native: example.native, schema: schema)
        #expect(sample.conforms && sample.replayError == nil)
        #expect(sample.produced == 2)
        #expect(LiveProbe.report([sample], schema: schema).status == .passed)
    }

    @Test func generativeAdaptersAreSkippedWithAReason() throws {
        let project = try #require(Project.load(root: Fixtures.repoRoot).0)
        let adapter = try #require(project.adapter("smollm2-obligations"))
        let reason = try #require(LiveProbe.unavailableReason(adapter))
        #expect(reason.contains("live probe needs the decoder"))
        #expect(LiveProbe.unavailableReason(try #require(project.adapter("rampart-pii"))) == nil)
    }
}
