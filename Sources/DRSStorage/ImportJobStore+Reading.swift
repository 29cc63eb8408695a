import FluentKit
import Foundation
import SQLKit

extension ImportJobStore {
    /// A job and the results of its files imported so far, in the order they were posted.
    public func job(_ id: UUID) async throws -> (job: Job, results: [FileResult])? {
        let sql = try self.sql
        guard let row = try await sql.raw("""
            SELECT id, owner_id, owner_name, address, import_status, total, created_at, finished_at FROM import_jobs WHERE id = \(bind: id)
            """).first() else { return nil }
        let job = Job(id: id, ownerID: try row.decode(column: "owner_id", as: UUID.self), ownerName: try row.decode(column: "owner_name", as: String.self),
                      address: try row.decode(column: "address", as: String.self), importStatus: try row.decode(column: "import_status", as: String.self),
                      total: try row.decode(column: "total", as: Int.self),
                      createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)),
                      finishedAt: try row.decode(column: "finished_at", as: Double?.self).map(Date.init(timeIntervalSince1970:)))
        let files = try await sql.raw("""
            SELECT name, outcome, unit, form, reasons FROM import_job_files WHERE job_id = \(bind: id) AND done_at IS NOT NULL ORDER BY seq
            """).all()
        let results = try files.map { file in
            let reasons = try file.decode(column: "reasons", as: String?.self).flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) }
            return FileResult(name: try file.decode(column: "name", as: String.self), outcome: try file.decode(column: "outcome", as: String?.self) ?? "rejected",
                              unit: try file.decode(column: "unit", as: String?.self), form: try file.decode(column: "form", as: String?.self),
                              reasons: reasons ?? [])
        }
        return (job, results)
    }

    /// Open jobs and their files (done, posted), for `/metrics`.
    public func openProgress() async throws -> (running: Int, filesDone: Int, filesTotal: Int) {
        let open = try await lease.openProgress(items: Self.files, jobColumn: "job_id", doneColumn: "done_at")
        return (open.jobs, open.done, open.total)
    }
}
