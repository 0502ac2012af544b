import Canonical

/// One adapter and the schemas to judge it by: the old native schemas (its declared files, or those of a
/// baseline revision) and the new ones (given on the command line, or its declared files).
public struct AdapterValidation: Sendable {
    public var adapter: AdapterDefinition
    public var canonical: LoadedSchema?
    public var old: [SchemaEdge: LoadedSchema]
    public var new: [SchemaEdge: LoadedSchema]
    public var baseline: String
    public var baselineVersion: SemanticVersion?

    public init(adapter: AdapterDefinition, canonical: LoadedSchema?, old: [SchemaEdge: LoadedSchema],
                new: [SchemaEdge: LoadedSchema], baseline: String = "declared", baselineVersion: SemanticVersion? = nil) {
        self.adapter = adapter
        self.canonical = canonical
        self.old = old
        self.new = new
        self.baseline = baseline
        self.baselineVersion = baselineVersion
    }

    /// Static checks, the schema diff per edge, the examples, and the chains that use the adapter.
    /// `live` is the live probe's result when it was run.
    public func run(chains: [ChainDefinition], live: LiveReport? = nil) -> AdapterReport {
        let canonicalShape = canonical?.shape
        let surface = AdapterSurface(adapter: adapter, canonical: canonicalShape)
        let empty = SchemaShape(document: .bool(true))
        let check = StaticCheck(adapter: adapter, surface: surface, input: new[.input]?.shape ?? empty,
                                output: new[.output]?.shape ?? empty, canonical: canonicalShape)
        var findings = check.findings()
        let classifier = ChangeClassifier(surface: surface, check: check)
        var changes: [ClassifiedChange] = []
        for edge in [SchemaEdge.output, .input] {
            guard let a = old[edge], let b = new[edge] else { continue }
            for change in SchemaDiff(old: a.shape, new: b.shape).changes() {
                changes.append(classifier.classify(change, edge: edge))
            }
        }
        if let baselineVersion, baselineVersion == adapter.version,
           changes.contains(where: { $0.change.compatibility != .full }) {
            findings.append(ValidationFinding(.warning, .version, path: "",
                                              "the native schemas changed but the adapter is still version \(adapter.version); bump it"))
        }
        var schemas: [SchemaEdge: AdapterReport.SchemaPair] = [:]
        for edge in SchemaEdge.allCases {
            if let b = new[edge] { schemas[edge] = AdapterReport.SchemaPair(old: old[edge]?.path ?? b.path, new: b.path) }
        }
        var report = AdapterReport(adapter: adapter.id, version: adapter.version, baseline: baseline,
                                   baselineVersion: baselineVersion, schemas: schemas, findings: findings,
                                   changes: changes, examples: examples(), live: live, chains: [])
        report.chains = ChainImpact.of(adapter: adapter.id, in: chains, breaking: report.isBreaking)
        return report
    }

    /// Each golden example replayed and compared with `expect`; also checked against the new native output schema.
    public func examples() -> [ExampleResult] {
        let hasSpans = adapter.output.contains { $0.kind == .bioSpans }
        return adapter.examples.map { example in
            var problems: [String] = []
            var status = ExampleResult.Status.pass
            do {
                let fragment = try ExampleReplay.canonicalFragment(adapter: adapter, native: example.native,
                                                                   record: example.record)
                let mismatches = FragmentMatch.mismatches(expected: .object(example.expect), actual: .object(fragment),
                                                          caseInsensitive: hasSpans ? ["text"] : [])
                if !mismatches.isEmpty {
                    status = .fail
                    problems += mismatches.map(\.description)
                }
            } catch {
                status = .fail
                problems.append("\(error)")
            }
            if let schema = new[.output] {
                let violations = schema.schema.validate(example.native)
                if !violations.isEmpty {
                    if status == .pass { status = .stale }
                    problems += violations.prefix(5).map { "native does not match \(schema.path): \($0.description)" }
                }
            }
            return ExampleResult(name: example.name, status: status, problems: problems)
        }
    }
}
