import FluentKit
import SQLKit

/// The schema: one set of migrations for SQLite and PostgreSQL, applied in order (never edited once released).
/// The server and every `drs` command migrate with this one list (`StorageSession`, `configure`).
public enum Schema {
    public static var migrations: [any Migration] {
        [CreateUnits(), CreateUsers(), CreateSubmissions(), CreateAuditEvents(), CreateConsolidations(), IndexSubmissionsByYear(), AddUnitIndustry(),
         CreateReleases(), CreateReportEditions()] + SessionTables.migrations + [AddUserDisabled(), CreateReminders(), IndexAuditSearch(), CreateSubmissionChecks(), CreateImportJobs(), IndexUnitRegions(), IndexNationalLists(), TrackCheckDue(), IndexListLookups(), StoreFollowUpLists(), NotifyChanges(), CoverProvinceQueues(), CompressFormsWithLZ4(), TallyProgress(), QuietCheckMarks(), CreateReminderRuns(), QueueReminderRuns(), IndexProvinceTallies(), NotifyAnswerChanges(), PlaceSubmissionsInProvinces(), IndexUnitTallies()]
    }
}

struct CreateUnits: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(SurveyUnit.schema)
            .id()
            .field("credit_code", .string, .required)
            .field("name", .string, .required)
            .field("region_code", .string, .required)
            .field("address", .string, .required)
            .field("types", .string, .required)
            .field("state_owned", .bool, .required)
            .field("internet_platform", .bool, .required)
            .field("telecom_operator", .bool, .required)
            .field("parent_id", .uuid, .references(SurveyUnit.schema, "id"))
            .field("contact", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "credit_code")
            .create()
    }

    func revert(on db: any Database) async throws { try await db.schema(SurveyUnit.schema).delete() }
}

struct CreateUsers: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(UserAccount.schema)
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("unit_id", .uuid, .references(SurveyUnit.schema, "id"))
            .field("region_code", .string)
            .field("must_change_password", .bool, .required)
            .field("failed_logins", .int, .required)
            .field("locked_until", .datetime)
            .field("created_at", .datetime)
            .unique(on: "username")
            .create()
    }

    func revert(on db: any Database) async throws { try await db.schema(UserAccount.schema).delete() }
}

struct CreateSubmissions: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(Submission.schema)
            .id()
            .field("unit_id", .uuid, .required, .references(SurveyUnit.schema, "id"))
            .field("form_id", .string, .required)
            .field("year", .int, .required)
            .field("status", .string, .required)
            .field("version", .int, .required)
            .field("cells", .string, .required)
            .field("answers", .string, .required)
            .field("explanations", .string, .required)
            .field("return_reason", .string)
            .field("submitted_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "unit_id", "form_id", "year")
            .create()
    }

    func revert(on db: any Database) async throws { try await db.schema(Submission.schema).delete() }
}

struct CreateAuditEvents: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(AuditEvent.schema)
            .id()
            .field("at", .datetime, .required)
            .field("user_id", .uuid)
            .field("username", .string, .required)
            .field("address", .string, .required)
            .field("kind", .string, .required)
            .field("submission_id", .uuid)
            .field("unit_id", .uuid)
            .field("cell", .string)
            .field("old_value", .string)
            .field("new_value", .string)
            .field("detail", .string, .required)
            .create()
    }

    func revert(on db: any Database) async throws { try await db.schema(AuditEvent.schema).delete() }
}

/// Version 2: headquarters consolidations (企业2表 of a central enterprise's group).
struct CreateConsolidations: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(Consolidation.schema)
            .id()
            .field("group_id", .uuid, .required, .references(SurveyUnit.schema, "id"))
            .field("form_id", .string, .required)
            .field("year", .int, .required)
            .field("own_cells", .string, .required)
            .field("lineage", .string, .required)
            .field("consolidated_at", .datetime)
            .field("consolidated_by", .string)
            .field("result_version", .int)
            .field("version", .int, .required)
            .unique(on: "group_id", "form_id", "year")
            .create()
    }

    func revert(on db: any Database) async throws { try await db.schema(Consolidation.schema).delete() }
}

/// Version 2: review queues, progress and aggregation read a year's submissions by status.
struct IndexSubmissionsByYear: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS submissions_year_form_status ON submissions (year, form_id, status)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS audit_events_submission ON audit_events (submission_id, at)").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX IF EXISTS submissions_year_form_status").run()
        try await sql.raw("DROP INDEX IF EXISTS audit_events_submission").run()
    }
}

/// Version 2: the unit's GB/T 4754 industry, for aggregates by industry section.
struct AddUnitIndustry: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(SurveyUnit.schema).field("industry_code", .string).update()
    }

    func revert(on db: any Database) async throws { try await db.schema(SurveyUnit.schema).deleteField("industry_code").update() }
}
