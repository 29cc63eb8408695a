import FluentKit
import SQLKit

/// Units in a review queue's order (region, name, id): the national queue's page walks this index
/// and stops after its rows, instead of sorting every submission of the year.
struct IndexQueueOrder: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS units_queue_order ON units (region_code, name, id)").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX IF EXISTS units_queue_order").run()
    }
}
