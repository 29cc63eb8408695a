import DRSWorkflow
import FluentKit
import SQLKit

/// A verified submission's check result being stored (`storeCheckSummaries` moves `checked_version`
/// only) is no change to its figures, and is no longer announced (`NotifyChanges`): after a deploy the
/// background re-check passes over every verified form of the nation, and each of those marks made
/// every instance forget its last-year figures and kept aggregates, again and again until the pass
/// ended. Any other change to a submission that is or was verified is announced as before: one that
/// moves its version or status, and one that leaves `checked_version` alone (an operator's SQL).
struct QuietCheckMarks: AsyncMigration {
    private static let verified = SubmissionStatus.verified.rawValue

    func prepare(on db: any Database) async throws {
        try await replace(on: db, when: """
            (OLD.status = '\(Self.verified)' OR NEW.status = '\(Self.verified)')
            AND NOT (OLD.checked_version IS DISTINCT FROM NEW.checked_version AND OLD.version = NEW.version AND OLD.status = NEW.status)
            """)
    }

    func revert(on db: any Database) async throws {
        try await replace(on: db, when: "OLD.status = '\(Self.verified)' OR NEW.status = '\(Self.verified)'")
    }

    /// The trigger of `NotifyChanges`, made again with `when` (built here from constants only).
    private func replace(on db: any Database, when: String) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name != "sqlite" else { return }
        try await sql.raw("DROP TRIGGER IF EXISTS drs_submissions_changed ON submissions").run()
        try await sql.raw(SQLQueryString("""
            CREATE TRIGGER drs_submissions_changed AFTER UPDATE ON submissions FOR EACH ROW WHEN (\(when))
            EXECUTE FUNCTION drs_notify_submissions()
            """)).run()
    }
}
