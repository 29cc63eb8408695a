import DRSStorage
import Fluent
import Foundation
import Vapor

/// Sessions in the database (Fluent's `_fluent_sessions` table), shared by every instance — but
/// written only when they change. Vapor's stock driver rewrites the session on every request, which
/// turns each page view into a write; on SQLite those writes would queue behind the single writer.
///
/// With SQLite the server is the database's only user (`SingleServerLock`), so this instance sees
/// every session change and keeps them in memory (`cache`): a request with a known session reads
/// nothing. With PostgreSQL, where other instances may log a session out, every read goes to the table.
struct DatabaseSessions: AsyncSessionDriver {
    let gate: WriteGate?
    let cache: SessionCache?

    struct ReadKey: StorageKey { typealias Value = SessionData }

    func createSession(_ data: SessionData, for request: Request) async throws -> SessionID {
        let id = SessionID(string: [UInt8].random(count: 32).base64)
        let record = SessionRecord(key: id, data: data)
        let db = request.db
        try await gate.run { try await record.create(on: db) }
        cache?.store(id, data)
        request.storage[ReadKey.self] = data
        return id
    }

    func readSession(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        if let data = cache?.data(sessionID) {
            request.storage[ReadKey.self] = data
            return data
        }
        let data = try await SessionRecord.query(on: request.db).filter(\.$key == sessionID).first()?.data
        if let data {
            cache?.store(sessionID, data)
            request.storage[ReadKey.self] = data
        }
        return data
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        if request.storage[ReadKey.self] == data { return sessionID }   // unchanged: no write
        let db = request.db
        try await gate.run {
            try await SessionRecord.query(on: db).filter(\.$key == sessionID).set(\.$data, to: data).update()
        }
        cache?.store(sessionID, data)
        request.storage[ReadKey.self] = data
        return sessionID
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) async throws {
        let db = request.db
        cache?.forget(sessionID)
        try await gate.run { try await SessionRecord.query(on: db).filter(\.$key == sessionID).delete() }
    }
}

/// The sessions this instance has read or written, when it is the database's only server. Bounded:
/// past `limit` entries it starts over, and sessions are read from the table again as they come back.
final class SessionCache: @unchecked Sendable {
    private let lock = NSLock()
    private var sessions: [String: SessionData] = [:]
    let limit: Int

    init(limit: Int = 100_000) { self.limit = limit }

    func data(_ id: SessionID) -> SessionData? { lock.withLock { sessions[id.string] } }

    func store(_ id: SessionID, _ data: SessionData) {
        lock.withLock {
            if sessions.count >= limit { sessions.removeAll(keepingCapacity: true) }
            sessions[id.string] = data
        }
    }

    func forget(_ id: SessionID) { lock.withLock { _ = sessions.removeValue(forKey: id.string) } }
}
