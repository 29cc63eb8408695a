import DRSStorage
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Synchronization
import Vapor

/// How long sessions live on the server: they end after `idle` without a request and `lifetime`
/// after login, whatever the cookie says.
struct SessionPolicy: Sendable {
    var idle: TimeInterval = 3600
    var lifetime: TimeInterval = 12 * 3600
    /// `last_seen` is written at most this often (a write per request would queue behind the single writer).
    var touchEvery: TimeInterval { min(60, idle / 10) }

    func isLive(created: Double?, lastSeen: Double?, now: Date) -> Bool {
        guard let created, let lastSeen else { return false }
        let t = now.timeIntervalSince1970
        return t - lastSeen <= idle && t - created <= lifetime
    }

    /// Whether a session's `last_seen` is to be written now: once every `touchEvery` it is in use.
    func isDueForTouch(lastSeen: Double?, now: Date) -> Bool {
        guard let lastSeen else { return false }
        return now.timeIntervalSince1970 - lastSeen >= touchEvery
    }
}

/// Sessions in the database (Fluent's `_fluent_sessions` table with `SessionRow`'s columns), shared
/// by every instance — but written only when they change, or once a minute to note they are in use.
/// Vapor's stock driver rewrites the session on every request, which turns each page view into a
/// write; on SQLite those writes would queue behind the single writer.
///
/// Only logged-in sessions are stored: an anonymous visitor (the login page, a stale cookie) gets no
/// row. Expired sessions are refused when read and purged at logins.
///
/// Sessions are kept in memory (`SessionCache`) while this instance sees every change to them: with
/// SQLite it is the database's only server (`SingleServerLock`); with PostgreSQL, where another instance
/// may log a session out, while it hears the database's announcements of changed sessions
/// (`ChangeFeed`) — else every read goes to the table. A request with a known session reads nothing,
/// and is answered on the event loop without a task (`SessionDriver`, not `AsyncSessionDriver`, whose
/// every read and update is a task of its own: see `installMiddleware`); the rest run in a task.
struct DatabaseSessions: SessionDriver {
    let gate: WriteGate?
    let cache: SessionCache?
    let policy: SessionPolicy
    let now: @Sendable () -> Date

    struct ReadKey: StorageKey { typealias Value = SessionData }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask { try await create(data, for: request) }
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        if let data = kept(sessionID, for: request) { return request.eventLoop.makeSucceededFuture(data) }
        return request.eventLoop.makeFutureWithTask { try await read(sessionID, for: request) }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        if request.storage[ReadKey.self] == data { return request.eventLoop.makeSucceededFuture(sessionID) }   // unchanged: no write
        return request.eventLoop.makeFutureWithTask { try await update(sessionID, to: data, for: request) }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        request.eventLoop.makeFutureWithTask { try await delete(sessionID, for: request) }
    }

    /// A session this instance keeps, live, and not due to be noted in use: nothing to read or write.
    private func kept(_ sessionID: SessionID, for request: Request) -> SessionData? {
        guard let entry = cache?.entry(sessionID) else { return nil }
        let t = now()
        guard policy.isLive(created: entry.created, lastSeen: entry.lastSeen, now: t),
              !policy.isDueForTouch(lastSeen: entry.lastSeen, now: t) else { return nil }
        request.storage[ReadKey.self] = entry.data
        return entry.data
    }

    func create(_ data: SessionData, for request: Request) async throws -> SessionID {
        let id = SessionID(string: [UInt8].random(count: 32).base64)
        guard let userID = data["uid"] else { return id }   // anonymous: nothing to keep
        let record = SessionRow(key: id, data: data, userID: userID, at: now())
        let db = request.db
        try await gate.run { try await record.create(on: db) }
        cache?.store(id, SessionCache.Entry(data: data, userID: userID, created: record.createdAt, lastSeen: record.lastSeen))
        request.storage[ReadKey.self] = data
        return id
    }

    func read(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        let readAt = cache?.epoch   // before the read: a change heard meanwhile must not be overwritten by it
        var entry = cache?.entry(sessionID)
        if entry == nil, let row = try await SessionRow.query(on: request.db).filter(\.$key == sessionID).first() {
            entry = SessionCache.Entry(data: row.data, userID: row.userID, created: row.createdAt, lastSeen: row.lastSeen)
            if let entry, let readAt { cache?.store(sessionID, entry, readAt: readAt) }
        }
        guard var entry else { return nil }
        let t = now()
        guard policy.isLive(created: entry.created, lastSeen: entry.lastSeen, now: t) else {
            try await delete(sessionID, for: request)
            return nil
        }
        if policy.isDueForTouch(lastSeen: entry.lastSeen, now: t) {
            let db = request.db, stamp = t.timeIntervalSince1970
            try await gate.run { try await SessionRow.query(on: db).filter(\.$key == sessionID).set(\.$lastSeen, to: stamp).update() }
            entry.lastSeen = stamp
            cache?.update(sessionID) { $0.lastSeen = stamp }
        }
        request.storage[ReadKey.self] = entry.data
        return entry.data
    }

    func update(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        let db = request.db
        let userID = data["uid"]
        try await gate.run {
            try await SessionRow.query(on: db).filter(\.$key == sessionID).set(\.$data, to: data).set(\.$userID, to: userID).update()
        }
        cache?.update(sessionID) { $0.data = data; $0.userID = userID }
        request.storage[ReadKey.self] = data
        return sessionID
    }

    func delete(_ sessionID: SessionID, for request: Request) async throws {
        let db = request.db
        cache?.forget(sessionID)
        try await gate.run { try await SessionRow.query(on: db).filter(\.$key == sessionID).delete() }
    }
}

/// Ends sessions on the server: all of an account's (password changed), and the expired ones.
struct SessionRevocation: Sendable {
    let gate: WriteGate?
    let cache: SessionCache?
    let policy: SessionPolicy
    let now: @Sendable () -> Date
    private let lastPurge = NIOLockedValueBox(Date.distantPast)

    init(gate: WriteGate?, cache: SessionCache?, policy: SessionPolicy, now: @escaping @Sendable () -> Date) {
        self.gate = gate
        self.cache = cache
        self.policy = policy
        self.now = now
    }

    func endAll(of userID: UUID, on db: any Database) async throws {
        let id = userID.uuidString
        cache?.forget(userID: id)
        try await gate.run { try await SessionRow.query(on: db).filter(\.$userID == id).delete() }
    }

    /// Deletes expired rows (and rows from before sessions had times), at most once a minute.
    func purgeExpired(on db: any Database) async throws {
        let t = now()
        let due = lastPurge.withLockedValue { last -> Bool in
            guard t.timeIntervalSince(last) >= 60 else { return false }
            last = t
            return true
        }
        guard due else { return }
        let idleBefore = t.timeIntervalSince1970 - policy.idle, createdBefore = t.timeIntervalSince1970 - policy.lifetime
        try await gate.run {
            try await SessionRow.query(on: db).group(.or) { or in
                or.filter(\.$lastSeen == nil).filter(\.$createdAt == nil)
                    .filter(\.$lastSeen < idleBefore).filter(\.$createdAt < createdBefore)
            }.delete()
        }
    }
}
