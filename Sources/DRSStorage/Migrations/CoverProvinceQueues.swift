import FluentKit
import SQLKit

/// A province's review queue read from two indexes alone (PostgreSQL): it reads the province's units
/// and the year's submissions in the statuses asked for, then joins them (docs/benchmarks.md (v)).
/// Read from the tables, that was 27 ms for 广东 (11,629 units) at 100,000 units — the units' wide rows
/// and one heap page per submitted form of the nation — and a fifth of PostgreSQL's time under the
/// deadline week's load; from these covering indexes, 8 ms.
/// - `units_province_listed` replaces `units_province` (the same key, with the columns a list shows);
/// - `submissions_year_status`: a year's submissions by status and form, with what a queue row shows.
/// SQLite has no `INCLUDE`; its installations keep `units_province`.
struct CoverProvinceQueues: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name != "sqlite" else { return }
        try await sql.raw("""
            CREATE INDEX IF NOT EXISTS units_province_listed ON units ((substr(region_code, 1, 2)))
            INCLUDE (id, name, credit_code, region_code, types, parent_id)
            """).run()
        try await sql.raw("DROP INDEX IF EXISTS units_province").run()
        try await sql.raw("""
            CREATE INDEX IF NOT EXISTS submissions_year_status ON submissions (year, status, form_id)
            INCLUDE (unit_id, id, version, return_reason)
            """).run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name != "sqlite" else { return }
        try await sql.raw("DROP INDEX IF EXISTS submissions_year_status").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS units_province ON units ((substr(region_code, 1, 2)))").run()
        try await sql.raw("DROP INDEX IF EXISTS units_province_listed").run()
    }
}
