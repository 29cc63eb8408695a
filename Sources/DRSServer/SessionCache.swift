import DRSStorage
import Synchronization
import Vapor

/// The sessions this instance has read or written, kept while it sees every change to them:
/// - with SQLite (`alwaysHearing`), it is the database's only server: every change is its own;
/// - with PostgreSQL, only while the change feed listens (`hearing(true)`): a session logged out,
///   ended or touched by another instance is announced and forgotten here (`forget(_:)`). While the
///   feed is down nothing is kept, and every request reads its session from the table.
///
/// A read that began before a change was heard must not store what it read: each change bumps
/// `epoch`, and `store(_:_:readAt:)` keeps an entry only if the epoch is the one read before.
///
/// Bounded: past `limit` entries it starts over, and sessions are read from the table again as they
/// come back.
final class SessionCache: Sendable {
    struct Entry: Sendable {
        var data: SessionData
        var userID: String?
        var created: Double?
        var lastSeen: Double?
    }

    private struct State {
        var sessions: [String: Entry] = [:]
        var epoch: UInt64 = 0
        var hearing: Bool
    }

    private let state: Mutex<State>
    let limit: Int

    init(limit: Int = 100_000, alwaysHearing: Bool) {
        self.limit = limit
        state = Mutex(State(hearing: alwaysHearing))
    }

    /// Taken before a session is read from the table, and handed back to `store`.
    var epoch: UInt64 { state.withLock { $0.epoch } }

    func entry(_ id: SessionID) -> Entry? { state.withLock { $0.hearing ? $0.sessions[id.string] : nil } }

    /// Keeps a session read at `readAt` (or, without it, one this instance has just written).
    func store(_ id: SessionID, _ entry: Entry, readAt: UInt64? = nil) {
        state.withLock { state in
            guard state.hearing, readAt == nil || readAt == state.epoch else { return }
            if state.sessions.count >= limit { state.sessions.removeAll(keepingCapacity: true) }
            state.sessions[id.string] = entry
        }
    }

    func update(_ id: SessionID, _ change: (inout Entry) -> Void) {
        state.withLock { state in
            guard var entry = state.sessions[id.string] else { return }
            change(&entry)
            state.sessions[id.string] = entry
        }
    }

    func forget(_ id: SessionID) { forget(.session(id.string)) }

    func forget(userID: String) {
        state.withLock { state in
            state.epoch &+= 1
            state.sessions = state.sessions.filter { $0.value.userID != userID }
        }
    }

    /// A change heard from the database: a session's, or everything.
    func forget(_ change: StoredChange) {
        switch change {
        case .session(let key): state.withLock { $0.epoch &+= 1; $0.sessions[key] = nil }
        case .everything: state.withLock { $0.epoch &+= 1; $0.sessions.removeAll() }
        case .user, .unit, .submission: return
        }
    }

    /// Whether changes are heard from now on; either way what was kept is forgotten (see `ReadCache`).
    func hearing(_ hearing: Bool) {
        state.withLock { state in
            state.epoch &+= 1
            state.hearing = hearing
            state.sessions.removeAll()
        }
    }
}
