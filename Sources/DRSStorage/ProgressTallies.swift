import FluentKit
import Foundation
import SQLKit

/// 报送进度's counts kept as the data changes, so the national table reads a few thousand tallies
/// instead of grouping the year's 200,000 submissions on every request (docs/benchmarks.md (x)).
///
/// Triggers in the database (`TallyProgress`) append a row of +1 or −1 to a tally for every change
/// that moves a unit or a submission between counts: a unit registered, moved to another province,
/// given other types or another headquarters; a submission created, deleted or changing status. So
/// every writer is counted, a `drs` command or an operator's SQL as much as the server. The tables
/// are append-only: no writer waits for another on a shared counter row (at the deadline thousands
/// of units change status on the same few counts, and an upsert there would serialise them and
/// could deadlock two transactions that move counts in opposite directions). A count is the sum of
/// its key's rows; `compact` sums them back into one row per key from time to time.
///
/// Both tables are derived: `rebuild` recomputes them from units and submissions (the migration that
/// creates them, `drs migrate-db` after its copy), and `drift` lists where they differ from a recount.
/// So does each submission's province, which triggers keep as well (`PlaceSubmissionsInProvinces`).
public enum ProgressTallies {
    /// Units by province (first two digits of the region code), types and headquarters (NULL: none).
    public static let units = "unit_tallies"
    /// Submissions by year, form, status and their unit's province, types and headquarters.
    public static let submissions = "submission_tallies"
    /// Both, which `drs migrate-db` recomputes rather than copies.
    public static let tables: Set<String> = [units, submissions]

    static let unitKey = "province, types, parent_id"
    static let submissionKey = "year, form_id, status, province, types, parent_id"

    /// Recomputes both tallies from units and submissions, one row per key, in one transaction. On
    /// PostgreSQL the tallies are locked against appends first: a change committed meanwhile would
    /// otherwise be in the recount and also in a row the `DELETE` did not see. Writers that change a
    /// count wait the second this takes; drafts' saves do not.
    public static func rebuild(on db: any Database) async throws {
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            if sql.dialect.name != "sqlite" {
                try await sql.raw("LOCK TABLE \(unsafeRaw: units), \(unsafeRaw: submissions) IN EXCLUSIVE MODE").run()
            }
            try await recount(sql)
        }
    }

    private static func recount(_ sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM \(unsafeRaw: units)").run()
        try await sql.raw("""
            INSERT INTO \(unsafeRaw: units) (\(unsafeRaw: unitKey), n)
            SELECT substr(region_code, 1, 2), types, parent_id, COUNT(*) FROM units GROUP BY substr(region_code, 1, 2), types, parent_id
            """).run()
        try await sql.raw("DELETE FROM \(unsafeRaw: submissions)").run()
        try await sql.raw("""
            INSERT INTO \(unsafeRaw: submissions) (\(unsafeRaw: submissionKey), n)
            SELECT s.year, s.form_id, s.status, substr(u.region_code, 1, 2), u.types, u.parent_id, COUNT(*)
            FROM submissions s JOIN units u ON u.id = s.unit_id
            GROUP BY s.year, s.form_id, s.status, substr(u.region_code, 1, 2), u.types, u.parent_id
            """).run()
    }

    /// Sets each submission's province to its unit's where it is not (`PlaceSubmissionsInProvinces`
    /// fills the column so; afterwards only rows changed with triggers off can differ).
    public static func placeSubmissions(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let provinceOfUnit = PlaceSubmissionsInProvinces.unitProvince(of: "submissions")
        try await sql.raw("""
            UPDATE submissions SET province = \(unsafeRaw: provinceOfUnit)
            WHERE province IS NULL OR province <> \(unsafeRaw: provinceOfUnit)
            """).run()
    }

    /// How many rows a table may grow by before it is compacted (`TallyCompaction`, `drs import`): a
    /// progress request then sums at most this many rows beyond one per key.
    public static let compactionGrowth = 5_000

    /// Sums each table's rows back into one row per key (dropping keys that sum to nothing), where it
    /// has grown by more than `growth` rows since `previous` (the rows each held after the last
    /// compaction; none: compact). Returns the rows each table holds afterwards.
    /// PostgreSQL: one statement per table, which moves exactly the rows it deleted, so rows that
    /// writers append meanwhile stay as they are; one instance at a time (an advisory lock: the others
    /// skip, and return `previous`). SQLite: in one transaction of the single writer, the rows up to
    /// the highest rowid.
    public static func compact(on db: any Database, previous: [String: Int] = [:], growth: Int = 0) async throws -> [String: Int] {
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return previous }
            let isSQLite = sql.dialect.name == "sqlite"
            if !isSQLite {
                let locked = try await sql.raw("SELECT pg_try_advisory_xact_lock(\(bind: advisoryLock)) AS locked").first()
                guard try locked?.decode(column: "locked", as: Bool.self) == true else { return previous }
            }
            var left: [String: Int] = [:]
            for (table, key) in [(units, unitKey), (submissions, submissionKey)] {
                let rows = try await count(table, on: sql)
                guard rows > (previous[table] ?? 0) + growth else {
                    left[table] = rows
                    continue
                }
                if isSQLite {
                    let last = try await sql.raw("SELECT MAX(rowid) AS last FROM \(unsafeRaw: table)").first()?.decode(column: "last", as: Int64?.self) ?? 0
                    try await sql.raw("""
                        INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: key), n) SELECT \(unsafeRaw: key), SUM(n) FROM \(unsafeRaw: table)
                        WHERE rowid <= \(bind: last) GROUP BY \(unsafeRaw: key) HAVING SUM(n) <> 0
                        """).run()
                    try await sql.raw("DELETE FROM \(unsafeRaw: table) WHERE rowid <= \(bind: last)").run()
                } else {
                    try await sql.raw("""
                        WITH moved AS (DELETE FROM \(unsafeRaw: table) RETURNING \(unsafeRaw: key), n)
                        INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: key), n) SELECT \(unsafeRaw: key), SUM(n) FROM moved
                        GROUP BY \(unsafeRaw: key) HAVING SUM(n) <> 0
                        """).run()
                }
                left[table] = try await count(table, on: sql)
            }
            return left
        }
    }

    /// Where the tallies differ from a recount (`table key: tallied → counted`) and submissions are not
    /// placed in their unit's province (`submissions.province stored → the unit's: how many`); none when all agree.
    public static func drift(on db: any Database) async throws -> [String] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let unitRows = try await sql.raw("""
            SELECT province, types, parent_id, CAST(SUM(t) AS BIGINT) AS tallied, CAST(SUM(c) AS BIGINT) AS counted FROM (
                SELECT \(unsafeRaw: unitKey), n AS t, 0 AS c FROM \(unsafeRaw: units)
                UNION ALL SELECT substr(region_code, 1, 2), types, parent_id, 0, 1 FROM units
            ) x GROUP BY province, types, parent_id HAVING SUM(t) <> SUM(c)
            """).all()
        let submissionRows = try await sql.raw("""
            SELECT year, form_id, status, province, types, parent_id, CAST(SUM(t) AS BIGINT) AS tallied, CAST(SUM(c) AS BIGINT) AS counted FROM (
                SELECT \(unsafeRaw: submissionKey), n AS t, 0 AS c FROM \(unsafeRaw: submissions)
                UNION ALL SELECT s.year, s.form_id, s.status, substr(u.region_code, 1, 2), u.types, u.parent_id, 0, 1
                FROM submissions s JOIN units u ON u.id = s.unit_id
            ) x GROUP BY year, form_id, status, province, types, parent_id HAVING SUM(t) <> SUM(c)
            """).all()
        let misplaced = try await sql.raw("""
            SELECT s.province AS province, substr(u.region_code, 1, 2) AS counted, COUNT(*) AS n FROM submissions s JOIN units u ON u.id = s.unit_id
            WHERE s.province IS NULL OR s.province <> substr(u.region_code, 1, 2) GROUP BY 1, 2 ORDER BY 1, 2
            """).all().map { row in
                "submissions.province \(try row.decode(column: "province", as: String?.self) ?? "-") → \(try row.decode(column: "counted", as: String.self)): "
                    + "\(try row.decode(column: "n", as: Int.self))"
            }
        func line(_ table: String, _ row: any SQLRow, _ key: [String]) throws -> String {
            let parts = try key.map { column -> String in
                if column == "year" { return String(try row.decode(column: column, as: Int.self)) }
                if column == "parent_id" { return (try row.decode(column: column, as: UUID?.self)).map { "\($0)" } ?? "-" }
                return try row.decode(column: column, as: String.self)
            }
            return "\(table) \(parts.joined(separator: "/")): \(try row.decode(column: "tallied", as: Int.self)) → \(try row.decode(column: "counted", as: Int.self))"
        }
        return try unitRows.map { try line(units, $0, ["province", "types", "parent_id"]) }
            + submissionRows.map { try line(submissions, $0, ["year", "form_id", "status", "province", "types", "parent_id"]) } + misplaced
    }

    /// The rows a table holds now.
    static func count(_ table: String, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// PostgreSQL's row triggers that append to the tallies, by table (`drs migrate-db` holds them while
    /// it copies, then rebuilds).
    public static let postgresRowTriggers: [(table: String, name: String)] = [
        ("submissions", "drs_tally_submission_written"), ("submissions", "drs_tally_submission_moved"),
        ("units", "drs_tally_unit_written"), ("units", "drs_tally_unit_moved"),
    ]

    /// The advisory lock's key (PostgreSQL): compaction runs in one instance at a time.
    static let advisoryLock: Int64 = 0x6472_735F_7461_6C79   // "drs_taly"
}
