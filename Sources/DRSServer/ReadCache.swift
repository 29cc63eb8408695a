import DRSCore
import DRSStorage
import Foundation
import Synchronization
import Vapor

/// A short-lived, per-instance cache of what every request looks up: the session's account and the
/// units it touches. Entries live `ttl` seconds, so a logout, a lock or a registry change made on
/// another instance is seen within that time; this instance forgets an entry as soon as it changes it.
///
/// A `Mutex` rather than an actor: every look-up is a dictionary read on the request's hot path,
/// and the loads (database reads) run outside the lock.
final class ReadCache: Sendable {
    private struct State {
        var users: [UUID: (UserAccount, Date)] = [:]
        var units: [UUID: (SurveyUnit, Date)] = [:]
        /// Submission ids never change once created: kept for the life of the process.
        var submissionIDs: [String: UUID] = [:]
        var lastYears: [String: (LastYearFigures, Date)] = [:]
    }

    private let state = Mutex(State())
    let ttl: TimeInterval

    init(ttl: TimeInterval = 2) { self.ttl = ttl }

    func user(_ id: UUID, load: () async throws -> UserAccount?) async throws -> UserAccount? {
        if let (user, at) = state.withLock({ $0.users[id] }), Date().timeIntervalSince(at) < ttl { return user }
        guard let user = try await load() else { return nil }
        state.withLock { $0.users[id] = (user, Date()) }
        return user
    }

    func unit(_ id: UUID, load: () async throws -> SurveyUnit?) async throws -> SurveyUnit? {
        if let (unit, at) = state.withLock({ $0.units[id] }), Date().timeIntervalSince(at) < ttl { return unit }
        guard let unit = try await load() else { return nil }
        state.withLock { $0.units[id] = (unit, Date()) }
        return unit
    }

    func submissionID(unit: UUID, form: String, year: Int, load: () async throws -> UUID) async throws -> UUID {
        let key = "\(unit)/\(form)/\(year)"
        if let id = state.withLock({ $0.submissionIDs[key] }) { return id }
        let id = try await load()
        state.withLock { $0.submissionIDs[key] = id }
        return id
    }

    /// Last year's verified figures change only by a recorded reopen; a short life is enough.
    func lastYear(_ key: String, load: () async throws -> LastYearFigures) async throws -> LastYearFigures {
        if let (figures, at) = state.withLock({ $0.lastYears[key] }), Date().timeIntervalSince(at) < ttl { return figures }
        let figures = try await load()
        state.withLock { $0.lastYears[key] = (figures, Date()) }
        return figures
    }

    func forget(user id: UUID?) { if let id { state.withLock { _ = $0.users.removeValue(forKey: id) } } }
    func forget(unit id: UUID?) { if let id { state.withLock { _ = $0.units.removeValue(forKey: id) } } }
}

/// Last year's figures of a unit's form as the checks read them, and which submission (id and version)
/// they are: a stored check result names it (`CheckStamp`).
struct LastYearFigures: Sendable {
    var values: CellValues?
    var source: (id: UUID, version: Int)?

    static let none = LastYearFigures(values: nil, source: nil)
}

struct ReadCacheKey: StorageKey { typealias Value = ReadCache }

extension Application {
    /// Set up in `configure` before the server starts, so concurrent requests never race to create it.
    var readCache: ReadCache {
        if let cache = storage[ReadCacheKey.self] { return cache }
        // Not set up (configure has not run): no cache, so every look-up loads — slower, never stale.
        return ReadCache()
    }
}

extension Request {
    /// The unit an account belongs to (cached; the shared account object is never mutated).
    func unit(of user: UserAccount) async throws -> SurveyUnit? {
        guard let id = user.$unit.id else { return nil }
        return try await application.readCache.unit(id, load: { try await SurveyUnit.find(id, on: db) })
    }
}
