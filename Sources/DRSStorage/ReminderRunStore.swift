import DRSApplication
import FluentKit
import Foundation
import SQLKit

/// 催报 sends as durable jobs, like import jobs (`ImportJobStore`): the confirmation's send stores the
/// run (its sender, deadline and the units chosen, in the list's order) and returns; any instance's
/// worker takes up a run no live worker holds and reminds its units a batch at a time. Each batch's
/// reminders, audit lines and the units' outcomes here are one transaction, so a worker stopped
/// anywhere leaves its successor exactly the units not yet reminded. (An e-mail handed to the mail
/// server just before its batch's transaction could not commit goes again with the next worker.)
public struct ReminderRunStore: Sendable {
    public static let units = "reminder_run_units"

    /// A unit's outcome when it had submitted every form before its batch was sent.
    public static let skipped = "skipped"

    let database: any Database
    let gate: WriteGate?

    public init(database: any Database, gate: WriteGate?) {
        self.database = database
        self.gate = gate
    }

    /// A run as its worker needs it.
    public struct Run: Sendable {
        public var id: UUID
        public var year: Int
        public var userID: UUID?
        public var sentBy: String
        public var address: String
        public var deadline: String
        public var overdue: Bool
        public var total: Int
        public var finished: Bool
    }

    /// One unit's outcome, recorded with its batch.
    public struct Recorded: Sendable {
        public var unitID: UUID
        /// smtp, outbox, notice or `skipped`.
        public var outcome: String
        public var forms: String?
        public var recipient: String?
        public var problem: String?

        public init(unitID: UUID, outcome: String, forms: String?, recipient: String?, problem: String?) {
            self.unitID = unitID
            self.outcome = outcome
            self.forms = forms
            self.recipient = recipient
            self.problem = problem
        }
    }

    /// The run's units counted by outcome (`nil`: not yet sent).
    public struct Summary: Sendable, Equatable {
        public var total = 0
        public var byOutcome: [String: Int] = [:]
        /// Units with an address whose e-mail did not go (recorded as a notice only).
        public var mailFailed = 0

        public var pending: Int { total - byOutcome.values.reduce(0, +) }
        /// Units reminded (every outcome but `skipped`).
        public var reminded: Int { byOutcome.filter { $0.key != ReminderRunStore.skipped }.values.reduce(0, +) }
    }

    /// A reminded unit as the result page lists it.
    public struct Listed: Sendable {
        public var unitID: UUID
        public var name: String
        public var creditCode: String
        public var outcome: String
        public var forms: String
        public var recipient: String?
        public var problem: String?
    }

    var lease: JobLease { JobLease(table: ReminderRun.schema, oldestFirst: "started_at", database: database, gate: gate) }

    var sql: any SQLDatabase {
        get throws {
            guard let sql = database as? any SQLDatabase else { throw SQLUnavailable() }
            return sql
        }
    }

    /// Units stored per statement: seven parameters each, well within either engine's bound.
    static let insertChunk = 1_000

    /// Stores the run `id` with its units, in one transaction; false when `id` was stored before (the
    /// same confirmation sent again, or twice at once): its units are then reminded once.
    public func start(_ id: UUID, year: Int, deadline: String, overdue: Bool, actor: Actor, unitIDs: [UUID], now: Date) async throws -> Bool {
        let db = database
        if try await ReminderRun.find(id, on: db) != nil { return false }
        do {
            try await gate.run {
                try await db.transaction { tx in
                    guard let sql = tx as? any SQLDatabase else { throw SQLUnavailable() }
                    try await sql.insert(into: ReminderRun.schema)
                        .columns("id", "year", "started_at", "sent_by", "user_id", "address", "deadline", "overdue", "total")
                        .values(SQLBind(id), SQLBind(year), SQLBind(now), SQLBind(actor.username), SQLBind(actor.userID), SQLBind(actor.address),
                                SQLBind(deadline), SQLBind(overdue), SQLBind(unitIDs.count))
                        .run()
                    for start in stride(from: 0, to: unitIDs.count, by: Self.insertChunk) {
                        let insert = sql.insert(into: Self.units).columns("id", "run_id", "position", "unit_id")
                        for position in start..<min(start + Self.insertChunk, unitIDs.count) {
                            insert.values(SQLBind(UUID()), SQLBind(id), SQLBind(position), SQLBind(unitIDs[position]))
                        }
                        try await insert.run()
                    }
                }
            }
            return true
        } catch {
            // Both posts of a double click passed the look: the second insert meets the first's key.
            if try await ReminderRun.find(id, on: db) != nil { return false }
            throw error
        }
    }

    /// Takes the oldest unfinished run that no live worker holds (or that `worker` holds already)
    /// until `until`; nil when there is none.
    public func claim(worker: String, now: Date, until: Date) async throws -> UUID? {
        try await lease.claim(worker: worker, now: now, until: until)
    }

    /// Extends `worker`'s lease; false when the run is no longer its own (taken over, or finished).
    public func renew(_ run: UUID, worker: String, until: Date) async throws -> Bool {
        try await lease.renew(run, worker: worker, until: until)
    }

    /// Marks the run finished (by its worker).
    public func finish(_ run: UUID, worker: String, now: Date) async throws { try await lease.finish(run, worker: worker, now: now) }

    /// The run `id`, if it exists.
    public func run(_ id: UUID) async throws -> Run? {
        guard let row = try await sql.raw("""
            SELECT id, year, user_id, sent_by, address, deadline, overdue, total, finished_at FROM reminder_runs WHERE id = \(bind: id)
            """).first() else { return nil }
        return Run(id: try row.decode(column: "id", as: UUID.self), year: try row.decode(column: "year", as: Int.self),
                   userID: try row.decode(column: "user_id", as: UUID?.self), sentBy: try row.decode(column: "sent_by", as: String.self),
                   address: try row.decode(column: "address", as: String?.self) ?? "-",
                   deadline: try row.decode(column: "deadline", as: String?.self) ?? "",
                   overdue: try row.decode(column: "overdue", as: Bool?.self) ?? false, total: try row.decode(column: "total", as: Int?.self) ?? 0,
                   finished: try row.decode(column: "finished_at", as: Double?.self) != nil)
    }

    /// The next `limit` units of the run not yet sent, after list position `after`, in the list's order.
    public func pending(_ run: UUID, after: Int, limit: Int) async throws -> [(position: Int, unitID: UUID)] {
        try await sql.raw("""
            SELECT position, unit_id FROM reminder_run_units WHERE run_id = \(bind: run) AND position > \(bind: after) AND outcome IS NULL
            ORDER BY position LIMIT \(bind: limit)
            """).all().map { (try $0.decode(column: "position", as: Int.self), try $0.decode(column: "unit_id", as: UUID.self)) }
    }

    /// Records a batch's outcomes, within the transaction `tx` that records its reminders; returns the
    /// units recorded by this call. A unit already recorded (by a worker that overlapped this one: it
    /// had taken the run over while this one was still sending) is not recorded again, and the caller
    /// records no reminder for it; on PostgreSQL the second of two such transactions waits for the
    /// first and then finds the unit recorded.
    public static func record(_ outcomes: [Recorded], run: UUID, on tx: any Database) async throws -> Set<UUID> {
        guard let sql = tx as? any SQLDatabase else { throw SQLUnavailable() }
        var recorded: Set<UUID> = []
        for outcome in outcomes {
            let row = try await sql.raw("""
                UPDATE reminder_run_units SET outcome = \(bind: outcome.outcome), forms = \(bind: outcome.forms),
                recipient = \(bind: outcome.recipient), problem = \(bind: outcome.problem)
                WHERE run_id = \(bind: run) AND unit_id = \(bind: outcome.unitID) AND outcome IS NULL RETURNING unit_id
                """).first()
            if row != nil { recorded.insert(outcome.unitID) }
        }
        return recorded
    }

    /// The run's units counted by outcome.
    public func summary(_ run: UUID) async throws -> Summary {
        var summary = Summary()
        let rows = try await sql.raw("""
            SELECT outcome, COUNT(*) AS n, SUM(CASE WHEN outcome = 'notice' AND recipient IS NOT NULL THEN 1 ELSE 0 END) AS failed
            FROM reminder_run_units WHERE run_id = \(bind: run) GROUP BY outcome
            """).all()
        for row in rows {
            let n = try row.decode(column: "n", as: Int.self)
            summary.total += n
            summary.mailFailed += try row.decode(column: "failed", as: Int?.self) ?? 0
            if let outcome = try row.decode(column: "outcome", as: String?.self) { summary.byOutcome[outcome] = n }
        }
        return summary
    }

    /// Unfinished runs and their units (recorded, listed), for `/metrics`.
    public func openProgress() async throws -> (running: Int, unitsDone: Int, unitsTotal: Int) {
        let open = try await lease.openProgress(items: Self.units, jobColumn: "run_id", doneColumn: "outcome")
        return (open.jobs, open.done, open.total)
    }

    /// The first `limit` units reminded, those whose e-mail failed first, then in the list's order.
    public func listed(_ run: UUID, limit: Int) async throws -> [Listed] {
        try await sql.raw("""
            SELECT r.unit_id, u.name, u.credit_code, r.outcome, r.forms, r.recipient, r.problem
            FROM reminder_run_units r JOIN units u ON u.id = r.unit_id
            WHERE r.run_id = \(bind: run) AND r.outcome IS NOT NULL AND r.outcome <> \(bind: Self.skipped)
            ORDER BY CASE WHEN r.outcome = 'notice' AND r.recipient IS NOT NULL THEN 0 ELSE 1 END, r.position
            LIMIT \(bind: limit)
            """).all().map { row in
                Listed(unitID: try row.decode(column: "unit_id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                       creditCode: try row.decode(column: "credit_code", as: String.self), outcome: try row.decode(column: "outcome", as: String.self),
                       forms: try row.decode(column: "forms", as: String?.self) ?? "", recipient: try row.decode(column: "recipient", as: String?.self),
                       problem: try row.decode(column: "problem", as: String?.self))
            }
    }
}
