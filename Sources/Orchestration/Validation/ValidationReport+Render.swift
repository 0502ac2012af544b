import Canonical

/// The report as JSON for CI (`--format json`) and as text for people. Field names are stable; docs/validate.md
/// documents them.
extension ValidationReport {
    public static let formatVersion = "franca-validate/v1"

    public func json() -> JSONValue {
        var o: JSONObject = ["format": .string(Self.formatVersion),
                             "verdict": .string(isBreaking ? "breaking" : "compatible")]
        o["adapters"] = .array(adapters.map { $0.json() })
        o["chains"] = .array(chains.map { c in
            .object(["chain": .string(c.chain), "verdict": .string(c.breaking ? "breaking" : "compatible"),
                     "breakingAdapters": .array(c.breakingAdapters.map { .string($0) })])
        })
        return .object(o)
    }

    public func text() -> String {
        var lines: [String] = []
        for report in adapters { lines += report.textLines(); lines.append("") }
        let chainList = chains
        if !chainList.isEmpty {
            lines.append("chains:")
            for c in chainList {
                let why = c.breaking ? " (\(c.breakingAdapters.joined(separator: ", ")))" : ""
                lines.append("  \(c.chain): \(c.breaking ? "BREAKING" : "compatible")\(why)")
            }
        }
        let broken = adapters.filter(\.isBreaking).count
        lines.append(isBreaking ? "verdict: BREAKING (\(broken) of \(adapters.count) adapter\(adapters.count == 1 ? "" : "s"))"
                                : "verdict: compatible (\(adapters.count) adapter\(adapters.count == 1 ? "" : "s"))")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension AdapterReport {
    public func json() -> JSONValue {
        var o: JSONObject = ["adapter": .string(adapter), "version": .string(version.description),
                             "verdict": .string(isBreaking ? "breaking" : "compatible")]
        var base: JSONObject = ["source": .string(baseline)]
        if let baselineVersion { base["version"] = .string(baselineVersion.description) }
        o["baseline"] = .object(base)
        var schemaObject: JSONObject = [:]
        for edge in SchemaEdge.allCases {
            if let pair = schemas[edge] { schemaObject[edge.rawValue] = .object(["old": .string(pair.old), "new": .string(pair.new)]) }
        }
        o["schemas"] = .object(schemaObject)
        o["findings"] = .array(findings.map { f in
            .object(["severity": .string(f.severity.rawValue), "area": .string(f.area.rawValue),
                     "path": .string(f.path), "message": .string(f.message)])
        })
        o["changes"] = .array(changes.map { c in
            var x: JSONObject = ["edge": .string(c.edge.rawValue), "kind": .string(c.change.kind.rawValue),
                                 "path": .string(c.change.path.description)]
            if let to = c.change.renamedTo { x["renamedTo"] = .string(to.description) }
            if let k = c.change.keyword { x["keyword"] = .string(k) }
            if let old = c.change.old { x["old"] = old }
            if let new = c.change.new { x["new"] = new }
            x["compatibility"] = .string(c.change.compatibility.rawValue)
            x["verdict"] = .string(c.breaks ? "breaking" : "compatible")
            x["summary"] = .string(c.change.summary)
            x["reason"] = .string(c.reason)
            return .object(x)
        })
        o["examples"] = .array(examples.map { e in
            .object(["name": .string(e.name), "status": .string(e.status.rawValue),
                     "problems": .array(e.problems.map { .string($0) })])
        })
        if let live {
            o["live"] = .object([
                "status": .string(live.status.rawValue), "message": .string(live.message),
                "samples": .array(live.samples.map { s in
                    var x: JSONObject = ["name": .string(s.name), "conforms": .bool(s.conforms),
                                         "violationCount": .integer(Int64(s.violationCount)),
                                         "violations": .array(s.violations.map { .string($0) }),
                                         "nativeItems": .integer(Int64(s.nativeItems)), "produced": .integer(Int64(s.produced))]
                    if let r = s.replayError { x["replayError"] = .string(r) }
                    return .object(x)
                }),
            ])
        } else {
            o["live"] = .null
        }
        o["chains"] = .array(chains.map { c in
            .object(["chain": .string(c.chain), "verdict": .string(c.breaking ? "breaking" : "compatible"),
                     "uses": .array(c.uses.map { .object(["step": .string($0.step), "role": .string($0.role.rawValue)]) })])
        })
        return .object(o)
    }

    func textLines() -> [String] {
        var lines = ["\(adapter) \(version): \(isBreaking ? "BREAKING" : "compatible")"]
        if let baselineVersion { lines.append("  baseline: \(baseline) (version \(baselineVersion))") }
        for edge in SchemaEdge.allCases {
            guard let pair = schemas[edge] else { continue }
            let arrow = pair.old == pair.new ? pair.new : "\(pair.old) -> \(pair.new)"
            lines.append("  native \(edge.rawValue): \(arrow)")
        }
        if !findings.isEmpty {
            lines.append("  static:")
            for f in findings { lines.append("    \(f.severity == .breaking ? "BREAK" : "warn ") \(f.area.rawValue) \(f.path): \(f.message)") }
        } else {
            lines.append("  static: ok")
        }
        if changes.isEmpty {
            lines.append("  changes: none")
        } else {
            lines.append("  changes:")
            for c in changes {
                let path = c.change.renamedTo.map { "\(c.change.path) -> \($0)" } ?? c.change.path.description
                lines.append("    \(c.breaks ? "BREAK" : "ok   ") \(c.edge.rawValue) \(c.change.kind.rawValue) \(path): "
                             + "\(c.change.summary) [\(c.change.compatibility.rawValue)]; \(c.reason)")
            }
        }
        if examples.isEmpty {
            lines.append("  examples: none")
        } else {
            lines.append("  examples:")
            for e in examples {
                lines.append("    \(e.status.rawValue) \(e.name)")
                for p in e.problems { lines.append("      \(p)") }
            }
        }
        if let live {
            lines.append("  live: \(live.status.rawValue): \(live.message)")
            for s in live.samples {
                lines.append("    \(s.conforms ? "ok  " : "FAIL") \(s.name): \(s.nativeItems) tokens, \(s.produced) produced"
                             + (s.violationCount > 0 ? ", \(s.violationCount) violations" : ""))
                for v in s.violations { lines.append("      \(v)") }
                if let r = s.replayError { lines.append("      replay: \(r)") }
            }
        }
        if chains.isEmpty {
            lines.append("  chains: none use it")
        } else {
            lines.append("  chains:")
            for c in chains {
                let uses = c.uses.map { "\($0.role == .fallback ? "fallback of " : "step ")\($0.step)" }.joined(separator: ", ")
                lines.append("    \(c.chain) (\(uses)): \(c.breaking ? "BREAKING" : "compatible")")
            }
        }
        return lines
    }
}
