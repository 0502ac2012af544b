import Canonical
import Foundation
import Inference
import Orchestration
import Testing

/// The example chains on the real models from the model store (`FRANCA_MODELS`); skipped when a model is missing
/// and `CI` is not `true`. Entities were checked by hand against the example documents.
@Suite(.serialized) struct RealChainTests {
    static let project = RepoModels.project
    static let runners: RunnerCache? = RepoModels.catalog.map { RunnerCache(catalog: $0, options: RuntimeOptions(threads: 2)) }

    static func document(_ path: String) throws -> Document {
        let url = Fixtures.repoRoot.appendingPathComponent(path)
        return Document(id: url.lastPathComponent, text: try String(contentsOf: url, encoding: .utf8), source: path)
    }

    static func run(_ chain: String, _ documents: [Document], project: Project? = nil, runners: RunnerCache? = nil) throws -> [CanonicalRecord] {
        let p = try #require(project ?? Self.project)
        let executor = try ChainExecutor(project: p, chain: try #require(p.chain(chain)), runners: try #require(runners ?? Self.runners))
        return try executor.process(documents)
    }

    static func spansMatch(_ r: CanonicalRecord) -> Bool {
        let s = Array(r.document.text.unicodeScalars)
        return r.entities.allSatisfy { e in
            e.start >= 0 && e.end <= s.count && String(String.UnicodeScalarView(s[e.start..<e.end])) == e.text
        }
    }

    struct Pinned: Equatable, CustomStringConvertible {
        var type: EntityType, text: String, start: Int, end: Int
        var description: String { "(\(type.rawValue), \(text.debugDescription), \(start), \(end))" }
    }

    static func pinned(_ r: CanonicalRecord) -> [Pinned] { r.entities.map { Pinned(type: $0.type, text: $0.text, start: $0.start, end: $0.end) } }

    @Test(.enabled(if: RepoModels.available("rampart-pii")))
    func rampartOnTheClinicalNoteGivesSchemaValidEntities() throws {
        let records = try Self.run("pii-redaction", [try Self.document("Examples/documents/clinical/intake-note.txt"),
                                                     try Self.document("Examples/documents/contracts/supply-agreement.txt")])
        let canonical = try JSONSchema.canonical()
        for r in records {
            #expect(canonical.validate(try r.toJSONValue()).isEmpty)
            #expect(Self.spansMatch(r))
            #expect(r.errors.isEmpty && r.findings.isEmpty, "\(r.errors) \(r.findings)")
            #expect(r.provenance.map(\.step) == ["pii", "pii-spans", "redact", "record"])
            #expect(r.provenance[0].parameters["batch"] == 2)
            #expect(r.entities.allSatisfy { $0.score >= 0.5 && $0.score <= 1 && $0.producedBy == "pii" })
        }
        #expect(Self.pinned(records[0]) == [
            Pinned(type: .person, text: "Daniel Okafor", start: 44, end: 57),
            Pinned(type: .phone, text: "555-0142", start: 82, end: 90),
            Pinned(type: .address, text: "48 Linden Avenue", start: 130, end: 146),
            Pinned(type: .address, text: "Springfield, IL 62704", start: 156, end: 177),
            Pinned(type: .person, text: "Priya Raman", start: 195, end: 206),
        ])
        #expect(records[0].entities[0].attributes?.parts?.map(\.type) == ["GIVEN_NAME", "SURNAME"])
        #expect(records[0].entities[3].attributes?.parts?.map(\.text) == ["Springfield", "IL", "62704"])
        #expect(records[0].artifacts.map(\.kind) == [.redactedText])
        #expect(records[0].artifacts.first?.content == """
            Clinical intake note, 14 May 2025

            Patient: [PERSON], born 02/09/1981. Phone [PHONE], email d.okafor@mail.example.
            Address: [ADDRESS], Apt 3B, [ADDRESS].
            Referred by Dr. [PERSON] for recurring headaches over the past six weeks.
            Current medication: ibuprofen 400 mg as needed; lisinopril 10 mg daily.
            Allergies: penicillin (rash).
            Plan: blood pressure log for two weeks, follow-up in 14 days. Patient must bring the log to the next visit.

            """)
        #expect(Self.pinned(records[1]) == [
            Pinned(type: .address, text: "Harbour Street", start: 92, end: 106),
            Pinned(type: .address, text: "Bristol, BS1 5TR", start: 117, end: 133),
            Pinned(type: .person, text: "Maria Keller", start: 167, end: 179),
            Pinned(type: .phone, text: "+44 117 496 0321", start: 213, end: 229),
            Pinned(type: .person, text: "Tom Brennan", start: 282, end: 293),
            Pinned(type: .person, text: "Tom Brennan", start: 772, end: 783),
        ])
        let redacted = try #require(records[1].artifacts.first?.content)
        #expect(redacted.hasPrefix("SUPPLY AGREEMENT\n\nThis agreement is made on 3 March 2025 between Northwind Traders Ltd., "
            + "12 [ADDRESS], Suite 4, [ADDRESS]\n(\"the Supplier\"), represented by [PERSON] (maria.keller@northwind.example, [PHONE]), "
            + "and Oakfield\nBakery (\"the Buyer\"), represented by [PERSON].\n"))
        #expect(redacted.hasSuffix("signed by\n[PERSON].\n"))
    }

    /// A fourth model use — one adapter file, no Swift: Rampart's weights as a contact tagger (e-mail and phone only,
    /// `average` strategy) in a fixture project, run by the same executor.
    @Test(.enabled(if: RepoModels.available("rampart-pii")))
    func fourthModelAdapterRunsWithoutSwiftCode() throws {
        let root = Fixtures.testsDirectory.appendingPathComponent("Fixtures/chains/fourth-model")
        let (loaded, problems) = Project.load(root: root)
        #expect(problems.isEmpty, "\(problems)")
        let project = try #require(loaded)
        let runners = RunnerCache(catalog: try ModelCatalog(project: project), options: RuntimeOptions(threads: 2))
        let text = "Reach Maria Keller at maria.keller@northwind.example or +44 117 496 0321 (office)."
        let r = try #require(try Self.run("contacts", [Document(id: "c", text: text, source: "-")], project: project, runners: runners).first)
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(Self.spansMatch(r))
        #expect(Set(r.entities.map(\.type)).isSubset(of: [.email, .phone]))
        #expect(r.entities.contains { $0.type == .phone && $0.text == "+44 117 496 0321" })
        #expect(r.provenance.first?.adapter?.id == "contact-tagger")
        #expect(r.provenance.first?.parameters["window"] == ["maxTokens": 256, "overlap": 64])
        let redacted = try #require(r.artifacts.first { $0.kind == .redactedText }?.content)
        #expect(redacted.contains("Maria Keller"))  // names are not contact details here
        #expect(redacted.contains("[PHONE]"))
    }

    /// True once `ModelLoader` runs GGUF decoders; until then the generative chains cannot load their models.
    static var decodersSupported: Bool { ModelLoader.supported.contains { $0.hasPrefix("gguf/") } }

    /// The generative chains end to end. Gated on the GGUF runner existing (not on CI), then on the models.
    @Test(.enabled(if: decodersSupported && RepoModels.available("smollm2") && RepoModels.available("rampart-pii")
                   && RepoModels.available("all-minilm-l6-v2") && RepoModels.available("gemma3-270m"),
                   "needs ModelLoader support for gguf and the models in the store"))
    func contractComplianceOnRealModels() throws {
        let r = try #require(try Self.run("contract-compliance", [try Self.document("Examples/documents/contracts/supply-agreement.txt")]).first)
        #expect(try JSONSchema.canonical().validate(try r.toJSONValue()).isEmpty)
        #expect(Self.spansMatch(r))
        // Without the grammar wired (ChainExecutor.Options.constraint), SmolLM2 and Gemma may run into the 2m
        // timeout on a loaded machine; the attempt is still in the provenance.
        #expect(r.provenance.contains { $0.step == "obligations" })
        #expect(r.entities.contains { $0.type == .person && $0.text == "Maria Keller" })
        // Obligations or a typed step error (a small model without the grammar may still fail); every obligation kept
        // has passed the clause check or been replaced by the fallback's.
        #expect(!r.obligations.isEmpty || r.errors.contains { $0.step == "obligations" })
    }

    @Test(.enabled(if: decodersSupported && RepoModels.available("smollm2"), "needs ModelLoader support for gguf and SmolLM2"))
    func codeChangeOnRealModel() throws {
        let url = Fixtures.repoRoot.appendingPathComponent("Examples/code-change/request.json")
        var json = try JSONValue.parse(try Data(contentsOf: url))
        if var o = json.objectValue {
            o["schema"] = .string(CanonicalVersion.current)
            if var d = o["document"]?.objectValue { d["metadata"] = .object(JSONObject()); o["document"] = .object(d) }
            json = .object(o)
        }
        let seed = try CanonicalRecord(json: json)
        let p = try #require(Self.project)
        let executor = try ChainExecutor(project: p, chain: try #require(p.chain("code-change")), runners: try #require(Self.runners))
        let r = try #require(try executor.run([seed]).first)
        #expect(try JSONSchema.canonical().validate(try r.toJSONValue()).isEmpty)
        #expect(r.provenance.contains { $0.step == "codegen" })
        // Either a diff that applies (no diff-applies finding) or a recorded, typed failure — never a crash.
        let diffs = r.artifacts.filter { $0.kind == .diff }
        #expect(!diffs.isEmpty || !r.errors.isEmpty)
    }
}
