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
    static let batch = 200
    static let idle: Duration = .seconds(30)
    /// The least pause between batches; the pause is at least as long as the batch took, so the
    /// re-check takes at most half of one core from the requests.
    static let pause: Duration = .milliseconds(50)

    private let loop = Mutex<Task<Void, Never>?>(nil)

    func didBoot(_ application: Application) throws {
        let task = Task(priority: .background) { [weak application] in
            var checked = 0, pass = Pass(), started = ContinuousClock.now
            while !Task.isCancelled, let application {
                if checked == 0 { started = .now }
                let batchStarted = ContinuousClock.now
                let round = (try? await Self.round(platform: application.platform, db: application.db, logger: application.logger, pass: &pass))
                    ?? (found: 0, stored: 0)
                checked += round.stored
                if round.found > 0 {
                    try? await Task.sleep(for: max(Self.pause, ContinuousClock.now - batchStarted))
                    continue
                }
                if checked > 0 {
                    let seconds = (ContinuousClock.now - started).components.seconds
                    application.logger.notice("后台重新检查：已检查并保存 \(checked) 份报表的检查结果，用时 \(seconds) 秒")
                }
                checked = 0
                pass = Pass()
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

    /// Where a pass over the reporting years stands: the year it is in (the current year first) and the
    /// last submission id it checked there.
    struct Pass {
        var year: Int?
        var after: UUID?
    }

    /// One batch: up to `batch` submissions whose result is out of date, of the pass's year after its
    /// last id, checked and stored; the pass moves on. Returns how many it found (0: the pass is
    /// through every year) and how many it stored.
    static func round(platform: Platform, db: any Database, logger: Logger, batch: Int = batch,
                      pass: inout Pass) async throws -> (found: Int, stored: Int) {
        let store = platform.store(db)
        let statuses = SubmissionStatus.allCases.filter { $0 != .notStarted }
        let years = platform.catalog.catalog.survey.reportingYears
        var year = pass.year ?? years.to
        while year >= years.from {   // the current year first
            let query = QueueQuery(year: year, forms: platform.catalog.orderedForms.map { $0.form.id }, statuses: statuses, units: .every)
            let heads = try await store.queueUnchecked(query, engine: platform.checkEngine, limit: batch, after: pass.year == year ? pass.after : nil,
                                                      pass: true)
            guard let last = heads.last else {
                year -= 1
                continue
            }
            pass = Pass(year: year, after: last.id)
            let units = try await ReviewQueue.unitsByID(store, heads.map(\.unitID))
            let checks = try await QueueChecks(platform: platform, store: store, logger: logger, year: year, form: nil, heads: heads)
            let summaries = try await checks.summaries(of: heads, units: units)
            return (heads.count, summaries.count)
        }
        pass = Pass(year: years.from - 1, after: nil)
        return (0, 0)
    }
}
