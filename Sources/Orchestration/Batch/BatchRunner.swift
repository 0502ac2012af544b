import Canonical
import Foundation
import Inference

/// Runs a chain's `DocumentProcessor` over a lazily read input into an output folder, resumably.
///
/// Memory stays bounded: at most `concurrency` batches of `batchSize` documents are in flight; the input is read
/// one item at a time. Each batch goes to the processor in one call (so model calls batch across documents),
/// then one serial writer queue validates its records, commits them and their states to the `Ledger` and appends
/// them to `records.jsonl` (see `RecordsFile` for the exactly-once argument), while the worker that ran the batch
/// starts on its next one: writing overlaps forward passes even at concurrency 1.
public final class BatchRunner: @unchecked Sendable {  // mutable state is guarded by `stateLock`/`readLock`
    public struct Options: Sendable {
        public var batchSize: Int
        public var concurrency: Int
        public var retryFailed: Bool
        public var maxDocumentBytes: Int

        public init(batchSize: Int = 16, concurrency: Int = 1, retryFailed: Bool = false, maxDocumentBytes: Int = 1 << 20) {
            self.batchSize = max(1, batchSize); self.concurrency = max(1, concurrency)
            self.retryFailed = retryFailed; self.maxDocumentBytes = maxDocumentBytes
        }
    }

    /// What a run did.
    public struct Outcome: Sendable {
        public var progress: BatchProgress
        public var rerun: RerunPlan
        /// Documents per state in the ledger after the run (what `records.jsonl` holds: done + failed).
        public var counts: [Ledger.State: Int]
        /// Ids seen twice in the input (first 100).
        public var duplicateIDs: [String]
        public var startedAt: Date
        public var finishedAt: Date
        /// Set when the run stopped early because the processor could not run at all.
        public var fatal: String?

        public var failedTotal: Int { counts[.failed] ?? 0 }
        public var doneTotal: Int { counts[.done] ?? 0 }
    }

    public let processor: any DocumentProcessor
    public let fingerprint: ChainFingerprint
    public let outDir: URL
    public let options: Options
    public let ledger: Ledger
    public let records: RecordsFile
    /// Called after every committed batch (from a worker thread).
    public var onCommit: (@Sendable (BatchProgress) -> Void)?

    private let screen: DocumentScreen
    private let validator: JSONSchema
    private let stateLock = NSLock()
    /// Writes committed batches in the order workers hand them over (see `write`).
    private let writer = DispatchQueue(label: "franca.batch.writer")
    private let writeSlots: DispatchSemaphore
    private let readLock = NSLock()
    private var progress = BatchProgress()
    private var start = Date()
    private var fatal: String?
    private var replaced = 0
    private var entries: [String: Ledger.Entry] = [:]
    private var seen = Set<String>()
    private var duplicateIDs: [String] = []
    private var tally: RunTally?

    /// True when the last `run` gathered what `summary.json` and `report.html` need as it went, so `RunOutputs`
    /// need not read the records back from the ledger.
    public var hasGatheredOutputs: Bool { finishedTally != nil }

    /// What summary and report need, gathered during the last `run` (nil before it, or when a commit replaced an
    /// earlier record and the ledger must be read again).
    var finishedTally: RunTally? {
        stateLock.lock(); defer { stateLock.unlock() }
        return tally.flatMap { $0.isValid ? $0 : nil }
    }

    /// Opens (or creates) the output folder and its ledger; refuses a folder holding another chain's run.
    public init(processor: any DocumentProcessor, fingerprint: ChainFingerprint, outDir: URL, options: Options = Options()) throws {
        self.processor = processor
        self.fingerprint = fingerprint
        self.outDir = outDir
        self.options = options
        do {
            try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true)
        } catch {
            throw BatchError.io(path: outDir.path, operation: "create", reason: "\(error)")
        }
        ledger = try Ledger(url: outDir.appendingPathComponent(Ledger.fileName))
        if let chain = try ledger.meta("chain"), chain != fingerprint.chain {
            throw BatchError.otherChain(path: outDir.path, ledgerChain: chain, chain: fingerprint.chain)
        }
        records = RecordsFile(url: outDir.appendingPathComponent(RecordsFile.fileName))
        screen = DocumentScreen(maxDocumentBytes: options.maxDocumentBytes)
        writeSlots = DispatchSemaphore(value: options.concurrency)
        do { validator = try JSONSchema.canonical() } catch {
            throw BatchError.processorContract("the built-in canonical schema does not compile: \(error)")
        }
    }

    /// The latest progress (safe from any thread, e.g. a timer printing progress events).
    public func snapshot() -> BatchProgress {
        stateLock.lock(); defer { stateLock.unlock() }
        var p = progress
        p.elapsed = Date().timeIntervalSince(start)
        return p
    }

    /// The previous run's fingerprint recorded in the ledger, if any.
    public func previousFingerprint() throws -> ChainFingerprint? {
        guard let text = try ledger.meta("fingerprint"), let value = try? JSONValue.parse(text) else { return nil }
        return try? ChainFingerprint(json: value)
    }

    /// Works out what must run again (call before `run`; `run` calls it itself when not done yet).
    public func plan() throws -> RerunPlan {
        entries = try ledger.entries()
        let plan = RerunPlan(entries: entries, fingerprint: fingerprint, previous: try previousFingerprint(), retryFailed: options.retryFailed)
        try ledger.markPending(plan.ids)
        for id in plan.ids { entries[id]?.state = .pending }
        try ledger.setMeta(["chain": fingerprint.chain, "fingerprint": try fingerprint.jsonValue().serialized()])
        planned = plan
        return plan
    }
    private var planned: RerunPlan?

    /// Runs every document of `input` not already finished under this fingerprint.
    public func run(input: any BatchInputSource) throws -> Outcome {
        let startedAt = Date()
        start = startedAt
        let plan = try planned ?? self.plan()
        try records.rebuild(from: ledger)
        var startTally = RunTally(fingerprint: fingerprint)
        try startTally.addCommitted(in: ledger)
        stateLock.lock(); progress.expected = input.expectedCount; tally = startTally; stateLock.unlock()

        if options.concurrency == 1 {
            work(input)
        } else {
            let group = DispatchGroup()
            for _ in 0..<options.concurrency {
                group.enter()
                let thread = Thread { [self] in
                    work(input)
                    group.leave()
                }
                thread.stackSize = 8 << 20
                thread.start()
            }
            group.wait()
        }
        writer.sync {}  // the last batches' writes
        records.close()
        stateLock.lock()
        let mustRebuild = replaced > 0 || fatal != nil
        stateLock.unlock()
        if mustRebuild { try records.rebuild(from: ledger) }
        var final = snapshot()
        final.finished = true
        stateLock.lock(); progress = final; stateLock.unlock()
        return Outcome(progress: final, rerun: plan, counts: try ledger.counts(), duplicateIDs: duplicateIDs,
                       startedAt: startedAt, finishedAt: Date(), fatal: fatal)
    }

    // MARK: Workers

    /// One screened input item waiting in a batch.
    private struct Pending {
        var contentHash: String
        var verdict: DocumentScreen.Verdict
    }

    private func work(_ input: any BatchInputSource) {
        while true {
            let batch: [Pending]
            do {
                guard let next = try nextBatch(input) else { return }
                batch = next
            } catch {
                stop("\(error)")
                return
            }
            do {
                try run(batch)
            } catch {
                stop("\(error)")
                return
            }
        }
    }

    private func stop(_ message: String) {
        stateLock.lock()
        if fatal == nil { fatal = message }
        stateLock.unlock()
    }

    private var isStopped: Bool {
        stateLock.lock(); defer { stateLock.unlock() }
        return fatal != nil
    }

    /// Reads items until `batchSize` documents need running (skipping finished ones); nil at the end of input.
    private func nextBatch(_ input: any BatchInputSource) throws -> [Pending]? {
        readLock.lock(); defer { readLock.unlock() }
        var batch: [Pending] = []
        while batch.count < options.batchSize, !isStopped {
            guard let item = try input.next() else { break }
            let hash = Self.contentHash(item)
            stateLock.lock()
            progress.read += 1
            if seen.contains(item.id) {
                progress.duplicates += 1
                if duplicateIDs.count < 100 { duplicateIDs.append(item.id) }
                stateLock.unlock()
                continue
            }
            seen.insert(item.id)
            if let e = entries[item.id], e.state != .pending, e.contentHash == hash {
                progress.skipped += 1
                stateLock.unlock()
                continue
            }
            stateLock.unlock()
            batch.append(Pending(contentHash: hash, verdict: screen.screen(item)))
        }
        return batch.isEmpty ? nil : batch
    }

    private func run(_ batch: [Pending]) throws {
        let documents = batch.compactMap { p -> Document? in if case .accepted(let d) = p.verdict { return d } else { return nil } }
        try ledger.notePending(documents.map(\.id))
        var produced: [CanonicalRecord] = []
        if !documents.isEmpty {
            do { produced = try processor.process(documents) } catch { throw BatchError.processor("\(error)") }
            guard produced.count == documents.count else {
                throw BatchError.processorContract("the processor returned \(produced.count) records for \(documents.count) documents")
            }
        }
        // Lines, ledger commit and records.jsonl happen on the writer queue while this worker goes on to its next
        // batch (its forward passes overlap them); at most `concurrency` batches wait there, so memory stays bounded.
        writeSlots.wait()
        if isStopped {  // an earlier write failed: this batch stays pending for the next run, like an unread one
            writeSlots.signal()
            return
        }
        writer.async { [self, produced] in
            defer { writeSlots.signal() }
            do { try write(batch, produced: produced) } catch { stop("\(error)") }
        }
    }

    /// Builds the batch's lines and commits them: ledger first, then `records.jsonl` (runs on `writer`).
    private func write(_ batch: [Pending], produced: [CanonicalRecord]) throws {
        var next = 0
        let finished = try batch.map { p -> (Ledger.Completion, CanonicalRecord) in
            switch p.verdict {
            case let .rejected(record, kind):
                let entry = Ledger.Entry(id: record.document.id, state: .failed, contentHash: p.contentHash, fingerprint: fingerprint.hash,
                                         chainFileHash: "", stepHashes: [:], errorKind: kind, errorMessage: record.errors.first?.message)
                let (text, _, holds) = try line(record, document: record.document)
                return (Ledger.Completion(entry: entry, line: text), holds)
            case .accepted(let document):
                let record = produced[next]
                next += 1
                guard record.document.id == document.id else {
                    throw BatchError.processorContract("the processor returned a record for '\(record.document.id)' where '\(document.id)' was expected")
                }
                return try self.completion(record, document: document, contentHash: p.contentHash)
            }
        }
        let completions = finished.map(\.0)
        let written = finished.map(\.1)
        let failedCount = completions.count { $0.entry.state == .failed }
        stateLock.lock(); defer { stateLock.unlock() }
        // Commit, then append: the order the exactly-once argument in RecordsFile relies on.
        let replacedNow = try ledger.commit(completions)
        replaced += replacedNow
        if replacedNow > 0 { tally?.invalidate() } else { for r in written { tally?.add(r) } }
        if replacedNow == 0 { try records.append(completions.map(\.line)) }  // else the end-of-run rebuild writes them
        progress.processed += completions.count
        progress.failed += failedCount
        var p = progress
        p.elapsed = Date().timeIntervalSince(start)
        onCommit?(p)
    }

    /// The ledger completion for a produced record, and the record its line holds.
    private func completion(_ record: CanonicalRecord, document: Document,
                            contentHash: String) throws -> (Ledger.Completion, CanonicalRecord) {
        let ran = Set(record.provenance.map(\.step)).union(record.errors.map(\.step))
        var hashes: [String: String] = [:]
        for step in fingerprint.steps where ran.isEmpty || ran.contains(step.id) { hashes[step.id] = step.hash }
        // The line actually written may be a replacement (see `line`): take the state from what was written.
        let (text, errors, holds) = try line(record, document: document)
        let firstError = errors.first
        let entry = Ledger.Entry(id: document.id, state: firstError == nil ? .done : .failed, contentHash: contentHash,
                                 fingerprint: fingerprint.hash, chainFileHash: fingerprint.chainFileSHA256, stepHashes: hashes,
                                 errorKind: firstError?.kind, errorMessage: firstError?.message)
        return (Ledger.Completion(entry: entry, line: text), holds)
    }

    /// The record as a JSONL line that validates against the canonical schema. A record that does not validate is
    /// replaced by one holding only the document and an `invalid-record` error naming the first violation, so
    /// `records.jsonl` never holds an invalid line.
    /// Returns the line, the `errors[]` of the record it holds and that record.
    private func line(_ record: CanonicalRecord, document: Document) throws -> (String, [StepError], CanonicalRecord) {
        let json = try record.toJSONValue()
        let violations = validator.validate(json)
        guard let first = violations.first else { return (json.serialized(), record.errors, record) }
        var errors = record.errors
        errors.append(StepError(step: "batch", kind: "invalid-record",
                                message: "the chain produced a record that is not schema-valid (\(violations.count) problem\(violations.count == 1 ? "" : "s"), first: \(first))"))
        let replacement = CanonicalRecord(document: document, errors: errors)
        return (try replacement.toJSONValue().serialized(), errors, replacement)
    }

    static func contentHash(_ item: InputItem) -> String {
        switch item.content {
        case .bytes(let data): return SHA256.hexHash(data)
        case .oversized(let n): return "size:\(n)"
        case let .unreadable(kind, message): return SHA256.hexHash(Array("\(kind)\n\(message)".utf8))
        }
    }
}
