import FluentKit
import SQLKit

/// Version 6: bulk-import jobs and their files live in the database, so a job posted to one instance
/// is continued by another (or by the same after a restart) when its worker stops (`ImportJobStore`).
struct CreateImportJobs: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(ImportJobStore.jobs)
            .id()
            .field("owner_id", .uuid, .required, .references(UserAccount.schema, "id"))
            .field("owner_name", .string, .required)
            .field("address", .string, .required)
            .field("import_status", .string, .required)
            .field("total", .int, .required)
            .field("created_at", .double, .required)
            .field("finished_at", .double)
            // The worker that holds the job, and until when (seconds since 1970): a lapsed lease is taken over.
            .field("lease_owner", .string)
            .field("lease_until", .double)
            .create()
        try await db.schema(ImportJobStore.files)
            .id()
            .field("job_id", .uuid, .required, .references(ImportJobStore.jobs, "id", onDelete: .cascade))
            .field("seq", .int, .required)
            .field("name", .string, .required)
            .field("bytes", .data, .required)
            .field("outcome", .string)
            .field("unit", .string)
            .field("form", .string)
            .field("reasons", .string)
            .field("done_at", .double)
            .unique(on: "job_id", "seq")
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS import_jobs_open ON import_jobs (finished_at, created_at)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(ImportJobStore.files).delete()
        try await db.schema(ImportJobStore.jobs).delete()
    }
}
