import DRSCore
import DRSOffice
import DRSStorage
import Fluent
import Foundation
import Vapor

/// Each instance's 催报 sender (run by its `JobWorker`): takes up unfinished 催报 runs
/// (`ReminderRunStore`) one at a time — one just confirmed here, one whose instance stopped or died
/// half-way — and reminds their units a batch at a time, renewing its lease after each batch.
///
/// Each batch is decided as the progress page decides its list, as the run's sender, when it is sent:
/// a unit that has submitted every form it owed since the confirmation is not reminded (`skipped`),
/// and a sender's account disabled meanwhile reminds no one.
struct ReminderRunner: Sendable {
    let lease: TimeInterval
    /// The worker's name in the runs' leases.
    let name: String
    var batchSize = 200

    /// Every run it can take, until there is none.
    func work(_ app: Application) async {
        let store = ReminderRunStore(database: app.db, gate: app.platform.gate)
        while !Task.isCancelled {
            do {
                guard let run = try await store.claim(worker: name, now: Date(), until: Date().addingTimeInterval(lease)) else { return }
                try await send(run, store: store, app: app)
            } catch {
                app.logger.warning("催报任务：\(error)")
                return
            }
        }
    }

    /// The run's units not yet sent, a batch at a time, then the run marked finished.
    func send(_ id: UUID, store: ReminderRunStore, app: Application) async throws {
        guard let run = try await store.run(id), !run.finished else { return }
        let platform = app.platform, db = app.db
        var sender: UserAccount?
        if let userID = run.userID { sender = try await UserAccount.find(userID, on: db) }
        let subject = sender.flatMap { $0.disabled ? nil : $0.subject }
        let own = sender?.$unit.id
        let dispatch = ReminderDispatch(delivery: app.mailDelivery, catalog: platform.catalog, gate: platform.gate, batchSize: batchSize)
        let actor = Actor(userID: run.userID, username: run.sentBy, address: run.address)
        let names = Dictionary(platform.catalog.orderedForms.map { ($0.form.id, $0.form.tableNumber) }, uniquingKeysWith: { a, _ in a })
        var decided: [UnitGroup: Progress.DecidedGroup] = [:]
        var after = -1
        // A batch waits on its e-mails (an SMTP server that does not answer: 30 s each, 8 at a time), so
        // the lease is renewed while it is sent, not only between batches: a live worker keeps its run.
        let heartbeat = LeaseHeartbeat.start(lease: lease) { [lease, name] in
            _ = try? await store.renew(id, worker: name, until: Date().addingTimeInterval(lease))
        }
        defer { heartbeat.cancel() }
        // Stopping (shutdown): the lease lapses, and this or another instance goes on from the next batch.
        while !Task.isCancelled {
            let batch = try await store.pending(id, after: after, limit: batchSize)
            guard let last = batch.last else { break }
            let units = try await platform.store(db).units(inOrder: batch.map { $0.unitID })
            for unit in units {
                let group = Progress.group(of: unit, own: own)
                if decided[group] == nil { decided[group] = Progress.decide(subject, platform, group, own: own) }
            }
            let owing = try await Progress.owing(platform, db, own: own, year: run.year, units: units, decided)
            let reminded = Set(owing.compactMap(\.unit.id))
            let outcomes = try await dispatch.send(owing.map { .init(unit: $0.unit, forms: ReminderPages.owed($0, names: names)) },
                                                   year: run.year, deadline: run.deadline, overdue: run.overdue, actor: actor, on: db,
                                                   run: id, skipped: batch.map { $0.unitID }.filter { !reminded.contains($0) })
            for outcome in outcomes where outcome.reminded { ServerMetrics.reminded(outcome.channel.rawValue) }
            after = last.position
            // Taken over meanwhile (this worker was too slow to renew): the other worker goes on.
            guard try await store.renew(id, worker: name, until: Date().addingTimeInterval(lease)) else { return }
        }
        guard !Task.isCancelled else { return }
        try await store.finish(id, worker: name, now: Date())
    }
}

struct ReminderWorkerKey: StorageKey { typealias Value = JobWorker }
