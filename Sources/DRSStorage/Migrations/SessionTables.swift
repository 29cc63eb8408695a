import FluentKit
import SQLKit

/// The tables of sessions and login throttling. They were first created by the web server's modules
/// (Fluent's own session migration, then ours in DRSServer); they live here so that every program
/// that opens the database (the server and each `drs` command) migrates the same schema. Each keeps
/// the name it was recorded under in `_fluent_migrations`, so existing databases see nothing new.
public enum SessionTables {
    /// Fluent's session table (`key`, `data`), plus the columns the server needs to end sessions itself.
    public static let sessions = "_fluent_sessions"
    /// Failed-login counts shared by every server on one database.
    public static let loginThrottle = "login_throttle"

    /// The throttle's key for an account (the server counts failed logins under it; a password reset clears it).
    public static func throttleKey(account username: String) -> String {
        "u:" + username.trimmingCharacters(in: .whitespaces).lowercased()
    }

    static var migrations: [any Migration] { [CreateSessions(), AddSessionTimes(), CreateLoginThrottle()] }
}

/// Fluent's `SessionRecord.Create`, with the same columns and the same recorded name.
struct CreateSessions: AsyncMigration {
    var name: String { "Fluent.SessionRecord.Create" }

    func prepare(on db: any Database) async throws {
        try await db.schema(SessionTables.sessions)
            .id()
            .field("key", .string, .required)
            .field("data", .json, .required)
            .unique(on: "key")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(SessionTables.sessions).delete()
    }
}

/// Adds the owner and times to the session table (rows from before have none: they count as expired).
struct AddSessionTimes: AsyncMigration {
    var name: String { "DRSServer.AddSessionTimes" }

    func prepare(on db: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await db.schema(SessionTables.sessions).field("user_id", .string).update()
        try await db.schema(SessionTables.sessions).field("created_at", .double).update()
        try await db.schema(SessionTables.sessions).field("last_seen", .double).update()
        if let sql = db as? any SQLDatabase {
            try await sql.raw("CREATE INDEX IF NOT EXISTS fluent_sessions_user ON _fluent_sessions (user_id)").run()
        }
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase { try await sql.raw("DROP INDEX IF EXISTS fluent_sessions_user").run() }
        try await db.schema(SessionTables.sessions).deleteField("last_seen").update()
        try await db.schema(SessionTables.sessions).deleteField("created_at").update()
        try await db.schema(SessionTables.sessions).deleteField("user_id").update()
    }
}

/// Failed-login counts shared by every server on one database.
struct CreateLoginThrottle: AsyncMigration {
    var name: String { "DRSServer.CreateLoginThrottle" }

    func prepare(on db: any Database) async throws {
        try await db.schema(SessionTables.loginThrottle)
            .field("key", .string, .identifier(auto: false))
            .field("failures", .int, .required)
            .field("blocked_until", .double)
            .field("updated_at", .double, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(SessionTables.loginThrottle).delete()
    }
}
