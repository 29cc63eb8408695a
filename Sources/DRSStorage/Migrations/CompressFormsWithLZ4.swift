import FluentKit
import SQLKit

/// A submission's stored figures, explanations and answers compressed with lz4 instead of pglz
/// (PostgreSQL 14 and later, where the server was built with lz4, as Debian's is). Every draft's
/// save writes its whole `cells` (2.7 kB on average at 100,000 units, up to 18 kB), and PostgreSQL
/// compresses it again each time: with lz4 the save's statement took 0.26 ms instead of 0.35 ms under
/// the deadline week's load (docs/benchmarks.md (w)). Values already stored keep pglz until written
/// again; both are read alike. SQLite stores the text as it is.
struct CompressFormsWithLZ4: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name != "sqlite", try await Self.lz4Available(sql) else { return }
        try await sql.raw("""
            ALTER TABLE submissions ALTER COLUMN cells SET COMPRESSION lz4, ALTER COLUMN explanations SET COMPRESSION lz4,
            ALTER COLUMN answers SET COMPRESSION lz4
            """).run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name != "sqlite", try await Self.lz4Available(sql) else { return }
        try await sql.raw("""
            ALTER TABLE submissions ALTER COLUMN cells SET COMPRESSION default, ALTER COLUMN explanations SET COMPRESSION default,
            ALTER COLUMN answers SET COMPRESSION default
            """).run()
    }

    /// Whether the server knows lz4 (a build without it lists only pglz; before 14 the setting does not exist).
    static func lz4Available(_ sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("SELECT 1 AS known FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)").first() != nil
    }
}
