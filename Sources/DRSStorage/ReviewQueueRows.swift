import FluentKit
import Foundation
import SQLKit

/// A review queue as the database filters, orders and pages it: the submissions of a year in some
/// forms and statuses, of the units in reach, in the queue's order (region, unit name, unit, form).
/// A page reads its own rows (`LIMIT`/`OFFSET` over index `units_queue_order`), so the national queue
/// costs a page, not the nation.
public struct QueueQuery: Sendable {
    /// A queue of only the submissions whose stored check result has errors, or warnings.
    public enum Flag: String, Sendable {
        case errors, warnings
    }

    public var year: Int
    /// The forms in view (none: an empty queue).
    public var forms: [String]
    /// The statuses in view (none: an empty queue).
    public var statuses: [SubmissionStatus]
    public var units: UnitScope
    /// A respondent type the unit must have.
    public var type: String?
    public var flag: Flag?
    /// Groups of units whose submissions in the group's forms are not in the queue (the access table
    /// refused them, `QueueGroup`).
    public var withheld: [QueueGroup]
    /// A province's queue dense enough that its page is best read walking the province's units in
    /// the queue's order (`UnitScope.orderRange`), rather than joining all of them to the year's
    /// submissions and sorting (`QueueGroupCounts.walksProvince`).
    public var walksProvince: Bool

    public init(year: Int, forms: [String], statuses: [SubmissionStatus], units: UnitScope, type: String? = nil, flag: Flag? = nil,
                withheld: [QueueGroup] = [], walksProvince: Bool = false) {
        self.year = year
        self.forms = forms
        self.statuses = statuses
        self.units = units
        self.type = type
        self.flag = flag
        self.withheld = withheld
        self.walksProvince = walksProvince
    }

    /// Nothing narrows the units or asks for stored checks: every submission matching the conditions on
    /// the submissions alone is in the queue, so they can be counted without the join.
    var countsSubmissionsAlone: Bool { units == .every && type == nil && flag == nil && withheld.isEmpty }

    /// Where a submission sorts in a queue.
    public struct Key: Sendable, Equatable {
        public var regionCode: String
        public var unitName: String
        public var unitID: UUID
        public var formID: String

        public init(regionCode: String, unitName: String, unitID: UUID, formID: String) {
            self.regionCode = regionCode
            self.unitName = unitName
            self.unitID = unitID
            self.formID = formID
        }

        /// The order of SQLite and of PostgreSQL's C collation: code points, and a unit id's bytes (its
        /// upper-case hex). Used only where a queue is ordered in the database and placed in memory.
        public static func < (a: Key, b: Key) -> Bool {
            (a.regionCode, a.unitName, a.unitID.uuidString, a.formID) < (b.regionCode, b.unitName, b.unitID.uuidString, b.formID)
        }
    }
}

/// One row of a queue: the submission's head and what its unit contributes to the order and to the
/// access decision.
public struct QueueRow: Sendable {
    public var head: SubmissionHead
    public var unitName: String
    public var creditCode: String
    public var regionCode: String
    /// Respondent type ids, comma-separated, as the units table keeps them.
    public var types: String
    public var parentID: UUID?

    public var key: QueueQuery.Key { QueueQuery.Key(regionCode: regionCode, unitName: unitName, unitID: head.unitID, formID: head.formID) }
}

extension SubmissionStore {
    /// The queue's rows in its order: all of them, or `limit` after the first `offset`. `fromTheEnd`
    /// counts the offset from the last row (the rows still come in the queue's order): a page past the
    /// middle walks the index from the nearer end. `regions`: only rows of regions from (or through)
    /// one, the offset counted from there (`queuePage`).
    public func queueRows(_ query: QueueQuery, offset: Int = 0, limit: Int? = nil, fromTheEnd: Bool = false,
                          regions: RegionBound? = nil) async throws -> [QueueRow] {
        guard let sql = database as? any SQLDatabase, var filter = queueFilter(query) else { return [] }
        switch regions {
        case nil: break
        case .from(let code): filter = filter + " AND u.region_code >= \(bind: code)"
        case .through(let code): filter = filter + " AND u.region_code <= \(bind: code)"
        }
        let page: SQLQueryString = limit.map { " LIMIT \(literal: $0) OFFSET \(literal: offset)" } ?? ""
        let order = fromTheEnd ? Self.queueOrder.split(separator: ",").map { $0 + " DESC" }.joined(separator: ",") : Self.queueOrder
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: Self.queueColumns) \(filter) ORDER BY \(unsafeRaw: order)\(page)
            """).all().compactMap(Self.queueRow)
        return fromTheEnd ? rows.reversed() : rows
    }

    /// How many rows the queue has. A queue of every unit without a type or flag counts the
    /// submissions alone (each has its unit), from index `submissions_year_form_versions`.
    public func queueCount(_ query: QueueQuery) async throws -> Int {
        guard let sql = database as? any SQLDatabase, let filter = queueFilter(query),
              let submissions = Self.submissionConditions(query) else { return 0 }
        let count: SQLQueryString = query.countsSubmissionsAlone
            ? "SELECT COUNT(*) AS n FROM submissions s WHERE \(submissions)" : "SELECT COUNT(*) AS n \(filter)"
        return try await sql.raw(count).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Whether one submission is in the queue.
    public func queueContains(_ query: QueueQuery, id: UUID) async throws -> Bool {
        guard let sql = database as? any SQLDatabase, let filter = queueFilter(query) else { return false }
        let count = try await sql.raw("SELECT COUNT(*) AS n \(filter) AND s.id = \(bind: id)").first()?.decode(column: "n", as: Int.self)
        return (count ?? 0) > 0
    }

    /// How many rows sort before `key`, and the rows just before and just after it (the reviewer's
    /// desk: previous and next of its queue, and its place).
    public func queueNeighbours(_ query: QueueQuery, of key: QueueQuery.Key) async throws -> (before: Int, previous: QueueRow?, next: QueueRow?) {
        guard let sql = database as? any SQLDatabase, let filter = queueFilter(query) else { return (0, nil, nil) }
        let order: SQLQueryString = "(u.region_code, u.name, u.id, s.form_id)"
        let here: SQLQueryString = "(\(bind: key.regionCode), \(bind: key.unitName), \(bind: key.unitID), \(bind: key.formID))"
        let before = try await sql.raw("SELECT COUNT(*) AS n \(filter) AND \(order) < \(here)").first()?.decode(column: "n", as: Int.self) ?? 0
        let previous = try await sql.raw("""
            SELECT \(unsafeRaw: Self.queueColumns) \(filter) AND \(order) < \(here)
            ORDER BY u.region_code DESC, u.name DESC, u.id DESC, s.form_id DESC LIMIT 1
            """).first().flatMap(Self.queueRow)
        let next = try await sql.raw("""
            SELECT \(unsafeRaw: Self.queueColumns) \(filter) AND \(order) > \(here) ORDER BY \(unsafeRaw: Self.queueOrder) LIMIT 1
            """).first().flatMap(Self.queueRow)
        return (before, previous, next)
    }

    static let queueColumns = """
        s.id, s.unit_id, s.form_id, s.year, s.status, s.version, s.return_reason, \
        u.name, u.credit_code, u.region_code, u.types, u.parent_id
        """
    /// The queue's order; a unit's forms together, even when two units share region and name.
    static let queueOrder = "u.region_code, u.name, u.id, s.form_id"

    /// Where a queue's reading starts. SQLite keeps a `CROSS JOIN`'s left table outside (PostgreSQL
    /// plans it as any join), so the reading walks the index it needs:
    enum Walk {
        /// units in the queue's order (index `units_queue_order`), stopping after a page's rows;
        case queueOrder
        /// the submissions (in id order, or those of a list of ids);
        case submissions
        /// the check results: those of another engine (from index `submission_checks_engine`, or by
        /// their key in id order in the background's pass).
        case checks
    }

    /// `queueFilter` as this store's engine reads it best: on PostgreSQL a province's queue that does
    /// not walk the province's units finds its submissions by their own province
    /// (`PlaceSubmissionsInProvinces`) and looks up only their units; SQLite walks the units either way.
    func queueFilter(_ query: QueueQuery, walk: Walk = .queueOrder) -> SQLQueryString? {
        Self.queueFilter(query, walk: walk, provinceOfSubmissions: walk != .checks && Self.countsJoinsInBulk(database))
    }

    /// `FROM … WHERE …` of a queue; nil when it can have no row. `provinceOfSubmissions`: a province's
    /// queue that does not walk the units bounded by `submissions.province` rather than by the units'
    /// region codes (the same rows: the database keeps the two in step).
    static func queueFilter(_ query: QueueQuery, walk: Walk = .queueOrder, provinceOfSubmissions: Bool = false) -> SQLQueryString? {
        guard let submissions = submissionConditions(query) else { return nil }
        let tables: SQLQueryString = switch walk {
        case .queueOrder: "units u CROSS JOIN submissions s LEFT JOIN submission_checks c ON c.submission_id = s.id"
        case .submissions: "submissions s CROSS JOIN units u LEFT JOIN submission_checks c ON c.submission_id = s.id"
        case .checks: "submission_checks c CROSS JOIN submissions s CROSS JOIN units u"
        }
        var filter: SQLQueryString = """
            FROM \(tables)
            WHERE u.id = s.unit_id AND \(unsafeRaw: walk == .checks ? "c.submission_id = s.id AND " : "")\(submissions)
            """
        if provinceOfSubmissions, !query.walksProvince, let province = query.units.submissionsCondition {
            filter = filter + province
        } else {
            filter = filter + query.units.condition + (query.walksProvince ? query.units.orderRange : "")
        }
        if !query.withheld.isEmpty { filter = filter + " AND NOT " + QueueGroup.condition(query.withheld) }
        if let type = query.type {
            // The type among the comma-separated ones; LIKE's own characters escaped.
            let escaped = type.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            filter = filter + " AND (',' || u.types || ',') LIKE \(bind: "%," + escaped + ",%") ESCAPE '\\'"
        }
        switch query.flag {
        case nil: break
        case .errors: filter = filter + " AND c.errors > 0"
        case .warnings: filter = filter + " AND c.warnings > 0"
        }
        return filter
    }

    /// The conditions on the submissions alone (`s`); nil when none can match.
    static func submissionConditions(_ query: QueueQuery) -> SQLQueryString? {
        guard !query.forms.isEmpty, !query.statuses.isEmpty else { return nil }
        return """
            s.year = \(bind: query.year) AND s.form_id IN (\(SQLList(query.forms.map { SQLBind($0) })))
            AND s.status IN (\(SQLList(query.statuses.map { SQLBind($0.rawValue) })))
            """
    }

    static func queueRow(_ row: any SQLRow) -> QueueRow? {
        guard let status = (try? row.decode(column: "status", as: String.self)).flatMap(SubmissionStatus.init(rawValue:)),
              let id = try? row.decode(column: "id", as: UUID.self), let unitID = try? row.decode(column: "unit_id", as: UUID.self),
              let formID = try? row.decode(column: "form_id", as: String.self), let year = try? row.decode(column: "year", as: Int.self),
              let version = try? row.decode(column: "version", as: Int.self) else { return nil }
        let head = SubmissionHead(id: id, unitID: unitID, formID: formID, year: year, status: status, version: version,
                                  returnReason: try? row.decode(column: "return_reason", as: String?.self))
        return QueueRow(head: head, unitName: (try? row.decode(column: "name", as: String.self)) ?? "",
                        creditCode: (try? row.decode(column: "credit_code", as: String.self)) ?? "",
                        regionCode: (try? row.decode(column: "region_code", as: String.self)) ?? "",
                        types: (try? row.decode(column: "types", as: String.self)) ?? "",
                        parentID: try? row.decode(column: "parent_id", as: UUID?.self))
    }
}
