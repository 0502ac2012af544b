import Canonical
import Foundation

/// `DIR/report.html`: one self-contained page a person opens (inline CSS and SVG, no script, no network):
/// summary numbers, a per-step timing chart, failures with reasons, and each document with its entities
/// highlighted and its obligations, findings, artifacts and errors listed.
///
/// Everything taken from a document or record is HTML-escaped. Large runs are capped: the first
/// `maxDocuments` documents are shown in full (each text up to `maxTextScalars`), the first `maxFailures`
/// failures listed, and the page says what was left out.
public struct RunReport {
    public static let fileName = "report.html"

    public var maxDocuments: Int
    public var maxTextScalars: Int
    public var maxFailures: Int
    private var documentsHTML: [String] = []
    private var documentsSeen = 0
    private var failures: [(id: String, errors: [StepError])] = []
    private var failuresSeen = 0

    public init(maxDocuments: Int = 500, maxTextScalars: Int = 20_000, maxFailures: Int = 500) {
        self.maxDocuments = maxDocuments; self.maxTextScalars = maxTextScalars; self.maxFailures = maxFailures
    }

    /// True when `other` caps the page the same way (so a report gathered with these limits can stand for it).
    func hasLimits(of other: RunReport) -> Bool {
        maxDocuments == other.maxDocuments && maxTextScalars == other.maxTextScalars && maxFailures == other.maxFailures
    }

    public mutating func add(_ record: CanonicalRecord) {
        documentsSeen += 1
        if !record.errors.isEmpty {
            failuresSeen += 1
            if failures.count < maxFailures { failures.append((record.document.id, record.errors)) }
        }
        if documentsHTML.count < maxDocuments { documentsHTML.append(document(record, index: documentsSeen)) }
    }

    // MARK: Page

    public func html(summary: RunSummary) -> String {
        var h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        h += "<title>Franca run: \(Self.escape(summary.chain))</title><style>\(Self.css)</style></head><body>\n"
        h += "<header><h1>Chain <code>\(Self.escape(summary.chain))</code></h1>"
        h += "<p class=\"meta\">input <code>\(Self.escape(summary.input))</code> · started \(Self.escape(Ledger.timestamp(summary.startedAt)))"
        h += " · finished \(Self.escape(Ledger.timestamp(summary.finishedAt))) · fingerprint <code>\(summary.fingerprint.hash.prefix(12))</code></p></header>\n"
        h += cards(summary)
        if let fatal = summary.fatal {
            h += "<p class=\"fatal\">The run stopped early: \(Self.escape(fatal))</p>\n"
        }
        if !summary.rerunReasons.isEmpty {
            h += "<section><h2>Re-run</h2><ul>"
            for r in summary.rerunReasons { h += "<li>\(Self.escape(r.reason)): \(r.count) document\(r.count == 1 ? "" : "s")</li>" }
            h += "</ul></section>\n"
        }
        h += "<section><h2>Time per step</h2>\(chart(summary.orderedSteps))</section>\n"
        h += failuresSection()
        h += "<section><h2>Documents</h2>"
        if documentsSeen > documentsHTML.count {
            h += "<p class=\"note\">Showing the first \(documentsHTML.count) of \(documentsSeen) documents in full; every record is in <code>records.jsonl</code>.</p>"
        }
        h += documentsHTML.joined(separator: "\n")
        h += "</section>\n<footer>Written by franca · records in <code>records.jsonl</code>, numbers in <code>summary.json</code></footer>\n</body></html>\n"
        return h
    }

    private func cards(_ s: RunSummary) -> String {
        let elapsed = s.finishedAt.timeIntervalSince(s.startedAt)
        let rate = elapsed > 0 ? Double(s.processed) / elapsed : 0
        let items: [(String, String, String)] = [
            ("documents", "\(s.total)", ""), ("done", "\(s.done)", "ok"), ("failed", "\(s.failed)", s.failed > 0 ? "bad" : ""),
            ("run now", "\(s.processed)", ""), ("already done", "\(s.skipped)", ""),
            ("docs/s", String(format: rate < 10 ? "%.2f" : "%.1f", rate), ""), ("entities", "\(s.entities)", ""), ("obligations", "\(s.obligations)", ""),
            ("findings", "\(s.findings)", ""),
        ]
        return "<section class=\"cards\">" + items.map { label, value, cls in
            "<div class=\"card \(cls)\"><div class=\"value\">\(Self.escape(value))</div><div class=\"label\">\(label)</div></div>"
        }.joined() + "</section>\n"
    }

    /// Horizontal bars of mean milliseconds per step (total, runs and tokens in the label).
    private func chart(_ steps: [RunSummary.StepStats]) -> String {
        guard !steps.isEmpty else { return "<p class=\"note\">No step recorded timings (no record has provenance).</p>" }
        let rowHeight = 26, labelWidth = 240, barWidth = 360, width = labelWidth + barWidth + 420
        let maxMean = max(steps.map(\.meanMs).max() ?? 0, 0.001)
        var svg = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(rowHeight * steps.count + 8)\" role=\"img\" aria-label=\"mean milliseconds per step\">"
        for (i, s) in steps.enumerated() {
            let y = 4 + i * rowHeight
            let w = max(1, Int(Double(barWidth) * s.meanMs / maxMean))
            let name = s.step + (s.adapter.map { " · \($0)" } ?? s.check.map { " · \($0)" } ?? "")
            let tokens = s.tokensIn + s.tokensOut > 0 ? ", \(s.tokensIn) tok in / \(s.tokensOut) out" : ""
            svg += "<text x=\"0\" y=\"\(y + 17)\" class=\"lbl\">\(Self.escape(name))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(w)\" height=\"18\" rx=\"3\" class=\"bar\(s.check == nil ? "" : " check")\"/>"
            svg += "<text x=\"\(labelWidth + w + 6)\" y=\"\(y + 17)\" class=\"val\">\(String(format: "%.1f", s.meanMs)) ms mean · \(String(format: "%.0f", s.totalMs)) ms total · \(s.runs) runs\(tokens)</text>"
        }
        return svg + "</svg>"
    }

    private func failuresSection() -> String {
        guard failuresSeen > 0 else { return "<section><h2>Failures</h2><p class=\"note\">None.</p></section>\n" }
        var h = "<section><h2>Failures (\(failuresSeen))</h2>"
        if failuresSeen > failures.count { h += "<p class=\"note\">The first \(failures.count) are listed.</p>" }
        h += "<table><thead><tr><th>document</th><th>step</th><th>kind</th><th>reason</th></tr></thead><tbody>"
        for f in failures {
            for e in f.errors {
                h += "<tr><td><a href=\"#\(Self.anchor(f.id))\">\(Self.escape(f.id))</a></td><td>\(Self.escape(e.step))</td>"
                h += "<td><span class=\"kind\">\(Self.escape(e.kind))</span></td><td>\(Self.escape(e.message))</td></tr>"
            }
        }
        return h + "</tbody></table></section>\n"
    }

    // MARK: One document

    private func document(_ r: CanonicalRecord, index: Int) -> String {
        let failed = !r.errors.isEmpty
        var h = "<article id=\"\(Self.anchor(r.document.id))\" class=\"doc\(failed ? " failed" : "")\">"
        h += "<h3><span class=\"badge \(failed ? "bad" : "ok")\">\(failed ? "failed" : "done")</span> \(Self.escape(r.document.id))</h3>"
        h += "<p class=\"meta\">\(Self.escape(r.document.source)) · \(Self.escape(r.document.mediaType)) · \(r.entities.count) entities · "
        h += "\(r.obligations.count) obligations · \(r.findings.count) findings</p>"
        h += "<div class=\"text\">\(highlighted(r))</div>"
        if !r.entities.isEmpty {
            h += "<details><summary>Entities (\(r.entities.count))</summary><ul>"
            for e in r.entities {
                h += "<li><span class=\"tag t-\(e.type.rawValue)\">\(e.type.rawValue)</span> \(Self.escape(e.text)) "
                h += "<span class=\"dim\">[\(e.start), \(e.end)) score \(String(format: "%.2f", e.score)) · \(Self.escape(e.producedBy))</span></li>"
            }
            h += "</ul></details>"
        }
        if !r.obligations.isEmpty {
            h += "<h4>Obligations</h4><ul>"
            for o in r.obligations {
                h += "<li><b>\(Self.escape(o.party))</b> \(o.modality.rawValue) \(Self.escape(o.action))"
                if let d = o.deadline { h += " <span class=\"dim\">by \(Self.escape(d))</span>" }
                h += " <span class=\"status s-\(o.status.rawValue)\">\(o.status.rawValue)</span></li>"
            }
            h += "</ul>"
        }
        if !r.findings.isEmpty {
            h += "<h4>Findings</h4><ul>"
            for f in r.findings {
                h += "<li><span class=\"sev \(f.severity.rawValue)\">\(f.severity.rawValue)</span> <code>\(Self.escape(f.rule))</code> \(Self.escape(f.message))</li>"
            }
            h += "</ul>"
        }
        if !r.artifacts.isEmpty {
            h += "<h4>Artifacts</h4>"
            for a in r.artifacts {
                let content = a.content.unicodeScalars.count > 4000 ? String(String.UnicodeScalarView(a.content.unicodeScalars.prefix(4000))) + " …" : a.content
                h += "<details><summary>\(a.kind.rawValue)\(a.path.map { " " + Self.escape($0) } ?? "") · \(Self.escape(a.producedBy))</summary><pre>\(Self.escape(content))</pre></details>"
            }
        }
        if failed {
            h += "<h4>Errors</h4><ul>"
            for e in r.errors { h += "<li><code>\(Self.escape(e.step))</code> <span class=\"kind\">\(Self.escape(e.kind))</span> \(Self.escape(e.message))</li>" }
            h += "</ul>"
        }
        return h + "</article>"
    }

    /// The text with entity spans in `<mark>`; overlapping spans after the first are listed but not marked.
    func highlighted(_ r: CanonicalRecord) -> String {
        let scalars = Array(r.document.text.unicodeScalars)
        let limit = min(scalars.count, maxTextScalars)
        guard limit > 0 else { return "<span class=\"dim\">(no text)</span>" }
        func slice(_ a: Int, _ b: Int) -> String {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: scalars[a..<b])
            return Self.escape(String(v))
        }
        var out = "", at = 0
        for e in r.entities.sorted(by: { ($0.start, -$0.end) < ($1.start, -$1.end) }) {
            guard e.start >= at, e.start < e.end, e.end <= limit else { continue }
            out += slice(at, e.start)
            out += "<mark class=\"t-\(e.type.rawValue)\" title=\"\(e.type.rawValue) \(String(format: "%.2f", e.score))\">\(slice(e.start, e.end))<sup>\(e.type.rawValue)</sup></mark>"
            at = e.end
        }
        out += slice(at, limit)
        if limit < scalars.count { out += "<span class=\"dim\"> … (\(scalars.count - limit) more characters in records.jsonl)</span>" }
        return out
    }

    /// Text safe inside elements and double- or single-quoted attributes.
    public static func escape(_ s: String) -> String {
        // Most text has nothing to escape (and the five characters are ASCII, so bytes can say so).
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// An id attribute value: `doc-` then the id with anything but [A-Za-z0-9_-] as `.XX` hex.
    static func anchor(_ id: String) -> String {
        var out = "doc-"
        for b in id.utf8 {
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += String(format: ".%02X", b)
            }
        }
        return out
    }

    static let css = """
    body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1100px;padding:24px;color:#1d2330;background:#f6f7f9}
    h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid #dde1e7;padding-bottom:4px}
    h3{font-size:16px;margin:0 0 4px}h4{font-size:14px;margin:12px 0 4px}code{font-family:ui-monospace,Menlo,monospace;font-size:13px}
    .meta,.note,.dim{color:#5b6475;font-size:13px}.cards{display:flex;flex-wrap:wrap;gap:10px;margin-top:16px}
    .card{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:10px 14px;min-width:96px}
    .card .value{font-size:22px;font-weight:600}.card .label{color:#5b6475;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
    .card.ok .value{color:#1a7f37}.card.bad .value{color:#c62828}.fatal{background:#fdecea;border:1px solid #f5c2c0;padding:8px 12px;border-radius:6px}
    .chart{max-width:100%;height:auto;background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:8px}.chart .lbl,.chart .val{font-size:12px;fill:#1d2330}
    .chart .bar{fill:#3b6fd8}.chart .bar.check{fill:#8a94a6}
    table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}th,td{border:1px solid #dde1e7;padding:4px 8px;text-align:left;vertical-align:top}
    th{background:#eef1f5}.kind{font-family:ui-monospace,monospace;background:#fdecea;color:#8e1c1c;padding:0 4px;border-radius:3px}
    .doc{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:12px 16px;margin:12px 0}.doc.failed{border-left:4px solid #c62828}
    .badge{font-size:11px;padding:1px 6px;border-radius:10px;vertical-align:middle;color:#fff}.badge.ok{background:#1a7f37}.badge.bad{background:#c62828}
    .text{white-space:pre-wrap;word-wrap:break-word;background:#fbfbfc;border:1px solid #eceef2;border-radius:6px;padding:10px;max-height:420px;overflow:auto;font-size:14px}
    mark{background:#fff3b0;border-radius:3px;padding:0 2px}mark sup{font-size:9px;color:#5b6475;margin-left:2px}
    mark.t-PERSON{background:#ffd8d8}mark.t-EMAIL,mark.t-URL{background:#d8ecff}mark.t-PHONE{background:#e2d8ff}mark.t-ADDRESS,mark.t-LOCATION{background:#d8ffe4}
    mark.t-DATE{background:#ffe9cc}mark.t-ORGANIZATION{background:#e0f4f4}
    .tag{font-size:11px;font-family:ui-monospace,monospace;background:#eef1f5;padding:0 4px;border-radius:3px}
    .status,.sev{font-size:11px;padding:0 5px;border-radius:3px;background:#eef1f5}.s-met{background:#d7f5df}.s-unmet{background:#fdecea}
    .sev.error{background:#fdecea}.sev.warning{background:#fff3d6}
    pre{white-space:pre-wrap;background:#fbfbfc;border:1px solid #eceef2;padding:8px;border-radius:6px;font-size:12px}
    footer{margin-top:32px;color:#5b6475;font-size:12px}
    """
}
