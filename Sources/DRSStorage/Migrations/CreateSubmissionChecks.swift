import FluentKit
import SQLKit

/// Version 6: each submission's check result as the review lists show it (errors, warnings,
/// unexplained warnings, blank required cells), with the stamp of what it was computed from, so a
/// list re-checks only the submissions that changed since (`SubmissionStore.checkSummaries`).
struct CreateSubmissionChecks: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(CheckSummary.schema)
            .field("submission_id", .uuid, .identifier(auto: false), .references(Submission.schema, "id", onDelete: .cascade))
            .field("stamp", .string, .required)
            .field("errors", .int, .required)
            .field("warnings", .int, .required)
            .field("unexplained", .int, .required)
            .field("missing", .int, .required)
            .field("clean", .bool, .required)
            .field("unknown_cells", .string, .required)
            .create()
    }

    func revert(on db: any Database) async throws { try await db.schema(CheckSummary.schema).delete() }
}
