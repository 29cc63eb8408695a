import FluentKit
import Foundation
import SQLKit

/// Bulk-import jobs in the database: the files posted, each file's result once imported, and a lease
/// naming the worker that holds the job. Any instance's worker takes up a job whose lease has lapsed
/// (its instance stopped or died), so a job is never lost with an instance; a job is only ever worked
/// by one worker at a time (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: one writer).
///
/// A file's import and the record of its result are separate transactions: a worker stopped between
/// the two leaves the file to its successor, which finds it already in (`unchanged`), never twice.
public struct ImportJobStore: Sendable {
    public static let jobs = "import_jobs"
    public static let files = "import_job_files"

    let database: any Database
    let gate: WriteGate?

    public init(database: any Database, gate: WriteGate?) {
        self.database = database
        self.gate = gate
    }

    public struct Job: Sendable {
        public var id: UUID
        public var ownerID: UUID
        public var ownerName: String
        public var address: String
        public var importStatus: String
        public var total: Int
        public var createdAt: Date
        public var finishedAt: Date?
    }

    public struct FileResult: Sendable, Equatable {
        public var name: String
        public var outcome: String
        public var unit: String?
        public var form: String?
        public var reasons: [String]

        public init(name: String, outcome: String, unit: String?, form: String?, reasons: [String]) {
            self.name = name
            self.outcome = outcome
            self.unit = unit
            self.form = form
            self.reasons = reasons
        }
    }

    var lease: JobLease { JobLease(table: Self.jobs, oldestFirst: "created_at", database: database, gate: gate) }

    var sql: any SQLDatabase {
        get throws {
            guard let sql = database as? any SQLDatabase else { throw Unsupported() }
            return sql
        }
    }

    struct Unsupported: Error, CustomStringConvertible {
        var description: String { "导入任务需要 SQL 数据库" }
    }

    /// Stores a new job and its files in one transaction; the job's id.
    public func create(ownerID: UUID, ownerName: String, address: String, importStatus: String,
                       files: [(name: String, bytes: [UInt8])], now: Date) async throws -> UUID {
        let id = UUID(), db = database
        try await gate.run {
            try await db.transaction { tx in
                guard let sql = tx as? any SQLDatabase else { throw Unsupported() }
                try await sql.insert(into: Self.jobs)
                    .columns("id", "owner_id", "owner_name", "address", "import_status", "total", "created_at")
                    .values(SQLBind(id), SQLBind(ownerID), SQLBind(ownerName), SQLBind(address), SQLBind(importStatus),
                            SQLBind(files.count), SQLBind(now.timeIntervalSince1970))
                    .run()
                for (seq, file) in files.enumerated() {
                    try await sql.insert(into: Self.files).columns("id", "job_id", "seq", "name", "bytes")
                        .values(SQLBind(UUID()), SQLBind(id), SQLBind(seq), SQLBind(file.name), SQLBind(Data(file.bytes)))
                        .run()
                }
            }
        }
        return id
    }

    /// Takes the oldest open job that no live worker holds (or that `worker` holds already) until
    /// `until`; nil when there is none.
    public func claim(worker: String, now: Date, until: Date) async throws -> UUID? {
        try await lease.claim(worker: worker, now: now, until: until)
    }

    /// Extends `worker`'s lease; false when the job is no longer its own (taken over, or finished).
    public func renew(_ job: UUID, worker: String, until: Date) async throws -> Bool {
        try await lease.renew(job, worker: worker, until: until)
    }

    /// The job's next file not yet imported, with its bytes.
    public func nextFile(_ job: UUID) async throws -> (id: UUID, name: String, bytes: [UInt8])? {
        guard let row = try await sql.raw("""
            SELECT id, name, bytes FROM import_job_files WHERE job_id = \(bind: job) AND done_at IS NULL ORDER BY seq LIMIT 1
            """).first() else { return nil }
        return (try row.decode(column: "id", as: UUID.self), try row.decode(column: "name", as: String.self),
                Array(try row.decode(column: "bytes", as: Data.self)))
    }

    /// Records a file's result (the first record stands) and lets go of its bytes.
    public func record(_ file: UUID, _ result: FileResult, now: Date) async throws {
        let sql = try self.sql
        let reasons = String(decoding: try JSONEncoder().encode(result.reasons), as: UTF8.self)
        try await gate.run {
            try await sql.raw("""
                UPDATE import_job_files SET outcome = \(bind: result.outcome), unit = \(bind: result.unit), form = \(bind: result.form),
                reasons = \(bind: reasons), done_at = \(bind: now.timeIntervalSince1970), bytes = \(bind: Data())
                WHERE id = \(bind: file) AND done_at IS NULL
                """).run()
        }
    }

    /// Marks the job finished (by its worker).
    public func finish(_ job: UUID, worker: String, now: Date) async throws { try await lease.finish(job, worker: worker, now: now) }
}
