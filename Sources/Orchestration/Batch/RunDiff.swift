import Canonical
import Foundation

/// What changed between two batch runs' records, per document and canonical field, with each change
/// attributed to the step that produced the item and to what differs in that step between the runs (adapter
/// version or file, model sha256 — from the records' provenance, else the runs' `summary.json` fingerprints).
public struct RunDiff: Sendable {
    public static let fields = ["entities", "obligations", "artifacts", "findings", "errors"]

    /// One item added, removed or changed in one field of one document.
    public struct Change: Sendable, Equatable {
        public enum Kind: String, Sendable { case added, removed, changed }
        public var kind: Kind
        public var field: String
        /// What identifies the item across runs (`PERSON [0,4)`).
        public var key: String
        public var before: JSONValue?
        public var after: JSONValue?
        /// The step that produced the item.
        public var step: String
        /// Why that step's output may differ ("adapter rampart-pii 1.0.0 → 1.1.0"), or nil when nothing recorded differs.
        public var cause: String?
    }

    public struct DocumentDiff: Sendable {
        public enum Status: String, Sendable { case changed, onlyInA = "only-in-a", onlyInB = "only-in-b" }
        public var id: String
        public var status: Status
        public var textChanged = false
        public var changes: [Change] = []
    }

    public var runA: String
    public var runB: String
    /// Step → what differs between the runs' fingerprints.
    public var stepChanges: [(step: String, change: String)] = []
    public var documents: [DocumentDiff] = []
    public var compared = 0
    public var unchanged = 0

    public var hasDifferences: Bool { !documents.isEmpty }

    public enum LoadError: Error, CustomStringConvertible {
        case missing(String)
        case badLine(file: String, line: Int, message: String)
        public var description: String {
            switch self {
            case .missing(let p): return "\(p) not found: a run folder holds records.jsonl (written by franca run --out)"
            case let .badLine(file, line, message): return "\(file):\(line): not a canonical record: \(message)"
            }
        }
    }

    /// Records of a run folder (or a records.jsonl file), by document id.
    public static func loadRecords(_ path: String) throws -> [String: CanonicalRecord] {
        var url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            url = url.appendingPathComponent(RecordsFile.fileName)
        }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw LoadError.missing(url.path) }
        var out: [String: CanonicalRecord] = [:]
        var lineNumber = 0
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            do {
                let record = try CanonicalRecord(json: JSONValue.parse(bytes: [UInt8](line)))
                out[record.document.id] = record
            } catch {
                throw LoadError.badLine(file: url.path, line: lineNumber, message: "\(error)")
            }
        }
        return out
    }

    /// The fingerprint in a run folder's summary.json, if there is one.
    public static func loadFingerprint(_ path: String) -> ChainFingerprint? {
        let url = URL(fileURLWithPath: path).appendingPathComponent(RunSummary.fileName)
        guard let data = FileManager.default.contents(atPath: url.path), let json = try? JSONValue.parse(data),
              let fp = json["fingerprint"] else { return nil }
        return try? ChainFingerprint(json: fp)
    }

    public init(runA: String, runB: String) throws {
        let a = try Self.loadRecords(runA), b = try Self.loadRecords(runB)
        self.init(runA: runA, runB: runB, a: a, b: b, fingerprintA: Self.loadFingerprint(runA), fingerprintB: Self.loadFingerprint(runB))
    }

    public init(runA: String, runB: String, a: [String: CanonicalRecord], b: [String: CanonicalRecord],
                fingerprintA: ChainFingerprint?, fingerprintB: ChainFingerprint?) {
        self.runA = runA
        self.runB = runB
        if let fa = fingerprintA, let fb = fingerprintB {
            let ids = fb.steps.map(\.id) + fa.steps.map(\.id).filter { id in !fb.steps.contains { $0.id == id } }
            for id in ids { if let c = fb.changeDescription(step: id, from: fa) { stepChanges.append((id, c)) } }
            if fa.chainFileSHA256 != fb.chainFileSHA256 { stepChanges.insert(("(chain)", "chain file \(fb.chain).yaml changed"), at: 0) }
        }
        let fingerprintCauses = Dictionary(stepChanges.map { ($0.step, $0.change) }, uniquingKeysWith: { x, _ in x })
        for id in Set(a.keys).union(b.keys).sorted() {
            switch (a[id], b[id]) {
            case (_?, nil): documents.append(DocumentDiff(id: id, status: .onlyInA))
            case (nil, _?): documents.append(DocumentDiff(id: id, status: .onlyInB))
            case let (ra?, rb?):
                compared += 1
                var d = DocumentDiff(id: id, status: .changed)
                d.textChanged = ra.document.text != rb.document.text
                d.changes = Self.changes(ra, rb, fingerprintCauses: fingerprintCauses)
                if d.textChanged || !d.changes.isEmpty { documents.append(d) } else { unchanged += 1 }
            case (nil, nil): break
            }
        }
    }

    // MARK: Comparing one document

    static func changes(_ a: CanonicalRecord, _ b: CanonicalRecord, fingerprintCauses: [String: String]) -> [Change] {
        var out: [Change] = []
        func compare<T: Encodable>(_ field: String, _ x: [T], _ y: [T], key: (T) -> String, step: (T) -> String) {
            func keyed(_ items: [T]) -> [(String, T)] {
                var seen: [String: Int] = [:]
                return items.map { item in
                    let k = key(item)
                    seen[k, default: 0] += 1
                    return (seen[k] == 1 ? k : "\(k) #\(seen[k] ?? 0)", item)
                }
            }
            let xs = keyed(x), ys = keyed(y)
            let yByKey = Dictionary(ys, uniquingKeysWith: { p, _ in p })
            let xKeys = Set(xs.map(\.0))
            for (k, item) in xs {
                let before = try? JSONValueEncoder().encode(item)
                if let other = yByKey[k] {
                    let after = try? JSONValueEncoder().encode(other)
                    if before != after {
                        out.append(Change(kind: .changed, field: field, key: k, before: before, after: after, step: step(other),
                                          cause: cause(step(other), a, b, fingerprintCauses)))
                    }
                } else {
                    out.append(Change(kind: .removed, field: field, key: k, before: before, after: nil, step: step(item),
                                      cause: cause(step(item), a, b, fingerprintCauses)))
                }
            }
            for (k, item) in ys where !xKeys.contains(k) {
                out.append(Change(kind: .added, field: field, key: k, before: nil, after: try? JSONValueEncoder().encode(item),
                                  step: step(item), cause: cause(step(item), a, b, fingerprintCauses)))
            }
        }
        compare("entities", a.entities, b.entities, key: { "\($0.type.rawValue) [\($0.start),\($0.end))" }, step: \.producedBy)
        compare("obligations", a.obligations, b.obligations, key: { "\($0.modality.rawValue): \($0.text)" }, step: \.producedBy)
        compare("artifacts", a.artifacts, b.artifacts, key: { "\($0.kind.rawValue)\($0.path.map { " " + $0 } ?? "") by \($0.producedBy)" }, step: \.producedBy)
        compare("findings", a.findings, b.findings, key: { "\($0.rule) @\($0.evidence.map { String($0.start) }.joined(separator: ","))" }, step: \.producedBy)
        compare("errors", a.errors, b.errors, key: { "\($0.step) \($0.kind)" }, step: \.step)
        return out
    }

    /// What differs in `step` between the two records' provenance, else between the runs' fingerprints.
    static func cause(_ step: String, _ a: CanonicalRecord, _ b: CanonicalRecord, _ fingerprintCauses: [String: String]) -> String? {
        let pa = a.provenance.filter { $0.step == step }, pb = b.provenance.filter { $0.step == step }
        var reasons: [String] = []
        let adaptersA = pa.compactMap(\.adapter), adaptersB = pb.compactMap(\.adapter)
        if adaptersA.count == 1, adaptersB.count == 1, adaptersA[0].id == adaptersB[0].id, adaptersA[0].version != adaptersB[0].version {
            reasons.append("adapter \(adaptersA[0].id) \(adaptersA[0].version) → \(adaptersB[0].version)")
        } else if adaptersA != adaptersB {
            let x = adaptersA.map { "\($0.id) \($0.version)" }.joined(separator: ", ")
            let y = adaptersB.map { "\($0.id) \($0.version)" }.joined(separator: ", ")
            reasons.append("adapter \(x.isEmpty ? "(none)" : x) → \(y.isEmpty ? "(none)" : y)")
        }
        let modelsA = pa.compactMap(\.model), modelsB = pb.compactMap(\.model)
        if modelsA.count == 1, modelsB.count == 1, modelsA[0].id == modelsB[0].id, modelsA[0] != modelsB[0] {
            reasons.append("model \(modelsA[0].id) sha256 \(modelsA[0].sha256.prefix(12)) → \(modelsB[0].sha256.prefix(12))")
        } else if modelsA != modelsB {
            let x = modelsA.map { "\($0.id) \($0.sha256.prefix(12))" }.joined(separator: ", ")
            let y = modelsB.map { "\($0.id) \($0.sha256.prefix(12))" }.joined(separator: ", ")
            reasons.append("model \(x.isEmpty ? "(none)" : x) → \(y.isEmpty ? "(none)" : y)")
        }
        if pa.map(\.check) != pb.map(\.check) { reasons.append("check changed") }
        if !reasons.isEmpty { return reasons.joined(separator: "; ") }
        if let c = fingerprintCauses[step] { return c }
        return fingerprintCauses["(chain)"]
    }

    // MARK: Output

    public func text() -> String {
        var lines: [String] = ["runs: A = \(runA), B = \(runB)"]
        if stepChanges.isEmpty {
            lines.append("steps: no adapter, model or chain difference recorded")
        } else {
            lines.append("steps that differ:")
            for s in stepChanges { lines.append("  \(s.step): \(s.change)") }
        }
        for d in documents {
            switch d.status {
            case .onlyInA: lines.append("\(d.id): only in A"); continue
            case .onlyInB: lines.append("\(d.id): only in B"); continue
            case .changed: lines.append("\(d.id):")
            }
            if d.textChanged { lines.append("  document.text differs (different input)") }
            for field in Self.fields {
                let cs = d.changes.filter { $0.field == field }
                guard !cs.isEmpty else { continue }
                lines.append("  \(field):")
                for c in cs {
                    let sign = c.kind == .added ? "+" : c.kind == .removed ? "-" : "~"
                    var detail = ""
                    if c.kind == .changed, case .object(let x)? = c.before, case .object(let y)? = c.after {
                        let keys = y.keys.filter { x[$0] != y[$0] } + x.keys.filter { y[$0] == nil }
                        detail = " " + keys.map { "\($0): \(x[$0].map(Self.short) ?? "∅") → \(y[$0].map(Self.short) ?? "∅")" }.joined(separator: ", ")
                    } else if let v = c.after ?? c.before, case .object(let o) = v, let t = o["text"] ?? o["message"] {
                        detail = " " + Self.short(t)
                    }
                    lines.append("    \(sign) \(c.key)\(detail)  [step \(c.step): \(c.cause ?? "no recorded difference in this step (input or an earlier step changed)")]")
                }
            }
        }
        let onlyA = documents.filter { $0.status == .onlyInA }.count, onlyB = documents.filter { $0.status == .onlyInB }.count
        lines.append("\(compared) documents in both runs: \(compared - unchanged) changed, \(unchanged) unchanged; \(onlyA) only in A, \(onlyB) only in B")
        return lines.joined(separator: "\n") + "\n"
    }

    static func short(_ v: JSONValue) -> String {
        let s = v.serialized()
        return s.count > 80 ? String(s.prefix(77)) + "..." : s
    }

    public func json() -> JSONValue {
        func int(_ v: Int) -> JSONValue { .integer(Int64(v)) }
        let onlyA = documents.filter { $0.status == .onlyInA }.count, onlyB = documents.filter { $0.status == .onlyInB }.count
        var out: JSONObject = ["runA": .string(runA), "runB": .string(runB)]
        out["stepChanges"] = .array(stepChanges.map { .object(["step": .string($0.step), "change": .string($0.change)]) })
        out["counts"] = .object(["compared": int(compared), "changed": int(compared - unchanged), "unchanged": int(unchanged),
                                 "onlyInA": int(onlyA), "onlyInB": int(onlyB)])
        out["documents"] = .array(documents.map { d in
            var o: JSONObject = ["id": .string(d.id), "status": .string(d.status.rawValue)]
            if d.status == .changed {
                o["textChanged"] = .bool(d.textChanged)
                var fields = JSONObject()
                for field in Self.fields {
                    let cs = d.changes.filter { $0.field == field }
                    guard !cs.isEmpty else { continue }
                    fields[field] = .array(cs.map { c in
                        var x: JSONObject = ["change": .string(c.kind.rawValue), "key": .string(c.key)]
                        if let b = c.before { x["before"] = b }
                        if let a = c.after { x["after"] = a }
                        x["step"] = .string(c.step)
                        x["cause"] = c.cause.map(JSONValue.string) ?? .null
                        return .object(x)
                    })
                }
                o["fields"] = .object(fields)
            }
            return .object(o)
        })
        return .object(out)
    }
}
