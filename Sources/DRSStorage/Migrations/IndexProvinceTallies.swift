import FluentKit
import SQLKit

/// A year's submission tallies of one province: a province's review queue counts its groups there on
/// every page (`queueGroupCounts`) instead of reading the nation's tallies (10,000 rows at 100,000
/// units, a millisecond a request).
struct IndexProvinceTallies: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS submission_tallies_province ON submission_tallies (year, province)").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX IF EXISTS submission_tallies_province").run()
    }
}
