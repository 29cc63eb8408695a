import FluentKit
import Foundation
import SQLKit

/// 催报 sends become durable jobs (`ReminderRunStore`): a run keeps its sender, deadline and units,
/// and a lease like an import job's, so a send that an instance left half-done (killed, restarted)
/// is finished by any instance, each unit reminded once. Runs sent before this version were sent
/// within their request: they are marked finished.
struct QueueReminderRuns: AsyncMigration {
    static let runColumns: [(String, DatabaseSchema.DataType)] = [
        ("user_id", .uuid), ("address", .string), ("deadline", .string), ("overdue", .bool), ("total", .int),
        ("lease_owner", .string), ("lease_until", .double), ("finished_at", .double),
    ]

    func prepare(on db: any Database) async throws {
        // One column per statement: SQLite adds one at a time. The worker that holds the run, and until
        // when (seconds since 1970): a lapsed lease is taken over.
        for (name, type) in Self.runColumns { try await db.schema(ReminderRun.schema).field(.string(name), type).update() }
        try await db.schema(ReminderRunStore.units)
            .id()
            .field("run_id", .uuid, .required, .references(ReminderRun.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("unit_id", .uuid, .required)
            // Unset until the unit's batch is sent: smtp, outbox, notice, or skipped (it no longer owed forms).
            .field("outcome", .string)
            .field("forms", .string)
            .field("recipient", .string)
            .field("problem", .string)
            .unique(on: "run_id", "position")
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("UPDATE reminder_runs SET finished_at = \(bind: Date().timeIntervalSince1970) WHERE finished_at IS NULL").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS reminder_runs_open ON reminder_runs (finished_at, started_at)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS reminder_run_units_unit ON reminder_run_units (run_id, unit_id)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(ReminderRunStore.units).delete()
        for (name, _) in Self.runColumns.reversed() { try await db.schema(ReminderRun.schema).deleteField(.string(name)).update() }
    }
}
