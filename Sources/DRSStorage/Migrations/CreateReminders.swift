import FluentKit
import SQLKit

/// Version 5: reminders (催报) sent to units that have not reported: shown to the unit's filers until
/// one of them acknowledges it, and delivered by e-mail (SMTP or an outbox file).
struct CreateReminders: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(Reminder.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(SurveyUnit.schema, "id"))
            .field("year", .int, .required)
            .field("forms", .string, .required)
            .field("deadline", .string, .required)
            .field("sent_at", .datetime, .required)
            .field("sent_by", .string, .required)
            .field("channel", .string, .required)
            .field("recipient", .string)
            .field("read_at", .datetime)
            .field("read_by", .string)
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        // The home page asks for a unit's unread reminders on every visit.
        try await sql.raw("CREATE INDEX IF NOT EXISTS reminders_unit ON reminders (unit_id, read_at)").run()
    }

    func revert(on db: any Database) async throws { try await db.schema(Reminder.schema).delete() }
}

/// Version 5: the audit log page lists newest first, by unit, user or kind.
struct IndexAuditSearch: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS audit_events_at ON audit_events (at)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS audit_events_unit ON audit_events (unit_id, at)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS audit_events_kind ON audit_events (kind, at)").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for name in ["audit_events_at", "audit_events_unit", "audit_events_kind"] {
            try await sql.raw("DROP INDEX IF EXISTS \(unsafeRaw: name)").run()
        }
    }
}
