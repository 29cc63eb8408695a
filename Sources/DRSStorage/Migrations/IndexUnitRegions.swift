import FluentKit
import SQLKit

/// Units by province (the first two digits of the region code): a provincial reviewer's lists read
/// their province's submissions through it instead of every unit of the nation.
struct IndexUnitRegions: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS units_province ON units ((substr(region_code, 1, 2)))").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX IF EXISTS units_province").run()
    }
}
