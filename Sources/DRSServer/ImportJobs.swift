import DRSCore
import DRSExchange
import DRSStorage
import DRSWorkflow
import Fluent
import DRSOffice
import Foundation
import Vapor

/// The import page's background jobs: files posted by the national office (or a headquarters) are
/// imported one by one by `BulkImport` while the page polls the progress. Jobs live in the instance
/// that runs them (a restart loses the progress, not the data: re-posting the files skips what is in).
actor ImportJobs {
    struct Job: Sendable {
        var id: UUID
        var owner: UUID
        var total: Int
        var summary = BulkImport.Summary()
        var started = Date()
        var finished: Date?
    }

    private var jobs: [UUID: Job] = [:]

    func start(owner: UUID, total: Int) -> UUID {
        let id = UUID()
        jobs[id] = Job(id: id, owner: owner, total: total)
        return id
    }

    func record(_ id: UUID, _ result: BulkImport.FileResult) { jobs[id]?.summary.results.append(result) }
    func finish(_ id: UUID) { jobs[id]?.finished = Date() }
    func job(_ id: UUID) -> Job? { jobs[id] }

    /// Running jobs and their files, for `/metrics`.
    func progress() -> (running: Int, filesDone: Int, filesTotal: Int) {
        let running = jobs.values.filter { $0.finished == nil }
        return (running.count, running.reduce(0) { $0 + $1.summary.results.count }, running.reduce(0) { $0 + $1.total })
    }
}

struct ImportJobsKey: StorageKey { typealias Value = ImportJobs }

extension Application {
    var importJobs: ImportJobs {
        if let jobs = storage[ImportJobsKey.self] { return jobs }
        let jobs = ImportJobs()
        storage[ImportJobsKey.self] = jobs
        return jobs
    }
}

/// `POST /api/v1/import/jobs` (multipart files), `GET /api/v1/import/jobs/:jobID`, and the page: the
/// national office imports for any unit (and may load last year's verified figures); a central
/// enterprise's headquarters imports drafts for itself and its subsidiaries.
struct ImportController {
    struct Upload: Content {
        var files: [File]
        var status: String?
    }

    func register(_ app: Application) throws {
        let api = app.routes.grouped("api", "v1", "import", "jobs")
        api.secure(.POST, access: .importer, body: .collect(maxSize: "200mb")) { req async throws -> Response in
            let upload: Upload
            do { upload = try req.content.decode(Upload.self) } catch {
                throw APIError.badRequest("malformed_body", "请以 multipart/form-data 提交文件（字段名 files）")
            }
            guard !upload.files.isEmpty else { throw APIError.badRequest("no_files", "没有收到文件") }
            let status = SubmissionStatus(rawValue: upload.status ?? "draft") ?? .draft
            guard SubmissionStep.importStatuses.contains(status) else { throw APIError.badRequest("bad_status", "导入状态只能是 draft 或 verified") }
            let user = try req.requireUser()
            if status == .verified, user.role != .admin { throw APIError(status: .forbidden, code: "forbidden", message: "只有国家数据局可以导入核定数") }
            // Each file's unit and form is decided by the access table (a headquarters: its group).
            let subject = user.subject, platform = req.platform
            let jobs = req.application.importJobs
            let id = await jobs.start(owner: try user.requireID(), total: upload.files.count)
            let files = upload.files.map { (name: $0.filename, bytes: Array($0.data.readableBytesView)) }
            let db = req.db, catalog = req.platform.catalog, store = req.platform.store(req.db), actor = req.actor
            // The work continues after the response; each file is its own transaction.
            Task.detached {
                for file in files {
                    let read = (try? await Offload.run { BulkImport.read(file.bytes, name: file.name, catalog: catalog) })
                        ?? BulkImport.read(file.bytes, name: file.name, catalog: catalog)
                    let result = (try? await BulkImport.store(read, path: file.name, db: db, store: store, catalog: catalog, status: status, actor: actor,
                                                              allowed: { unit, formID in
                                                                  AccessPolicy.decide(subject, .importForm, platform.accessTarget(unit, formID: formID)).isAllowed
                                                              }))
                        ?? BulkImport.FileResult(path: file.name, outcome: .rejected, unit: nil, form: nil, reasons: ["保存时出错，请重试"])
                    await jobs.record(id, result)
                }
                await jobs.finish(id)
            }
            return JSONValue.object([("job", .string(id.uuidString)), ("total", .int(files.count))]).response(status: .accepted)
        }
        api.secure(.GET, ":jobID", access: .importer) { req async throws -> JSONValue in
            guard let id = req.parameters.get("jobID", as: UUID.self), let job = await req.application.importJobs.job(id),
                  job.owner == req.currentUser?.id else { throw APIError.notFound("导入任务") }
            let done = job.summary.results.count
            let seconds = max((job.finished ?? Date()).timeIntervalSince(job.started), 0.001)
            let rate = Double(done) / seconds
            return .object([
                ("job", .string(id.uuidString)), ("total", .int(job.total)), ("done", .int(done)), ("finished", .bool(job.finished != nil)),
                ("imported", .int(job.summary.count(.imported))), ("unchanged", .int(job.summary.count(.unchanged))),
                ("rejected", .int(job.summary.count(.rejected))), ("perSecond", .number(String(Int(rate)))),
                ("secondsLeft", .int(rate > 0 ? Int(Double(job.total - done) / rate) : 0)),
                ("results", .array(job.summary.results.map { r in
                    .object([("file", .string(r.path)), ("outcome", .string(r.outcome.rawValue)), ("unit", .string(r.unit)), ("form", .string(r.form)),
                             ("reasons", .array(r.reasons.map { .string($0) }))])
                })),
            ])
        }
        app.routes.grouped("admin").secure(.GET, "import", access: .importer) { req async throws -> View in
            try await req.view.render("import", ImportPage(layout: PageController().layout(req, "批量导入")))
        }
    }
}

struct ImportPage: Encodable { var layout: Layout }
