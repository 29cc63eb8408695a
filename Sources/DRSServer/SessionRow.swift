import Fluent
import Foundation
import SQLKit
import Vapor

/// A session as stored: Fluent's `_fluent_sessions` row (`key`, `data`) with the columns the server
/// needs to end sessions itself — whose it is, when it began, when it was last used.
final class SessionRow: Model, @unchecked Sendable {
    static let schema = "_fluent_sessions"

    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: SessionID
    @Field(key: "data") var data: SessionData
    /// The account's id (text), so that all of its sessions can be ended at once.
    @OptionalField(key: "user_id") var userID: String?
    /// Seconds since 1970.
    @OptionalField(key: "created_at") var createdAt: Double?
    @OptionalField(key: "last_seen") var lastSeen: Double?

    init() {}

    init(key: SessionID, data: SessionData, userID: String?, at now: Date) {
        self.key = key
        self.data = data
        self.userID = userID
        createdAt = now.timeIntervalSince1970
        lastSeen = now.timeIntervalSince1970
    }
}

/// Adds the owner and times to Fluent's session table (rows from before have none: they count as expired).
struct AddSessionTimes: AsyncMigration {
    func prepare(on db: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await db.schema(SessionRow.schema).field("user_id", .string).update()
        try await db.schema(SessionRow.schema).field("created_at", .double).update()
        try await db.schema(SessionRow.schema).field("last_seen", .double).update()
        if let sql = db as? any SQLDatabase {
            try await sql.raw("CREATE INDEX IF NOT EXISTS fluent_sessions_user ON _fluent_sessions (user_id)").run()
        }
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase { try await sql.raw("DROP INDEX IF EXISTS fluent_sessions_user").run() }
        try await db.schema(SessionRow.schema).deleteField("last_seen").update()
        try await db.schema(SessionRow.schema).deleteField("created_at").update()
        try await db.schema(SessionRow.schema).deleteField("user_id").update()
    }
}

/// Failed-login counts shared by every server on one database (`SQLThrottleStore`).
struct CreateLoginThrottle: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(SQLThrottleStore.table)
            .field("key", .string, .identifier(auto: false))
            .field("failures", .int, .required)
            .field("blocked_until", .double)
            .field("updated_at", .double, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(SQLThrottleStore.table).delete()
    }
}

/// The migrations of this layer, after Fluent's session table.
enum SecurityMigrations {
    static var all: [any Migration] { [AddSessionTimes(), CreateLoginThrottle()] }
}
