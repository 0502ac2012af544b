import Canonical

/// Everything `franca validate` found for one adapter.
public struct AdapterReport: Sendable {
    public var adapter: String
    public var version: SemanticVersion
    /// What the schemas were compared with: `declared` (the adapter's own files), `git REV`, or `dir PATH`.
    public var baseline: String
    /// The adapter's version at the baseline, when the baseline is another revision of the project.
    public var baselineVersion: SemanticVersion?
    /// Old and new native schema files per edge (equal when nothing new was given).
    public var schemas: [SchemaEdge: SchemaPair]
    /// Static checks against the new schemas, and the version check.
    public var findings: [ValidationFinding]
    public var changes: [ClassifiedChange]
    public var examples: [ExampleResult]
    /// Nil when `--live` was not asked for.
    public var live: LiveReport?
    public var chains: [ChainImpact]

    public struct SchemaPair: Sendable, Hashable {
        public var old: String
        public var new: String
    }

    public var isBreaking: Bool {
        findings.contains(where: \.isBreaking) || changes.contains(where: \.breaks)
            || examples.contains { $0.status == .fail } || live?.status == .failed
    }
}

/// A golden example replayed through the transforms.
public struct ExampleResult: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        /// The transforms produce `expect`.
        case pass
        /// They do not (or cannot run): a break.
        case fail
        /// They do, but the example's native JSON no longer matches the new native output schema: update it.
        case stale
    }

    public var name: String
    public var status: Status
    public var problems: [String]
}

/// The live probe: the real model on sample documents, its native outputs checked against the native schema.
public struct LiveReport: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case passed, failed
        /// The probe cannot run for this adapter yet (message says why); not a failure.
        case skipped
    }

    public struct Sample: Sendable, Hashable {
        public var name: String
        public var conforms: Bool
        /// How many schema violations, and the first few.
        public var violationCount: Int
        public var violations: [String]
        /// Native items seen (tokens for a token classifier) and canonical items the transforms produced.
        public var nativeItems: Int
        public var produced: Int
        /// A transform that failed on the live output.
        public var replayError: String?
    }

    public var status: Status
    public var message: String
    public var samples: [Sample]
}

/// How one chain is affected by one adapter.
public struct ChainImpact: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable {
        case step
        case fallback
    }

    public struct Use: Sendable, Hashable {
        public var step: String
        public var role: Role
    }

    public var chain: String
    public var uses: [Use]
    public var breaking: Bool

    /// Every chain that runs `adapter` in a step or as a step's fallback.
    public static func of(adapter: String, in chains: [ChainDefinition], breaking: Bool) -> [ChainImpact] {
        chains.compactMap { chain in
            var uses: [Use] = []
            for step in chain.steps {
                if case .adapter(let id) = step.action, id == adapter { uses.append(Use(step: step.id, role: .step)) }
                if step.fallback == adapter { uses.append(Use(step: step.id, role: .fallback)) }
            }
            return uses.isEmpty ? nil : ChainImpact(chain: chain.name, uses: uses, breaking: breaking)
        }
    }
}

/// The whole run: one report per adapter and a verdict per chain.
public struct ValidationReport: Sendable {
    public var adapters: [AdapterReport]

    public init(adapters: [AdapterReport]) { self.adapters = adapters }

    public var isBreaking: Bool { adapters.contains(where: \.isBreaking) }

    /// Chains touched by any validated adapter: breaking when any of the adapters it uses is.
    public var chains: [(chain: String, breaking: Bool, breakingAdapters: [String])] {
        var order: [String] = []
        var broken: [String: [String]] = [:]
        for report in adapters {
            for impact in report.chains {
                if broken[impact.chain] == nil { order.append(impact.chain); broken[impact.chain] = [] }
                if impact.breaking { broken[impact.chain, default: []].append(report.adapter) }
            }
        }
        return order.sorted().map { ($0, !(broken[$0] ?? []).isEmpty, broken[$0] ?? []) }
    }
}
