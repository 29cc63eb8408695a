import Foundation
import VaporCSQLite

/// The single writer for SQLite's hot paths (draft saves, `drs import`): one connection on one dedicated thread,
/// prepared statements, and group commit — every save queued while a transaction runs is written in
/// the next one. Each save reads its row inside that transaction, decides (on this thread) what to
/// write, and writes it: no other connection can slip in between, and the request needs no async read
/// of its own (each one through the async driver costs several thread hand-offs and a reflective
/// decode). Values are encoded as Fluent's SQLite driver does (UUID as text, Date as seconds since
/// 1970, text columns as UTF-8), so both read the same rows.
public final class SQLiteWriter: @unchecked Sendable {
    /// What a save writes: the row's new figures, status and version, and its audit lines.
    public struct RowUpdate: Sendable {
        public var cells: String
        public var explanations: String
        public var answers: String
        public var status: String
        public var version: Int
        public var at: Date
        public var audit: [AuditLine]
        /// Sets `submitted_at` to `at` where it is still empty (an import of submitted or verified figures).
        public var stampsSubmission = false
    }

    /// What an import writes where its unit, form and year have no row yet.
    public struct NewRow: Sendable {
        public var id: UUID
        public var unitID: UUID
        public var formID: String
        public var year: Int
        public var cells: String
        public var explanations: String
        public var answers: String
        public var status: String
        public var submittedAt: Date?
        public var at: Date
        public var audit: [AuditLine]
    }

    /// What a job writes once decided: the row it read changed, or a new row.
    public enum Write: Sendable {
        case update(RowUpdate)
        case insert(NewRow)
    }

    /// The row a job reads: by its id (a save), or by unit, form and year (an import).
    private enum RowKey {
        case id(UUID)
        case slot(unit: UUID, form: String, year: Int)
    }

    /// One queued save. `decide` runs on the writer thread inside the transaction and returns the
    /// update to write (nil: nothing) with how to report the save once the batch is committed; the
    /// outcome travels in that closure, so nothing is shared between the threads. `failed` reports
    /// the error that rolled the batch back instead.
    private struct Job {
        var key: RowKey
        var decide: (SubmissionRow?) -> (write: Write?, committed: () -> Void)
        var failed: (any Error) -> Void
    }

    private var db: OpaquePointer?
    private var select: OpaquePointer?
    private var selectSlot: OpaquePointer?
    private var update: OpaquePointer?
    private var insertRow: OpaquePointer?
    private var insert: OpaquePointer?
    private var begin: OpaquePointer?
    private var commitStatement: OpaquePointer?
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var thread: Thread?
    private var stopping = false
    /// Callers waiting for the writer to stop between batches (`WriteGate`), and whether it is stopped.
    private var holdRequests: [CheckedContinuation<Void, Never>] = []
    private var held = false

    public init(path: String) throws {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        guard sqlite_nio_sqlite3_open_v2(path, &db, flags, nil) == SQLITE_OK else { throw WriterError(message: "无法打开数据库 \(path)") }
        try exec("PRAGMA busy_timeout=5000")
        try exec("PRAGMA synchronous=NORMAL")
        // Checkpoints stay SQLite's automatic ones (every 1,000 pages, on this connection): measured
        // against a background checkpointing connection, the tail latency was the same, and the log
        // can only start over when the writer itself completes a checkpoint.
        select = try prepare("SELECT id, unit_id, status, version, cells, explanations, answers FROM submissions WHERE id = ?1")
        selectSlot = try prepare("""
            SELECT id, unit_id, status, version, cells, explanations, answers FROM submissions
            WHERE unit_id = ?1 AND form_id = ?2 AND year = ?3
            """)
        update = try prepare("""
            UPDATE submissions SET cells = ?1, explanations = ?2, answers = ?3, version = ?4, status = ?5, updated_at = ?6,
            submitted_at = CASE WHEN ?9 = 1 THEN coalesce(submitted_at, ?6) ELSE submitted_at END
            WHERE id = ?7 AND version = ?8
            """)
        insertRow = try prepare("""
            INSERT INTO submissions (id, unit_id, form_id, year, status, version, cells, answers, explanations, return_reason, submitted_at, updated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?8, NULL, ?9, ?10)
            """)
        insert = try prepare("""
            INSERT INTO audit_events (id, at, user_id, username, address, kind, submission_id, unit_id, cell, old_value, new_value, detail)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
            """)
        begin = try prepare("BEGIN IMMEDIATE")
        commitStatement = try prepare("COMMIT")
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "drs-sqlite-writer"
        self.thread = thread
        thread.start()
    }

    public struct WriterError: Error, CustomStringConvertible {
        var message: String
        public var description: String { message }
    }

    /// Reads submission `id` in the writer's transaction and hands it to `decide`, which returns the
    /// update to write (nil: nothing) and the caller's result, or throws to refuse the save (nothing
    /// written for it; the other saves of the batch are not affected). Returns once committed.
    public func save<R: Sendable>(_ id: UUID, decide: @escaping @Sendable (SubmissionRow?) throws -> (RowUpdate?, R)) async throws -> R {
        try await enqueue(.id(id)) { row in
            let (update, result) = try decide(row)
            return (update.map(Write.update), result)
        }
    }

    /// Reads the rows of `slots` (unit, form and year; nil where there is none yet) in the writer's
    /// transaction and hands each to `decide`, which returns what to write (an update of that row, or
    /// a new row) and the caller's result. The jobs are queued all at once and in order, so they go in
    /// one transaction (`drs import` queues a window of files); returns the results in order once
    /// committed.
    public func importRows<R: Sendable>(_ slots: [(unit: UUID, form: String, year: Int)],
                                        decide: @escaping @Sendable (Int, SubmissionRow?) -> (Write?, R)) async throws -> [R] {
        guard !slots.isEmpty else { return [] }
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[R], Error>) in
            // Touched only on the writer thread, which reports a batch's jobs in queue order once committed.
            let collected = Collected<R>()
            let jobs = slots.enumerated().map { i, slot in
                Job(key: .slot(unit: slot.unit, form: slot.form, year: slot.year), decide: { row in
                    let (write, result) = decide(i, row)
                    return (write, {
                        collected.results.append(result)
                        if collected.results.count == slots.count, !collected.finished {
                            collected.finished = true
                            continuation.resume(returning: collected.results)
                        }
                    })
                }, failed: { error in
                    guard !collected.finished else { return }
                    collected.finished = true
                    continuation.resume(throwing: error)
                })
            }
            condition.lock()
            queue.append(contentsOf: jobs)
            condition.signal()
            condition.unlock()
        }
    }

    private final class Collected<R>: @unchecked Sendable {
        var results: [R] = []
        var finished = false
    }

    private func enqueue<R: Sendable>(_ key: RowKey, decide: @escaping @Sendable (SubmissionRow?) throws -> (Write?, R)) async throws -> R {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<R, Error>) in
            let job = Job(key: key, decide: { row in
                do {
                    let (write, result) = try decide(row)
                    return (write, { continuation.resume(returning: result) })
                } catch {
                    return (nil, { continuation.resume(throwing: error) })
                }
            }, failed: { continuation.resume(throwing: $0) })
            condition.lock()
            queue.append(job)
            condition.signal()
            condition.unlock()
        }
    }

    /// Returns once the writer is between two batches and stays there until `releaseHold()`: a
    /// transaction on another connection then runs with no commit of the writer's beside it.
    public func holdBetweenBatches() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if stopping {
                condition.unlock()
                continuation.resume()
                return
            }
            holdRequests.append(continuation)
            condition.signal()
            condition.unlock()
        }
    }

    public func releaseHold() {
        condition.lock()
        held = false
        condition.signal()
        condition.unlock()
    }

    public func close() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
        while thread?.isFinished == false { usleep(1000) }
        for statement in [select, selectSlot, update, insertRow, insert, begin, commitStatement] { sqlite_nio_sqlite3_finalize(statement) }
        sqlite_nio_sqlite3_close_v2(db)
    }

    private func loop() {
        while true {
            condition.lock()
            while queue.isEmpty && holdRequests.isEmpty && !stopping { condition.wait() }
            if !holdRequests.isEmpty {
                waitWhileHeld()
                continue
            }
            if queue.isEmpty && stopping { condition.unlock(); return }
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            condition.unlock()
            switch commit(batch) {
            case .success(let reports): for report in reports { report() }
            case .failure(let error): for job in batch { job.failed(error) }
            }
        }
    }

    /// Called with the lock held; returns with it released, once the hold is over (or the writer stops).
    private func waitWhileHeld() {
        held = true
        let requests = holdRequests
        holdRequests.removeAll()
        condition.unlock()
        for request in requests { request.resume() }
        condition.lock()
        while held && !stopping { condition.wait() }
        condition.unlock()
    }

    /// One transaction for the whole batch. A save refused by its `decide` writes nothing; a database
    /// error rolls the whole batch back and fails every save in it. Returns, once committed, how to
    /// report each save.
    private func commit(_ jobs: [Job]) -> Result<[() -> Void], any Error> {
        do {
            try run(begin, [])
            var reports: [() -> Void] = []
            for job in jobs {
                let row = try read(job.key)
                let (decided, committed) = job.decide(row)
                reports.append(committed)
                switch decided {
                case nil: continue
                case .update(let change):
                    guard let row else { throw WriterError(message: "要更新的报表不存在") }
                    let at = Value.real(change.at.timeIntervalSince1970)
                    try run(update, [.text(change.cells), .text(change.explanations), .text(change.answers), .int(change.version),
                                     .text(change.status), at, .text(row.id.uuidString), .int(change.version - 1), .int(change.stampsSubmission ? 1 : 0)])
                    guard sqlite_nio_sqlite3_changes(db) == 1 else { throw WriterError(message: "版本号在事务中发生变化") }
                    try insertAudit(change.audit, at: change.at)
                case .insert(let new):
                    try run(insertRow, [.text(new.id.uuidString), .text(new.unitID.uuidString), .text(new.formID), .int(new.year),
                                        .text(new.status), .text(new.cells), .text(new.answers), .text(new.explanations),
                                        new.submittedAt.map { .real($0.timeIntervalSince1970) } ?? .optionalText(nil),
                                        .real(new.at.timeIntervalSince1970)])
                    try insertAudit(new.audit, at: new.at)
                }
            }
            try run(commitStatement, [])
            return .success(reports)
        } catch {
            _ = try? exec("ROLLBACK")
            return .failure(error)
        }
    }

    private func insertAudit(_ lines: [AuditLine], at date: Date) throws {
        let at = Value.real(date.timeIntervalSince1970)
        for line in lines {
            try run(insert, [.text(TimeOrderedID.make(at: date).uuidString), at, .optionalText(line.userID?.uuidString),
                             .text(line.username), .text(line.address), .text(line.kind), .optionalText(line.submissionID?.uuidString),
                             .optionalText(line.unitID?.uuidString), .optionalText(line.cell), .optionalText(line.old),
                             .optionalText(line.new), .text(line.detail)])
        }
    }

    private func read(_ key: RowKey) throws -> SubmissionRow? {
        let statement: OpaquePointer?
        switch key {
        case .id(let id):
            statement = select
            try bind(statement, [.text(id.uuidString)])
        case .slot(let unit, let form, let year):
            statement = selectSlot
            try bind(statement, [.text(unit.uuidString), .text(form), .int(year)])
        }
        defer { sqlite_nio_sqlite3_reset(statement) }
        switch sqlite_nio_sqlite3_step(statement) {
        case SQLITE_ROW:
            func text(_ column: Int32) -> String {
                guard let bytes = sqlite_nio_sqlite3_column_text(statement, column) else { return "" }
                return String(cString: bytes)
            }
            guard let id = UUID(uuidString: text(0)) else { throw WriterError(message: "报表编号无法读取：\(text(0))") }
            return SubmissionRow(id: id, unitID: UUID(uuidString: text(1)), status: text(2),
                                 version: Int(sqlite_nio_sqlite3_column_int64(statement, 3)),
                                 cells: text(4), explanations: text(5), answers: text(6))
        case SQLITE_DONE: return nil
        default: throw WriterError(message: String(cString: sqlite_nio_sqlite3_errmsg(db)))
        }
    }

    private enum Value {
        case text(String), optionalText(String?), int(Int), real(Double)
    }

    private func bind(_ statement: OpaquePointer?, _ values: [Value]) throws {
        sqlite_nio_sqlite3_reset(statement)
        sqlite_nio_sqlite3_clear_bindings(statement)
        // SQLITE_TRANSIENT: SQLite copies the text before the Swift string goes away.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            switch value {
            case .text(let s): sqlite_nio_sqlite3_bind_text(statement, index, s, -1, transient)
            case .optionalText(let s?): sqlite_nio_sqlite3_bind_text(statement, index, s, -1, transient)
            case .optionalText(nil): sqlite_nio_sqlite3_bind_null(statement, index)
            case .int(let n): sqlite_nio_sqlite3_bind_int64(statement, index, Int64(n))
            case .real(let d): sqlite_nio_sqlite3_bind_double(statement, index, d)
            }
        }
    }

    private func run(_ statement: OpaquePointer?, _ values: [Value]) throws {
        try bind(statement, values)
        let rc = sqlite_nio_sqlite3_step(statement)
        sqlite_nio_sqlite3_reset(statement)
        guard rc == SQLITE_DONE else { throw WriterError(message: String(cString: sqlite_nio_sqlite3_errmsg(db))) }
    }

    private func exec(_ sql: String) throws {
        guard sqlite_nio_sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw WriterError(message: String(cString: sqlite_nio_sqlite3_errmsg(db)))
        }
    }

    private func prepare(_ sql: String) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else {
            throw WriterError(message: String(cString: sqlite_nio_sqlite3_errmsg(db)))
        }
        return statement
    }
}
