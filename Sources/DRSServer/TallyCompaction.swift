import DRSStorage
import Fluent
import Synchronization
import Vapor

/// Keeps 报送进度's tallies short (`ProgressTallies`): the database's triggers append rows for every
/// change of status and every unit registered or moved, and every `interval` each instance sums a table back to one row per key
/// once it has grown by `ProgressTallies.compactionGrowth` rows, so the progress page sums a few thousand rows, not every
/// change of the week. On PostgreSQL one instance at a time compacts (the others skip); on SQLite
/// the single writer does, between two batches of saves.
final class TallyCompaction: LifecycleHandler, Sendable {
    static let interval: Duration = .seconds(30)

    private let loop = Mutex<Task<Void, Never>?>(nil)

    func didBoot(_ application: Application) throws {
        let task = Task(priority: .background) { [weak application] in
            var left: [String: Int] = [:]
            while !Task.isCancelled {
                guard let application else { return }
                let store = application.platform.store(application.db)
                do {
                    let previous = left
                    left = try await store.gate.run { try await ProgressTallies.compact(on: store.database, previous: previous, growth: ProgressTallies.compactionGrowth) }
                } catch {
                    application.logger.warning("报送进度计数压缩失败（稍后重试）：\(String(describing: error))")
                }
                try? await Task.sleep(for: Self.interval)
            }
        }
        loop.withLock { $0 = task }
    }

    func shutdownAsync(_ application: Application) async {
        let task = loop.withLock { task -> Task<Void, Never>? in defer { task = nil }; return task }
        task?.cancel()
        await task?.value
    }
}
