import DRSCore
import DRSExchange
import DRSStorage
import DRSWorkflow
import Fluent
import DRSOffice
import Foundation
import Vapor

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
            // Stored with the job; the worker of this or any instance imports them (ImportWorker).
            let files = upload.files.map { (name: $0.filename, bytes: Array($0.data.readableBytesView)) }
            let actor = req.actor
            let id = try await ImportJobStore(database: req.db, gate: req.platform.gate)
                .create(ownerID: try user.requireID(), ownerName: actor.username, address: actor.address, importStatus: status.rawValue,
                        files: files, now: Date())
            req.application.storage[ImportWorkerKey.self]?.wake()
            return JSONValue.object([("job", .string(id.uuidString)), ("total", .int(files.count))]).response(status: .accepted)
        }
        api.secure(.GET, ":jobID", access: .importer) { req async throws -> JSONValue in
            guard let id = req.parameters.get("jobID", as: UUID.self),
                  let (job, results) = try await ImportJobStore(database: req.db, gate: req.platform.gate).job(id),
                  job.ownerID == req.currentUser?.id else { throw APIError.notFound("导入任务") }
            return Self.progress(job, results)
        }
        app.routes.grouped("admin").secure(.GET, "import", access: .importer) { req async throws -> View in
            try await req.view.render("import", ImportPage(layout: PageController().layout(req, "批量导入")))
        }
    }
}

extension ImportController {
    /// A job's progress as the import page polls it.
    static func progress(_ job: ImportJobStore.Job, _ results: [ImportJobStore.FileResult]) -> JSONValue {
        let done = results.count
        let seconds = max((job.finishedAt ?? Date()).timeIntervalSince(job.createdAt), 0.001)
        let rate = Double(done) / seconds
        func count(_ outcome: BulkImport.Outcome) -> Int { results.filter { $0.outcome == outcome.rawValue }.count }
        return .object([
            ("job", .string(job.id.uuidString)), ("total", .int(job.total)), ("done", .int(done)), ("finished", .bool(job.finishedAt != nil)),
            ("imported", .int(count(.imported))), ("unchanged", .int(count(.unchanged))), ("rejected", .int(count(.rejected))),
            ("perSecond", .number(String(Int(rate)))), ("secondsLeft", .int(rate > 0 ? Int(Double(job.total - done) / rate) : 0)),
            ("results", .array(results.map { r in
                .object([("file", .string(r.name)), ("outcome", .string(r.outcome)), ("unit", .string(r.unit)), ("form", .string(r.form)),
                         ("reasons", .array(r.reasons.map { .string($0) }))])
            })),
        ])
    }
}

struct ImportPage: Encodable { var layout: Layout }
