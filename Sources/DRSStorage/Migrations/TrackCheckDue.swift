import FluentKit
import SQLKit

/// Version 7: which submissions wait for their check, found by an index instead of a scan.
/// - `submissions.checked_version`: the version whose check result is stored (none yet: NULL). Every
///   write moves `version` on, so a submission saved since its check is due without any writer marking
///   it; index `submissions_check_due` holds exactly the due ones (a partial index), so a flagged
///   queue's look for them reads a few index entries, not the year.
/// - `submission_checks.engine`: the catalog and program a result was computed with, indexed, so the
///   results of another release are found the same way.
/// Existing results start due (a new program is a new engine anyway): the background re-check
/// (`CheckRefresher`) stores them again.
struct TrackCheckDue: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(Submission.schema).field("checked_version", .int).update()
        try await db.schema(CheckSummary.schema).field("engine", .string, .required, .sql(.default(""))).update()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("""
            CREATE INDEX IF NOT EXISTS submissions_check_due ON submissions (year, id) WHERE \(unsafeRaw: Self.due(""))
            """).run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS submission_checks_engine ON submission_checks (engine)").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX IF EXISTS submission_checks_engine").run()
        try await sql.raw("DROP INDEX IF EXISTS submissions_check_due").run()
        try await db.schema(CheckSummary.schema).deleteField("engine").update()
        try await db.schema(Submission.schema).deleteField("checked_version").update()
    }

    /// A submission whose stored check is of another version, or missing. Queries state it in these
    /// same words (with their table's alias, `prefix`), so both engines' planners match it to the
    /// partial index.
    static func due(_ prefix: String) -> String {
        "(\(prefix)checked_version IS NULL OR \(prefix)checked_version <> \(prefix)version)"
    }
}
