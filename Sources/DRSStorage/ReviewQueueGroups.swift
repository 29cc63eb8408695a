import FluentKit
import Foundation
import SQLKit

/// Units alike in everything the access table reads of a unit for a province's reviewer (their
/// types, and whether a headquarters is above them), with some of their forms. A province's queue
/// withholds in the database the groups and forms the table refused, so it is counted from the
/// tallies and paged by the database like the nation's, instead of reading every row of the
/// province to decide each (a page of 广东's queue read 485 rows to show 50, and all 21,626 when
/// the reviewer asked for every status).
public struct QueueGroup: Sendable, Equatable {
    /// Respondent type ids, comma-separated, as the units table keeps them.
    public var types: String
    /// No headquarters above the unit.
    public var topLevel: Bool
    /// The forms of these units in the queue.
    public var forms: [String]

    public init(types: String, topLevel: Bool, forms: [String]) {
        self.types = types
        self.topLevel = topLevel
        self.forms = forms
    }

    /// `(…)` on `u` and `s` holding the rows of these groups, in their forms; none: no row.
    static func condition(_ groups: [QueueGroup]) -> SQLQueryString {
        let each = groups.filter { !$0.forms.isEmpty }.map { group -> SQLQueryString in
            """
            (u.types = \(bind: group.types) AND u.parent_id IS \(unsafeRaw: group.topLevel ? "" : "NOT ")NULL \
            AND s.form_id IN (\(SQLList(group.forms.map { SQLBind($0) }))))
            """
        }
        guard !each.isEmpty else { return "1 = 0" }
        return "(\(SQLList(each, separator: SQLRaw(" OR "))))"
    }
}

/// A province's submissions of a year in some forms and statuses, counted by group of units and form
/// (`SubmissionStore.queueGroupCounts`), and how many units the province has.
public struct QueueGroupCounts: Sendable {
    public var groups: [(types: String, topLevel: Bool, form: String, count: Int)]
    public var provinceUnits: Int

    /// Whether a queue of `rows` is dense enough for its page to walk the province's units: at least a
    /// row per four units. Then a page of 50 probes about 200 units; a sparse queue (广东's 已提交, 485 rows
    /// of 11,629 units) would probe them all, where a hash join of the province reads them once.
    public func walksProvince(rows: Int) -> Bool { rows * 4 >= provinceUnits }
}

extension SubmissionStore {
    /// A province's submissions of a year in some forms and statuses, counted by the units' types,
    /// whether they are top level, and form, and the province's units: from the tallies
    /// (`ProgressTallies`), without the join, in one statement.
    public func queueGroupCounts(year: Int, province: String, forms: [String], statuses: [SubmissionStatus]) async throws -> QueueGroupCounts {
        guard let sql = database as? any SQLDatabase, !forms.isEmpty, !statuses.isEmpty else { return QueueGroupCounts(groups: [], provinceUnits: 0) }
        let rows = try await sql.raw(Self.groupCountsStatement(year: year, province: province, forms: forms, statuses: statuses)).all()
        let groups = try rows.map { row in
            (types: try row.decode(column: "types", as: String.self), topLevel: try row.decode(column: "top", as: Int.self) == 1,
             form: try row.decode(column: "form_id", as: String.self), count: try row.decode(column: "n", as: Int.self))
        }
        return QueueGroupCounts(groups: groups, provinceUnits: try rows.first?.decode(column: "units", as: Int?.self) ?? 0)
    }

    /// `queueGroupCounts`' statement: the province's tallies of the year (index
    /// `submission_tallies_province`) and its units' (`unit_tallies_province`).
    static func groupCountsStatement(year: Int, province: String, forms: [String], statuses: [SubmissionStatus]) -> SQLQueryString {
        """
        SELECT c.types AS types, CASE WHEN c.parent_id IS NULL THEN 1 ELSE 0 END AS top, c.form_id AS form_id,
               CAST(SUM(n) AS BIGINT) AS n,
               (SELECT CAST(SUM(t.n) AS BIGINT) FROM \(unsafeRaw: ProgressTallies.units) t WHERE t.province = \(bind: province)) AS units
        FROM \(unsafeRaw: ProgressTallies.submissions) c
        WHERE c.year = \(bind: year) AND c.province = \(bind: province)
        AND c.form_id IN (\(SQLList(forms.map { SQLBind($0) }))) AND c.status IN (\(SQLList(statuses.map { SQLBind($0.rawValue) })))
        GROUP BY 1, 2, 3 HAVING SUM(n) > 0
        """
    }
}
