import FluentKit
import SQLKit

/// Each submission carries its unit's province (`submissions.province`, the first two digits of the
/// unit's region code), kept by the database on both engines: set when a submission is written and
/// moved with its unit. A province's review queue then reads its own submissions from one index
/// (PostgreSQL, `submissions_year_status_province`) and looks up only their units, instead of
/// joining every unit of the province to the nation's submissions in those statuses
/// (docs/benchmarks.md (ak): 广东's 已提交 page 10.6 ms → 4.6 ms at 100,000 units).
///
/// The column is derived, like the progress tallies, but copied as it stands by `drs migrate-db`
/// (PostgreSQL's trigger sets it again from the copied units, to the same value) and by backups.
/// SQLite keeps it too, so that both engines have the same tables and columns; its queues still walk
/// the units (`SubmissionStore.Walk`), and it has no index on it.
struct PlaceSubmissionsInProvinces: AsyncMigration {
    /// The province of the submission `row` (NEW or OLD) read from its unit.
    static func unitProvince(of row: String) -> String {
        "(SELECT substr(u.region_code, 1, 2) FROM units u WHERE u.id = \(row).unit_id)"
    }

    /// A unit whose region code moved it to another province.
    static let unitMoved = "substr(OLD.region_code, 1, 2) IS DISTINCT FROM substr(NEW.region_code, 1, 2)"

    func prepare(on db: any Database) async throws {
        try await db.schema("submissions").field("province", .string).update()
        guard let sql = db as? any SQLDatabase else { return }
        let statements = sql.dialect.name == "sqlite" ? Self.sqliteTriggers : Self.postgresTriggers
        for statement in statements { try await sql.raw(SQLQueryString(statement)).run() }
        // The rows already stored. On PostgreSQL this announces the nation's verified forms as changed
        // once (`NotifyChanges`): running instances forget their kept aggregates and compute them again.
        try await ProgressTallies.placeSubmissions(on: db)
        if sql.dialect.name != "sqlite" {
            try await sql.raw("""
                CREATE INDEX IF NOT EXISTS submissions_year_status_province ON submissions (year, status, province)
                INCLUDE (unit_id, form_id, id, version, return_reason)
                """).run()
        }
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase {
            if sql.dialect.name == "sqlite" {
                for trigger in ["province_submission_written", "province_submission_moved", "province_unit_moved"] {
                    try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: trigger)").run()
                }
            } else {
                try await sql.raw("DROP INDEX IF EXISTS submissions_year_status_province").run()
                for function in ["drs_place_submission", "drs_place_units_submissions"] {
                    try await sql.raw("DROP FUNCTION IF EXISTS \(unsafeRaw: function)() CASCADE").run()
                }
            }
        }
        try await db.schema("submissions").deleteField("province").update()
    }

    /// SQLite cannot change NEW before a write: the row is placed just after it.
    static var sqliteTriggers: [String] {
        [
            """
            CREATE TRIGGER province_submission_written AFTER INSERT ON submissions
            BEGIN UPDATE submissions SET province = \(unitProvince(of: "NEW")) WHERE id = NEW.id; END
            """,
            """
            CREATE TRIGGER province_submission_moved AFTER UPDATE OF unit_id ON submissions WHEN OLD.unit_id IS NOT NEW.unit_id
            BEGIN UPDATE submissions SET province = \(unitProvince(of: "NEW")) WHERE id = NEW.id; END
            """,
            """
            CREATE TRIGGER province_unit_moved AFTER UPDATE OF region_code ON units WHEN \(unitMoved)
            BEGIN UPDATE submissions SET province = substr(NEW.region_code, 1, 2) WHERE unit_id = NEW.id; END
            """,
        ]
    }

    /// PostgreSQL sets the row as it is written, whatever the statement supplied.
    static var postgresTriggers: [String] {
        [
            """
            CREATE OR REPLACE FUNCTION drs_place_submission() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.province := \(unitProvince(of: "NEW"));
                RETURN NEW;
            END $$
            """,
            """
            CREATE OR REPLACE FUNCTION drs_place_units_submissions() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE submissions SET province = substr(NEW.region_code, 1, 2) WHERE unit_id = NEW.id;
                RETURN NULL;
            END $$
            """,
            "CREATE TRIGGER drs_province_submission_written BEFORE INSERT ON submissions FOR EACH ROW EXECUTE FUNCTION drs_place_submission()",
            """
            CREATE TRIGGER drs_province_submission_moved BEFORE UPDATE OF unit_id, province ON submissions FOR EACH ROW
            WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.province IS DISTINCT FROM NEW.province)
            EXECUTE FUNCTION drs_place_submission()
            """,
            """
            CREATE TRIGGER drs_province_unit_moved AFTER UPDATE OF region_code ON units FOR EACH ROW
            WHEN (\(unitMoved)) EXECUTE FUNCTION drs_place_units_submissions()
            """,
        ]
    }
}
