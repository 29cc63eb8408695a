import FluentKit

/// Version 4: the editions of 《全国数据资源调查报告》 and their files (bytes in the database, so an
/// edition is one backup away from being restored, on SQLite and PostgreSQL alike).
struct CreateReportEditions: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(ReportEdition.schema)
            .id()
            .field("year", .int, .required)
            .field("edition", .int, .required)
            .field("state", .string, .required)
            .field("superseded_by", .uuid, .references(ReportEdition.schema, "id"))
            .field("content_hash", .string, .required)
            .field("notice", .string, .required)
            .field("nbs_by", .string, .required)
            .field("nbs_at", .datetime, .required)
            .field("published_by", .string)
            .field("published_at", .datetime)
            // Two concurrent copies of one year get the same next number: the second is refused here.
            .unique(on: "year", "edition")
            .create()
        try await db.schema(ReportEditionFile.schema)
            .id()
            .field("edition_id", .uuid, .required, .references(ReportEdition.schema, "id"))
            .field("name", .string, .required)
            .field("bytes", .data, .required)
            .field("sha256", .string, .required)
            .field("size", .int, .required)
            .unique(on: "edition_id", "name")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(ReportEditionFile.schema).delete()
        try await db.schema(ReportEdition.schema).delete()
    }
}
