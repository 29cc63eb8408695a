import Foundation
import VaporCSQLite

/// The single writer for SQLite's hot path (draft saves): one connection on one dedicated thread,
/// prepared statements, and group commit — every save queued while a transaction runs is written in
/// the next one. Going through the async driver, each statement costs several thread hand-offs; here a
/// save is two statement executions in a loop. Values are encoded as Fluent's SQLite driver does
/// (UUID as text, Date as seconds since 1970, text columns as UTF-8), so both read the same rows.
public final class SQLiteWriter: @unchecked Sendable {
    /// One save: the versioned update and its audit lines.
    public struct Job: Sendable {
        public var id: UUID
        public var expectedVersion: Int
        public var cells: String
        public var explanations: String
        public var answers: String
        public var status: String
        public var at: Date
        public var audit: [AuditLine]
    }

    public struct AuditLine: Sendable {
        var userID: UUID?
        var username: String
        var address: String
        var kind: String
        var submissionID: UUID?
        var unitID: UUID?
        var cell: String?
        var old: String?
        var new: String?
        var detail: String
    }

    public enum Outcome: Sendable { case saved, conflict, failed(String) }

    private var db: OpaquePointer?
    private var update: OpaquePointer?
    private var insert: OpaquePointer?
    private let condition = NSCondition()
    private var queue: [(Job, CheckedContinuation<Outcome, Never>)] = []
    private var thread: Thread?
    private var stopping = false

    public init(path: String) throws {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        guard sqlite_nio_sqlite3_open_v2(path, &db, flags, nil) == SQLITE_OK else { throw WriterError(message: "无法打开数据库 \(path)") }
        try exec("PRAGMA busy_timeout=5000")
        try exec("PRAGMA synchronous=NORMAL")
        update = try prepare("""
            UPDATE submissions SET cells = ?1, explanations = ?2, answers = ?3, version = ?4, status = ?5, updated_at = ?6
            WHERE id = ?7 AND version = ?8
            """)
        insert = try prepare("""
            INSERT INTO audit_events (id, at, user_id, username, address, kind, submission_id, unit_id, cell, old_value, new_value, detail)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
            """)
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "drs-sqlite-writer"
        self.thread = thread
        thread.start()
    }

    public struct WriterError: Error, CustomStringConvertible {
        var message: String
        public var description: String { message }
    }

    /// Writes a save; returns when it is committed (or refused because the version moved on).
    public func write(_ job: Job) async -> Outcome {
        await withCheckedContinuation { continuation in
            condition.lock()
            queue.append((job, continuation))
            condition.signal()
            condition.unlock()
        }
    }

    public func close() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
        while thread?.isFinished == false { usleep(1000) }
        sqlite_nio_sqlite3_finalize(update)
        sqlite_nio_sqlite3_finalize(insert)
        sqlite_nio_sqlite3_close_v2(db)
    }

    private func loop() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty && stopping { condition.unlock(); return }
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            condition.unlock()
            let outcomes = commit(batch.map(\.0))
            for (i, (_, continuation)) in batch.enumerated() { continuation.resume(returning: outcomes[i]) }
        }
    }

    /// One transaction for the whole batch; a save whose version moved on is skipped, the rest commit.
    private func commit(_ jobs: [Job]) -> [Outcome] {
        do {
            try exec("BEGIN IMMEDIATE")
            var outcomes: [Outcome] = []
            for job in jobs {
                try run(update, [.text(job.cells), .text(job.explanations), .text(job.answers), .int(job.expectedVersion + 1),
                                 .text(job.status), .real(job.at.timeIntervalSince1970), .text(job.id.uuidString), .int(job.expectedVersion)])
                guard sqlite_nio_sqlite3_changes(db) == 1 else { outcomes.append(.conflict); continue }
                for line in job.audit {
                    try run(insert, [.text(UUID().uuidString), .real(job.at.timeIntervalSince1970), .optionalText(line.userID?.uuidString),
                                     .text(line.username), .text(line.address), .text(line.kind), .optionalText(line.submissionID?.uuidString),
                                     .optionalText(line.unitID?.uuidString), .optionalText(line.cell), .optionalText(line.old),
                                     .optionalText(line.new), .text(line.detail)])
                }
                outcomes.append(.saved)
            }
            try exec("COMMIT")
            return outcomes
        } catch {
            _ = try? exec("ROLLBACK")
            return jobs.map { _ in .failed("\(error)") }
        }
    }

    private enum Value {
        case text(String), optionalText(String?), int(Int), real(Double)
    }

    private func run(_ statement: OpaquePointer?, _ values: [Value]) throws {
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
        let rc = sqlite_nio_sqlite3_step(statement)
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
