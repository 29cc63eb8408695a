import DRSCore
import DRSOffice
import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import Vapor

/// Each instance's importer (run by its `JobWorker`): takes up open import jobs (`ImportJobStore`)
/// one at a time — its own, another instance's whose lease lapsed, a job left by a restart — and
/// imports their files one by one, each in its own transaction, renewing its lease while it works
/// (`LeaseHeartbeat`) and after each file.
struct ImportWorker: Sendable {
    /// How long a job stays with a worker that has stopped renewing it (`drs serve --import-lease-seconds`).
    let lease: TimeInterval
    /// The worker's name in the jobs' leases.
    let name: String

    /// Every job it can take, until there is none.
    func work(_ app: Application) async {
        let store = ImportJobStore(database: app.db, gate: app.platform.gate)
        while !Task.isCancelled {
            do {
                guard let job = try await store.claim(worker: name, now: Date(), until: Date().addingTimeInterval(lease)) else { return }
                try await run(job, store: store, app: app)
            } catch {
                app.logger.warning("导入任务：\(error)")
                return
            }
        }
    }

    /// One job's remaining files, as its owner: the access table decides each file's unit and form now.
    private func run(_ id: UUID, store: ImportJobStore, app: Application) async throws {
        guard let (job, _) = try await store.job(id) else { return }
        let platform = app.platform, catalog = platform.catalog, submissions = platform.store(app.db)
        let owner = try await UserAccount.find(job.ownerID, on: app.db)
        let status = SubmissionStatus(rawValue: job.importStatus) ?? .draft
        let actor = Actor(userID: job.ownerID, username: job.ownerName, address: job.address)
        // A file can take a while (a large workbook on a busy instance): the lease is renewed while it is
        // imported, not only between files.
        let heartbeat = LeaseHeartbeat.start(lease: lease) { [lease, name] in
            _ = try? await store.renew(id, worker: name, until: Date().addingTimeInterval(lease))
        }
        defer { heartbeat.cancel() }
        while let file = try await store.nextFile(id) {
            let result: BulkImport.FileResult
            if let owner, !owner.disabled {
                let subject = owner.subject
                let read = (try? await Offload.run { BulkImport.read(file.bytes, name: file.name, catalog: catalog) })
                    ?? BulkImport.read(file.bytes, name: file.name, catalog: catalog)
                result = (try? await BulkImport.store(read, path: file.name, db: app.db, store: submissions, catalog: catalog, status: status, actor: actor,
                                                      allowed: { unit, formID in
                                                          AccessPolicy.decide(subject, .importForm, platform.accessTarget(unit, formID: formID)).isAllowed
                                                      }))
                    ?? BulkImport.FileResult(path: file.name, outcome: .rejected, unit: nil, form: nil, reasons: ["保存时出错，请重试"])
            } else {
                result = BulkImport.FileResult(path: file.name, outcome: .rejected, unit: nil, form: nil, reasons: ["发起导入的账户已停用或不存在"])
            }
            try await store.record(file.id, .init(name: file.name, outcome: result.outcome.rawValue, unit: result.unit, form: result.form,
                                                  reasons: result.reasons), now: Date())
            ServerMetrics.importedFile(result.outcome.rawValue)
            // Taken over meanwhile (this worker was too slow to renew): the other worker goes on.
            guard try await store.renew(id, worker: name, until: Date().addingTimeInterval(lease)) else { return }
        }
        try await store.finish(id, worker: name, now: Date())
    }
}

struct ImportWorkerKey: StorageKey { typealias Value = JobWorker }
