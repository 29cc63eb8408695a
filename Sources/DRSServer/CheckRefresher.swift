import DRSStorage
import Fluent
import Foundation
import Synchronization
import Vapor

/// Keeps the stored check results (`submission_checks`) current in the background: after a new
/// release or catalog every result is out of date at once, and a flagged review queue (errors only,
/// warnings only) filters by the stored counts. Each instance looks for submissions whose result is
/// missing or of another version or engine, checks a batch, stores it, and goes on while there are
/// more, pausing between batches so that requests come first; then it looks again every `idle`.
/// Two instances may check the same batch: storing is an upsert, so that costs only time.
final class CheckRefresher: LifecycleHandler, Sendable {
    static let batch = 500
    static let idle: Duration = .seconds(30)
    static let pause: Duration = .milliseconds(50)

    private let loop = Mutex<Task<Void, Never>?>(nil)

    func didBoot(_ application: Application) throws {
        let task = Task { [weak application] in
            var checked = 0
            while !Task.isCancelled, let application {
                let round = (try? await Self.round(platform: application.platform, db: application.db, logger: application.logger)) ?? (found: 0, stored: 0)
                checked += round.stored
                if round.stored > 0, round.found == Self.batch {
                    try? await Task.sleep(for: Self.pause)
                    continue
                }
                if checked > 0 { application.logger.info("后台重新检查：已检查并保存 \(checked) 份报表的检查结果") }
                checked = 0
                try? await Task.sleep(for: Self.idle)
            }
        }
        loop.withLock { $0 = task }
    }

    func shutdownAsync(_ application: Application) async {
        let task = loop.withLock { task -> Task<Void, Never>? in defer { task = nil }; return task }
        task?.cancel()
        await task?.value
    }

    /// One batch: up to `batch` submissions of one reporting year whose result is out of date,
    /// checked and stored. Returns how many it found and how many it stored.
    static func round(platform: Platform, db: any Database, logger: Logger, batch: Int = batch) async throws -> (found: Int, stored: Int) {
        let store = platform.store(db)
        let statuses = SubmissionStatus.allCases.filter { $0 != .notStarted }
        let years = platform.catalog.catalog.survey.reportingYears
        for year in stride(from: years.to, through: years.from, by: -1) {   // the current year first
            let query = QueueQuery(year: year, forms: platform.catalog.orderedForms.map { $0.form.id }, statuses: statuses, units: .every)
            let heads = try await store.queueUnchecked(query, engine: platform.checkEngine, limit: batch)
            guard !heads.isEmpty else { continue }
            let units = try await ReviewQueue.unitsByID(store, heads.map(\.unitID))
            let checks = try await QueueChecks(platform: platform, store: store, logger: logger, year: year, form: nil, heads: heads)
            let summaries = try await checks.summaries(of: heads, units: units)
            return (heads.count, summaries.count)
        }
        return (0, 0)
    }
}
