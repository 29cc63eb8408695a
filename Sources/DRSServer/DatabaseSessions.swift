import DRSStorage
import Fluent
import Foundation
import Vapor

/// Sessions in the database (Fluent's `_fluent_sessions` table), shared by every instance — but
/// written only when they change. Vapor's stock driver rewrites the session on every request, which
/// turns each page view into a write; on SQLite those writes would queue behind the single writer.
struct DatabaseSessions: AsyncSessionDriver {
    let gate: WriteGate?

    struct ReadKey: StorageKey { typealias Value = SessionData }

    func createSession(_ data: SessionData, for request: Request) async throws -> SessionID {
        let id = SessionID(string: [UInt8].random(count: 32).base64)
        let record = SessionRecord(key: id, data: data)
        let db = request.db
        try await gate.run { try await record.create(on: db) }
        request.storage[ReadKey.self] = data
        return id
    }

    func readSession(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        let data = try await SessionRecord.query(on: request.db).filter(\.$key == sessionID).first()?.data
        if let data { request.storage[ReadKey.self] = data }
        return data
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        if request.storage[ReadKey.self] == data { return sessionID }   // unchanged: no write
        let db = request.db
        try await gate.run {
            try await SessionRecord.query(on: db).filter(\.$key == sessionID).set(\.$data, to: data).update()
        }
        request.storage[ReadKey.self] = data
        return sessionID
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) async throws {
        let db = request.db
        try await gate.run { try await SessionRecord.query(on: db).filter(\.$key == sessionID).delete() }
    }
}
