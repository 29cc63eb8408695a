import DRSStorage
import Synchronization
import Vapor

/// On PostgreSQL, hears the database's announcements of changed rows (`ChangeFeed`) for as long as
/// the instance runs, and forgets the cached copies they touch (`ReadCache`, `SessionCache`). While
/// the feed listens the caches keep entries long (a request then reads no session, account, unit or
/// last year's figures); while it is down they fall back to their short life, and sessions to the
/// table. `drs_change_feed_listening` (0/1) tells the operator which.
final class ChangeListening: LifecycleHandler, Sendable {
    private let feed: ChangeFeed
    private let sessions: SessionCache
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(feed: ChangeFeed, sessions: SessionCache) {
        self.feed = feed
        self.sessions = sessions
    }

    func didBoot(_ application: Application) throws {
        let cache = application.readCache, sessions = sessions, feed = feed, logger = application.logger
        ServerMetrics.gauge(.changeFeedListening, 0)
        let running = Task {
            await feed.run(logger: logger, listening: { listening in
                cache.hearing(listening)
                sessions.hearing(listening)
                ServerMetrics.gauge(.changeFeedListening, listening ? 1 : 0)
                if listening { logger.info("已接收数据库变更通知：缓存随变更失效") }
            }, heard: { change in
                cache.forget(change)
                sessions.forget(change)
            })
        }
        task.withLock { $0 = running }
    }

    func shutdownAsync(_ application: Application) async {
        let running = task.withLock { task -> Task<Void, Never>? in defer { task = nil }; return task }
        running?.cancel()
        await running?.value
    }
}
