import FluentKit
import SQLKit

/// On PostgreSQL, a change to a submission's answers is announced as `submissions:<unit>/<form>/<year>`
/// (`NotifyChanges`), whatever its status: instances keep the answers that decide another form's rows
/// (企业1表 Q10 for 企业5表), which two saves in three ask at the deadline, and must forget them when
/// the filer changes one. Only a statement that sets `answers` to something else fires it: a draft's
/// figures being saved (`answers` unchanged), a submission or a check mark announce nothing new.
struct NotifyAnswerChanges: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name != "sqlite" else { return }
        try await sql.raw("""
            CREATE TRIGGER drs_submissions_answered AFTER UPDATE OF answers ON submissions FOR EACH ROW
            WHEN (OLD.answers IS DISTINCT FROM NEW.answers) EXECUTE FUNCTION drs_notify_submissions()
            """).run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name != "sqlite" else { return }
        try await sql.raw("DROP TRIGGER IF EXISTS drs_submissions_answered ON submissions").run()
    }
}
