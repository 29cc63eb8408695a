import FluentKit
import SQLKit

/// The indexes of the national lists:
/// - units in a review queue's order (region, name, id): the national queue's page walks this index
///   and stops after its rows, instead of sorting every submission of the year;
/// - a year's submissions with their unit, form and status: 报送进度 counts them from the index alone,
///   without reading the rows and their figures.
struct IndexNationalLists: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS units_queue_order ON units (region_code, name, id)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS submissions_year_unit ON submissions (year, unit_id, form_id, status)").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX IF EXISTS submissions_year_unit").run()
        try await sql.raw("DROP INDEX IF EXISTS units_queue_order").run()
    }
}
