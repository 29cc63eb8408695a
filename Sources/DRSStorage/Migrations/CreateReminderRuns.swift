import FluentKit

/// 催报 sends claimed by their confirmation (`ReminderRun`), so a confirmation is sent once.
struct CreateReminderRuns: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(ReminderRun.schema)
            .id()
            .field("year", .int, .required)
            .field("started_at", .datetime, .required)
            .field("sent_by", .string, .required)
            .create()
    }

    func revert(on db: any Database) async throws { try await db.schema(ReminderRun.schema).delete() }
}
