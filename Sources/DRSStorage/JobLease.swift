import FluentKit
import Foundation
import SQLKit

/// The lease by which one worker at a time holds a durable job (an import job, a 催报 run): the
/// table's `lease_owner`, `lease_until` and `finished_at` (seconds since 1970). Any instance's worker
/// takes up an unfinished job whose lease has lapsed (its instance stopped or died), so a job is never
/// lost with an instance; a live lease is never taken (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite:
/// one writer).
struct JobLease: Sendable {
    /// The jobs' table, and the column that orders them oldest first. Names from this module only.
    let table: String
    let oldestFirst: String
    let database: any Database
    let gate: WriteGate?

    var sql: any SQLDatabase {
        get throws {
            guard let sql = database as? any SQLDatabase else { throw SQLUnavailable() }
            return sql
        }
    }

    /// Takes the oldest unfinished job that no live worker holds (or that `worker` holds already)
    /// until `until`; nil when there is none.
    func claim(worker: String, now: Date, until: Date) async throws -> UUID? {
        let sql = try self.sql
        let lock: SQLQueryString = sql.dialect.name == "sqlite" ? "" : " FOR UPDATE SKIP LOCKED"
        return try await gate.run {
            try await sql.raw("""
                UPDATE \(ident: table) SET lease_owner = \(bind: worker), lease_until = \(bind: until.timeIntervalSince1970)
                WHERE id = (SELECT id FROM \(ident: table) WHERE finished_at IS NULL
                            AND (lease_until IS NULL OR lease_until < \(bind: now.timeIntervalSince1970) OR lease_owner = \(bind: worker))
                            ORDER BY \(ident: oldestFirst) LIMIT 1\(lock))
                RETURNING id
                """).first()?.decode(column: "id", as: UUID.self)
        }
    }

    /// Extends `worker`'s lease; false when the job is no longer its own (taken over, or finished).
    func renew(_ job: UUID, worker: String, until: Date) async throws -> Bool {
        let sql = try self.sql
        return try await gate.run {
            try await sql.raw("""
                UPDATE \(ident: table) SET lease_until = \(bind: until.timeIntervalSince1970)
                WHERE id = \(bind: job) AND lease_owner = \(bind: worker) AND finished_at IS NULL RETURNING id
                """).first() != nil
        }
    }

    /// Unfinished jobs and their items (`items`, joined by `jobColumn`): how many jobs, how many
    /// items are done (`doneColumn` set) and how many in all, for `/metrics`.
    func openProgress(items: String, jobColumn: String, doneColumn: String) async throws -> (jobs: Int, done: Int, total: Int) {
        guard let row = try await sql.raw("""
            SELECT count(DISTINCT j.id) AS jobs, count(i.\(ident: doneColumn)) AS done, count(i.id) AS total
            FROM \(ident: table) j JOIN \(ident: items) i ON i.\(ident: jobColumn) = j.id WHERE j.finished_at IS NULL
            """).first() else { return (0, 0, 0) }
        return (try row.decode(column: "jobs", as: Int.self), try row.decode(column: "done", as: Int.self), try row.decode(column: "total", as: Int.self))
    }

    /// Marks the job finished (by its worker).
    func finish(_ job: UUID, worker: String, now: Date) async throws {
        let sql = try self.sql
        try await gate.run {
            try await sql.raw("""
                UPDATE \(ident: table) SET finished_at = \(bind: now.timeIntervalSince1970), lease_owner = NULL, lease_until = NULL
                WHERE id = \(bind: job) AND lease_owner = \(bind: worker)
                """).run()
        }
    }
}
