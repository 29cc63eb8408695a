import DRSStorage
import Fluent
import Foundation
import Vapor

/// A session as stored: Fluent's `_fluent_sessions` row (`key`, `data`) with the columns the server
/// needs to end sessions itself — whose it is, when it began, when it was last used (the table's
/// migrations: DRSStorage `SessionTables`).
final class SessionRow: Model, @unchecked Sendable {
    static let schema = SessionTables.sessions

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
