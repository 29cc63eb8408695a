import DRSWorkflow
import FluentKit
import SQLKit

/// On PostgreSQL, the rows every instance caches announce their own changes (`ChangeFeed`): a trigger
/// on each table sends `NOTIFY drs_changes, '<table>:<key>'` when a row changes or goes, so whoever
/// changed it (another instance, a `drs` command, an operator's SQL), every listening instance forgets
/// its copy. PostgreSQL delivers a notification when its transaction commits, and not at all when it
/// rolls back.
///
/// - `users:<id>`, `units:<id>`, `sessions:<key>`: an account, a unit, a session changed or removed;
/// - `submissions:<unit>/<form>/<year>`: a submission that is or was verified (the only status that
///   counts as last year's figures, `CarryOver.sourceStatuses`) changed, or any submission was
///   deleted; since `NotifyAnswerChanges`, also any submission whose answers changed. Drafts' figures
///   being saved, the bulk of all writes, announce nothing; nor, since `QuietCheckMarks`, does a
///   verified submission's check result being stored;
/// - `all`: a table was truncated.
///
/// SQLite has no such channel, and needs none: one server owns its file (`SingleServerLock`).
struct NotifyChanges: AsyncMigration {
    static let channel = "drs_changes"

    /// Each table, the word its notifications begin with, and the key they name.
    private static let keyedTables: [(table: String, prefix: String, key: String)] = [
        ("users", "users", "id::text"),
        ("units", "units", "id::text"),
        (SessionTables.sessions, "sessions", "key"),
    ]

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name != "sqlite" else { return }
        for (table, prefix, key) in Self.keyedTables {
            try await run(Self.function("drs_notify_\(prefix)", payload: "'\(prefix):' || changed.\(key)"), on: sql)
            try await run("""
                CREATE TRIGGER drs_\(prefix)_changed AFTER UPDATE OR DELETE ON \(table)
                FOR EACH ROW EXECUTE FUNCTION drs_notify_\(prefix)()
                """, on: sql)
        }
        let submission = "'submissions:' || changed.unit_id::text || '/' || changed.form_id || '/' || changed.year::text"
        try await run(Self.function("drs_notify_submissions", payload: submission), on: sql)
        let verified = SubmissionStatus.verified.rawValue
        for trigger in [
            "drs_submissions_inserted AFTER INSERT ON submissions FOR EACH ROW WHEN (NEW.status = '\(verified)')",
            "drs_submissions_changed AFTER UPDATE ON submissions FOR EACH ROW WHEN (OLD.status = '\(verified)' OR NEW.status = '\(verified)')",
            "drs_submissions_deleted AFTER DELETE ON submissions FOR EACH ROW",
        ] {
            try await run("CREATE TRIGGER \(trigger) EXECUTE FUNCTION drs_notify_submissions()", on: sql)
        }
        try await run("""
            CREATE OR REPLACE FUNCTION drs_notify_all() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_notify('\(Self.channel)', 'all'); RETURN NULL; END $$
            """, on: sql)
        for table in ["users", "units", SessionTables.sessions, "submissions"] {
            try await run("""
                CREATE TRIGGER drs_\(table.trimmingPrefix("_"))_truncated AFTER TRUNCATE ON \(table)
                FOR EACH STATEMENT EXECUTE FUNCTION drs_notify_all()
                """, on: sql)
        }
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name != "sqlite" else { return }
        for function in ["drs_notify_users", "drs_notify_units", "drs_notify_sessions", "drs_notify_submissions", "drs_notify_all"] {
            try await run("DROP FUNCTION IF EXISTS \(function)() CASCADE", on: sql)
        }
    }

    /// Statements built here from the constants above (no outside text reaches them).
    private func run(_ text: String, on sql: any SQLDatabase) async throws {
        try await sql.raw(SQLQueryString(text)).run()
    }

    /// A row trigger's function sending `payload` (an expression over `changed`: the new row, or the old
    /// one when it was deleted).
    private static func function(_ name: String, payload: String) -> String {
        """
        CREATE OR REPLACE FUNCTION \(name)() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE changed RECORD;
        BEGIN
            IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
            PERFORM pg_notify('\(channel)', \(payload));
            RETURN NULL;
        END $$
        """
    }
}
