import FluentKit

/// Version 3: every protected output that leaves the national office (docs/disclosure-control.md).
struct CreateReleases: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(DisclosureRelease.schema)
            .id()
            .field("year", .int, .required)
            .field("form_id", .string, .required)
            .field("breakdown", .string, .required)
            .field("destination", .string, .required)
            .field("rules_fingerprint", .string, .required)
            .field("pattern", .string, .required)
            .field("primary_cells", .int, .required)
            .field("secondary_cells", .int, .required)
            .field("cells_failing", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on db: any Database) async throws { try await db.schema(DisclosureRelease.schema).delete() }
}
