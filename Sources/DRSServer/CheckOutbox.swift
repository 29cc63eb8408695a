import DRSApplication
import DRSCore
import DRSStorage
import Foundation
import Synchronization
import Vapor

/// Check results of the instance's own writes, kept as they are made: a save, a submission or a review
/// step checks the figures anyway (for the filer's page, or to refuse the step), so its result is kept
/// with the version the write made, and stored within a second, a batch at a time
/// (`storeCheckSummaries`: one transaction for all of them, not one per save). A review queue then
/// finds the submissions just written already checked instead of checking them itself, and the
/// background re-check (`CheckRefresher`) is left with what changed behind the instance's back. A
/// result lost with a stopped instance only leaves its submission due, as before.
final class CheckOutbox: Sendable {
    /// What a check was computed from besides the figures (`CheckStamp.submission`).
    struct Inputs: Sendable {
        var unit: SurveyUnit
        var form: CompiledForm
        var lastYear: (id: UUID, version: Int)?
        var answers: [String: String]
    }

    static let interval: Duration = .seconds(1)
    private let pending = Mutex<[UUID: CheckSummary]>([:])
    private let lastFlush = Mutex<Task<Void, Never>?>(nil)

    /// Keeps the result of a write that left submission `id` at `version` in `status`; `unknownCells`:
    /// its stored cells the catalog does not define (none after a save, which writes only known cells).
    func keep(_ report: CheckReport, of id: UUID, version: Int, status: SubmissionStatus, inputs: Inputs, engine: String,
              unknownCells: [String] = []) {
        let stamp = CheckStamp.submission(version: version, lastYear: inputs.lastYear, answers: inputs.answers, unit: inputs.unit, engine: engine)
        let summary = CheckSummary(stamp: stamp, version: version, engine: engine, errors: report.errors.count, warnings: report.warnings.count,
                                   unexplained: report.warnings.filter { $0.needsExplanation && !$0.isExplained }.count,
                                   missing: report.missing.count, clean: BulkApproval.isClean(status: status, report: report), unknownCells: unknownCells)
        pending.withLock { waiting in
            if (waiting[id]?.version ?? Int.min) < version { waiting[id] = summary }
        }
    }

    /// Keeps the result of a step (submission, review) checked at `checked.version`, when the step
    /// moved the submission on by exactly one version: the figures checked are then the figures of
    /// the version it made (a step changes the status only). The stored cells the request could not
    /// read (`storedCellNotes` of 本表数据) are the submission's unknown cells.
    func keep(after checked: (version: Int, report: CheckReport, inputs: Inputs)?, _ updated: SubmissionSnapshot, _ req: Request) {
        guard let checked, updated.version == checked.version + 1 else { return }
        let unknown = req.storedCellNotes.filter { $0.source == SubmissionController.ownFigures }.flatMap(\.cells.keys)
        keep(checked.report, of: updated.id, version: updated.version, status: updated.status, inputs: checked.inputs,
             engine: req.platform.checkEngine, unknownCells: unknown)
    }

    /// Stores what is waiting; on failure it waits for the next round (the submission stays due meanwhile).
    /// After a flush under way elsewhere (the flusher's, a test's): when it returns, every result kept
    /// before the call is stored.
    func flush(_ store: SubmissionStore, logger: Logger) async {
        let task = lastFlush.withLock { last -> Task<Void, Never> in
            let previous = last
            let task = Task { [self] in
                await previous?.value
                await storeWaiting(store, logger: logger)
            }
            last = task
            return task
        }
        await task.value
    }

    private func storeWaiting(_ store: SubmissionStore, logger: Logger) async {
        let batch = pending.withLock { waiting -> [UUID: CheckSummary] in defer { waiting = [:] }; return waiting }
        guard !batch.isEmpty else { return }
        do { try await store.storeCheckSummaries(batch) } catch {
            logger.warning("检查结果未能保存（稍后再试）", metadata: ["error": "\(error)", "count": "\(batch.count)"])
            pending.withLock { waiting in
                for (id, summary) in batch where (waiting[id]?.version ?? Int.min) < summary.version { waiting[id] = summary }
            }
        }
    }

    var waiting: Int { pending.withLock { $0.count } }
}

/// Stores the outbox every `CheckOutbox.interval`, and once more at stop.
final class CheckOutboxFlusher: LifecycleHandler, Sendable {
    private let loop = Mutex<Task<Void, Never>?>(nil)

    func didBoot(_ application: Application) throws {
        let task = Task { [weak application] in
            while !Task.isCancelled {
                try? await Task.sleep(for: CheckOutbox.interval)
                guard let application else { return }
                await application.platform.checkOutbox.flush(application.platform.store(application.db), logger: application.logger)
            }
        }
        loop.withLock { $0 = task }
    }

    func shutdownAsync(_ application: Application) async {
        let task = loop.withLock { task -> Task<Void, Never>? in defer { task = nil }; return task }
        task?.cancel()
        await task?.value
        await application.platform.checkOutbox.flush(application.platform.store(application.db), logger: application.logger)
    }
}
