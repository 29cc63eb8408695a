import FluentKit
import SQLKit

/// Indexes from the `EXPLAIN` review of the lists at 100,000 units (docs/benchmarks.md (s)):
/// - units by headquarters: a group's lists (its review queue, its progress, its consolidation) read
///   its subsidiaries through it instead of every unit of the nation;
/// - a year's submissions with their unit, form, status and id, replacing the same index without the
///   id (`IndexNationalLists`): a queue narrowed by type or by the stored checks, and its counts by
///   region, join the submissions from the index alone instead of reading the wide rows (figures and
///   all) of the year — 190 → 90 ms for the national `flag=errors` queue's count on PostgreSQL;
/// - a unit's types as a queue's type filter reads them (`,a,b,`): not for the filter's `LIKE '%,t,%'`,
///   which no B-tree answers, but for PostgreSQL's statistics of the expression — without them it took
///   a type to hold 10 units of 100,000 (it holds 40,790) and sorted the whole type for a page (155 ms;
///   3.7 ms with them).
struct IndexListLookups: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS units_parent ON units (parent_id)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS submissions_year_unit_id ON submissions (year, unit_id, form_id, status, id)").run()
        try await sql.raw("DROP INDEX IF EXISTS submissions_year_unit").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS units_types_listed ON units ((',' || types || ','))").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX IF EXISTS units_types_listed").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS submissions_year_unit ON submissions (year, unit_id, form_id, status)").run()
        try await sql.raw("DROP INDEX IF EXISTS submissions_year_unit_id").run()
        try await sql.raw("DROP INDEX IF EXISTS units_parent").run()
    }
}
