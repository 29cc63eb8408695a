import FluentKit
import SQLKit

/// A province's unit tallies: a province's review queue counts the province's units on every page
/// (`queueGroupCounts`, to decide whether its page walks them). Without an index that read every unit
/// tally of the nation, and on a table that compaction churns, every page it ever had: 1.3 of the
/// statement's 2.0 ms for 广东 at 100,000 units (2,368 tallies on 768 pages), 0.08 ms from the index
/// (docs/benchmarks.md (ak)). PostgreSQL's index carries the counts, so the read stays in the index.
struct IndexUnitTallies: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let counts = sql.dialect.name == "sqlite" ? "" : " INCLUDE (n)"
        try await sql.raw("CREATE INDEX IF NOT EXISTS unit_tallies_province ON \(unsafeRaw: ProgressTallies.units) (province)\(unsafeRaw: counts)").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX IF EXISTS unit_tallies_province").run()
    }
}
