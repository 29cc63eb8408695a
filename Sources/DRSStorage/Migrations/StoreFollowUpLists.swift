import FluentKit
import SQLKit

/// 核查清单 kept per form and year instead of computed at each view (`FollowUpListStore`).
/// - `follow_up_lists`: one row per form and year: which snapshot of the lists is current, what it was
///   computed from (`fingerprint`, `engine`), when and in how long, each list's length, the basis
///   its items are judged against, and until when an instance has claimed computing them again;
/// - `follow_up_chunks`: each list's order, a chunk of lines per row, under its snapshot;
/// - a form's reported submissions with their version and time (`submissions_year_form_versions`,
///   replacing `submissions_year_form_status`), so the fingerprint that tells whether a stored list is
///   current is counted from the index alone, and the registry's latest change (`units_updated`).
struct StoreFollowUpLists: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(FollowUpListStore.listsSchema)
            .field("year", .int, .required)
            .field("form_id", .string, .required)
            .field("snapshot", .string, .required)
            .field("fingerprint", .string, .required)
            .field("engine", .string, .required)
            .field("computed_at_ms", .int64, .required)
            .field("elapsed_ms", .int64, .required)
            .field("year_over_year", .int, .required)
            .field("outliers", .int, .required)
            .field("basis", .string, .required)
            .field("claimed_until_ms", .int64, .required, .sql(.default(0)))
            .unique(on: "year", "form_id")
            .create()
        try await db.schema(FollowUpListStore.chunksSchema)
            .field("snapshot", .string, .required)
            .field("list", .string, .required)
            .field("chunk", .int, .required)
            .field("year", .int, .required)
            .field("form_id", .string, .required)
            .field("entries", .string, .required)
            .unique(on: "snapshot", "list", "chunk")
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS follow_up_chunks_form ON follow_up_chunks (year, form_id)").run()
        try await sql.raw("""
            CREATE INDEX IF NOT EXISTS submissions_year_form_versions ON submissions (year, form_id, status, version, updated_at)
            """).run()
        try await sql.raw("DROP INDEX IF EXISTS submissions_year_form_status").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS units_updated ON units (updated_at)").run()
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase {
            try await sql.raw("DROP INDEX IF EXISTS units_updated").run()
            try await sql.raw("CREATE INDEX IF NOT EXISTS submissions_year_form_status ON submissions (year, form_id, status)").run()
            try await sql.raw("DROP INDEX IF EXISTS submissions_year_form_versions").run()
        }
        try await db.schema(FollowUpListStore.chunksSchema).delete()
        try await db.schema(FollowUpListStore.listsSchema).delete()
    }
}
