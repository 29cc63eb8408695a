import FluentPostgresDriver
import Foundation
import Logging

/// A change to a row that an instance may hold a copy of, as `NotifyChanges` announces it.
public enum StoredChange: Sendable, Equatable {
    case user(UUID)
    case unit(UUID)
    /// A session, by its key (the cookie's value).
    case session(String)
    /// A submission that is or was verified changed, a submission's answers changed, or a submission was deleted.
    case submission(unit: UUID, form: String, year: Int)
    /// A table was emptied, or a notification named nothing known: every copy is suspect.
    case everything

    /// Reads a notification's payload; anything it cannot place is `.everything` (forgetting too much
    /// costs a read, forgetting too little would serve a stale copy).
    public init(payload: String) {
        guard let colon = payload.firstIndex(of: ":") else { self = .everything; return }
        let key = String(payload[payload.index(after: colon)...])
        switch payload[..<colon] {
        case "users": self = UUID(uuidString: key).map(StoredChange.user) ?? .everything
        case "units": self = UUID(uuidString: key).map(StoredChange.unit) ?? .everything
        case "sessions": self = .session(key)
        case "submissions":
            let parts = key.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 3, let unit = UUID(uuidString: String(parts[0])), let year = Int(parts[2]) else {
                self = .everything
                return
            }
            self = .submission(unit: unit, form: String(parts[1]), year: year)
        default: self = .everything
        }
    }
}

/// Hears PostgreSQL's announcements of changed rows (`NotifyChanges`) on a connection of its own, so
/// that an instance may keep copies of what every request reads and still see another instance's
/// change at once. While the connection is down, changes go unheard: `listening(false)` says so, and
/// the caller must stop trusting its copies until `listening(true)`.
public struct ChangeFeed: Sendable {
    public let url: String
    /// How long to wait before connecting again after the connection was lost or refused.
    public let retryAfter: Duration
    /// How often the connection is proved alive, and how long the proof may take.
    public let pingEvery: Duration
    public let pingTimeout: Duration

    public init(url: String, retryAfter: Duration = .seconds(1), pingEvery: Duration = .seconds(10), pingTimeout: Duration = .seconds(5)) {
        self.url = url
        self.retryAfter = retryAfter
        self.pingEvery = pingEvery
        self.pingTimeout = pingTimeout
    }

    private struct PingTimedOut: Error {}

    /// Listens until the task is cancelled, connecting again whenever the connection is lost.
    /// `listening(true)` comes once `LISTEN` is in place: every change committed after it will be heard.
    public func run(logger: Logger, listening: @escaping @Sendable (Bool) -> Void,
                    heard: @escaping @Sendable (StoredChange) -> Void) async {
        while !Task.isCancelled {
            do {
                let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
                do {
                    try await listen(on: connection, logger: logger, listening: listening, heard: heard)
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if !Task.isCancelled { logger.warning("变更通知连接中断，稍后重连：\(String(reflecting: error))") }
            }
            listening(false)
            try? await Task.sleep(for: retryAfter)
        }
    }

    /// Hears notifications until the connection is lost, a ping goes unanswered or the task is
    /// cancelled; whichever comes first ends both halves (closing the connection ends the sequence).
    private func listen(on connection: PostgresConnection, logger: Logger, listening: @escaping @Sendable (Bool) -> Void,
                        heard: @escaping @Sendable (StoredChange) -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await connection.listen(on: NotifyChanges.channel) { notifications in
                    listening(true)
                    for try await notification in notifications { heard(StoredChange(payload: notification.payload)) }
                }
            }
            group.addTask { try await keepProving(connection, logger: logger) }
            defer { let closing: EventLoopFuture<Void> = connection.close(); _ = closing }
            _ = try await group.next()
            group.cancelAll()
        }
    }

    /// A `SELECT 1` every `pingEvery`, each answered within `pingTimeout`: a connection that hangs
    /// without closing (a dropped network path) must not be taken for one that hears nothing.
    private func keepProving(_ connection: PostgresConnection, logger: Logger) async throws {
        while true {
            try await Task.sleep(for: pingEvery)
            try await withThrowingTaskGroup(of: Bool.self) { race in
                race.addTask {
                    _ = try await connection.query("SELECT 1", logger: logger).collect()
                    return true
                }
                race.addTask {
                    try await Task.sleep(for: pingTimeout)
                    return false
                }
                let answered = try await race.next() ?? false
                race.cancelAll()
                if !answered {
                    // Closing fails the unanswered query, so the race (and the listening) can end.
                    let closing: EventLoopFuture<Void> = connection.close()
                    _ = closing
                    throw PingTimedOut()
                }
            }
        }
    }
}
