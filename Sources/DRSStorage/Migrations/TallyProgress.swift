import FluentKit
import SQLKit

/// 报送进度's tallies (`ProgressTallies`): the two tables, the triggers that append to them on both
/// engines, and their first contents recounted from the data already stored.
struct TallyProgress: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema(ProgressTallies.units)
            .field("province", .string, .required).field("types", .string, .required).field("parent_id", .uuid)
            .field("n", .int64, .required)
            .create()
        try await db.schema(ProgressTallies.submissions)
            .field("year", .int, .required).field("form_id", .string, .required).field("status", .string, .required)
            .field("province", .string, .required).field("types", .string, .required).field("parent_id", .uuid)
            .field("n", .int64, .required)
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        let statements = sql.dialect.name == "sqlite" ? Self.sqliteTriggers : Self.postgresTriggers
        for statement in statements { try await sql.raw(SQLQueryString(statement)).run() }
        try await ProgressTallies.rebuild(on: db)
    }

    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase {
            if sql.dialect.name == "sqlite" {
                for trigger in ["tally_submission_inserted", "tally_submission_deleted", "tally_submission_moved",
                                "tally_unit_inserted", "tally_unit_deleted", "tally_unit_moved"] {
                    try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: trigger)").run()
                }
            } else {
                for function in ["drs_tally_submission", "drs_tally_unit", "drs_tally_truncated"] {
                    try await sql.raw("DROP FUNCTION IF EXISTS \(unsafeRaw: function)() CASCADE").run()
                }
            }
        }
        try await db.schema(ProgressTallies.submissions).delete()
        try await db.schema(ProgressTallies.units).delete()
    }

    // MARK: What a change appends

    /// A submission (`row`: NEW or OLD) counted in (`sign` 1) or out (-1) of its key.
    static func submission(_ row: String, _ sign: Int) -> String {
        """
        INSERT INTO \(ProgressTallies.submissions) (\(ProgressTallies.submissionKey), n)
        SELECT \(row).year, \(row).form_id, \(row).status, substr(u.region_code, 1, 2), u.types, u.parent_id, \(sign) FROM units u WHERE u.id = \(row).unit_id
        """
    }

    /// A unit counted in or out of its key.
    static func unit(_ row: String, _ sign: Int) -> String {
        """
        INSERT INTO \(ProgressTallies.units) (\(ProgressTallies.unitKey), n) VALUES (substr(\(row).region_code, 1, 2), \(row).types, \(row).parent_id, \(sign))
        """
    }

    /// A unit's submissions counted in or out of the unit's key (`row`), when the unit moves.
    static func unitsSubmissions(_ row: String, _ sign: Int) -> String {
        """
        INSERT INTO \(ProgressTallies.submissions) (\(ProgressTallies.submissionKey), n)
        SELECT s.year, s.form_id, s.status, substr(\(row).region_code, 1, 2), \(row).types, \(row).parent_id, \(sign) * COUNT(*)
        FROM submissions s WHERE s.unit_id = \(row).id GROUP BY s.year, s.form_id, s.status
        """
    }

    /// An update that moves a submission to another key (a draft's save does not).
    static func submissionMoved(_ differs: String) -> String {
        ["status", "unit_id", "year", "form_id"].map { "OLD.\($0) \(differs) NEW.\($0)" }.joined(separator: " OR ")
    }

    /// An update that moves a unit to another key (a new name or contact does not).
    static func unitMoved(_ differs: String) -> String {
        "substr(OLD.region_code, 1, 2) \(differs) substr(NEW.region_code, 1, 2) OR OLD.types \(differs) NEW.types OR OLD.parent_id \(differs) NEW.parent_id"
    }

    // MARK: Each engine's triggers

    static var sqliteTriggers: [String] {
        [
            "CREATE TRIGGER tally_submission_inserted AFTER INSERT ON submissions BEGIN \(submission("NEW", 1)); END",
            "CREATE TRIGGER tally_submission_deleted AFTER DELETE ON submissions BEGIN \(submission("OLD", -1)); END",
            """
            CREATE TRIGGER tally_submission_moved AFTER UPDATE ON submissions WHEN \(submissionMoved("IS NOT"))
            BEGIN \(submission("OLD", -1)); \(submission("NEW", 1)); END
            """,
            "CREATE TRIGGER tally_unit_inserted AFTER INSERT ON units BEGIN \(unit("NEW", 1)); END",
            "CREATE TRIGGER tally_unit_deleted AFTER DELETE ON units BEGIN \(unit("OLD", -1)); END",
            """
            CREATE TRIGGER tally_unit_moved AFTER UPDATE ON units WHEN \(unitMoved("IS NOT"))
            BEGIN \(unit("OLD", -1)); \(unit("NEW", 1)); \(unitsSubmissions("OLD", -1)); \(unitsSubmissions("NEW", 1)); END
            """,
        ]
    }

    static var postgresTriggers: [String] {
        [
            """
            CREATE OR REPLACE FUNCTION drs_tally_submission() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN \(submission("OLD", -1)); END IF;
                IF TG_OP <> 'DELETE' THEN \(submission("NEW", 1)); END IF;
                RETURN NULL;
            END $$
            """,
            """
            CREATE OR REPLACE FUNCTION drs_tally_unit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN \(unit("OLD", -1)); END IF;
                IF TG_OP <> 'DELETE' THEN \(unit("NEW", 1)); END IF;
                IF TG_OP = 'UPDATE' THEN \(unitsSubmissions("OLD", -1)); \(unitsSubmissions("NEW", 1)); END IF;
                RETURN NULL;
            END $$
            """,
            """
            CREATE OR REPLACE FUNCTION drs_tally_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_TABLE_NAME = 'units' THEN DELETE FROM \(ProgressTallies.units); END IF;
                DELETE FROM \(ProgressTallies.submissions);
                RETURN NULL;
            END $$
            """,
            "CREATE TRIGGER drs_tally_submission_written AFTER INSERT OR DELETE ON submissions FOR EACH ROW EXECUTE FUNCTION drs_tally_submission()",
            """
            CREATE TRIGGER drs_tally_submission_moved AFTER UPDATE ON submissions FOR EACH ROW
            WHEN (\(submissionMoved("IS DISTINCT FROM"))) EXECUTE FUNCTION drs_tally_submission()
            """,
            "CREATE TRIGGER drs_tally_unit_written AFTER INSERT OR DELETE ON units FOR EACH ROW EXECUTE FUNCTION drs_tally_unit()",
            """
            CREATE TRIGGER drs_tally_unit_moved AFTER UPDATE ON units FOR EACH ROW
            WHEN (\(unitMoved("IS DISTINCT FROM"))) EXECUTE FUNCTION drs_tally_unit()
            """,
            "CREATE TRIGGER drs_tally_submissions_truncated AFTER TRUNCATE ON submissions FOR EACH STATEMENT EXECUTE FUNCTION drs_tally_truncated()",
            "CREATE TRIGGER drs_tally_units_truncated AFTER TRUNCATE ON units FOR EACH STATEMENT EXECUTE FUNCTION drs_tally_truncated()",
        ]
    }
}
