import FluentKit
import Foundation
import SQLKit

/// The units still owing forms (催报), in the registry's order (region, name, unit), read in one of
/// two ways with the same result:
/// - **a walk** of index `units_queue_order` that decides each unit as it passes (about 7 µs each on
///   PostgreSQL), stopping once the page is full: cheap while many units owe, for a first page, a
///   page continued from a unit, and a province's or a group's list, whose walks are short;
/// - **one set** (PostgreSQL) for the nation's list when a walk would be long: the whole list
///   (全部催报), or a page asked by number that lies far into a sparse list. The forms each unit owes
///   less the year's finished submissions, by a hash anti-join: about 150 ms at 100,000 units
///   whatever the page, where a walk to page 5 in the deadline week passes 49,000 units. SQLite has
///   no hash join, and its set costs more than its walk (docs/benchmarks.md (z)).
public struct OwingShare: Sendable, Equatable {
    /// The units of the list (those the account oversees).
    public var units: Int
    /// The forms they still owe: at least one per owing unit.
    public var owedForms: Int

    public init(units: Int, owedForms: Int) {
        self.units = units
        self.owedForms = owedForms
    }

    /// How many units a walk may pass before the set is the cheaper read (about 100 ms of walking).
    static let walkBudget = 15_000.0

    /// Whether a walk to the rows after the first `offset` would pass more than `walkBudget` units:
    /// it passes about (offset + limit) × units / owing units, and owed forms stand in for owing units
    /// (a unit owing two forms makes the walk up to twice as long as reckoned).
    public func walkIsLong(offset: Int, limit: Int) -> Bool {
        guard offset > 0 else { return false }
        guard owedForms > 0 else { return true }
        return (Double(offset) + Double(limit)) * Double(units) / Double(owedForms) > Self.walkBudget
    }
}

extension SubmissionStore {
    /// Statuses in which a unit still owes a form (`ProgressTable.outstanding`).
    static let owingStatuses = ["notStarted", "draft", "returned"]

    /// The units that still owe one of their forms of `year`, in the registry's order: all of them,
    /// or `limit` after the first `offset`; only those of `ids` when given. `share`: how many of the
    /// list's units owe, which decides how a page by number is read (none: walked).
    /// `from`: the rows after (or before) a unit in that order, where a page continues from the last
    /// page's last (or first) unit: the walk then starts there instead of skipping every earlier
    /// unit, so a late page costs what the first does. Before a unit, the `limit` units nearest it,
    /// still in the registry's order. A unit that is not in the registry continues nowhere (no rows).
    public func owingUnits(year: Int, scope: UnitScope, own: UUID?, owed: [OwedForms], ids: [UUID]? = nil,
                           offset: Int = 0, limit: Int? = nil, from: UnitCursor? = nil, share: OwingShare? = nil) async throws -> [SurveyUnit] {
        let order = try await owingUnitIDs(year: year, scope: scope, own: own, owed: owed, ids: ids, offset: offset, limit: limit, from: from, share: share)
        return try await units(inOrder: order)
    }

    /// The ids of `owingUnits`, without reading the units: 全部催报 reads the nation's list this way
    /// and the units a batch at a time.
    public func owingUnitIDs(year: Int, scope: UnitScope, own: UUID?, owed: [OwedForms], ids: [UUID]? = nil,
                             offset: Int = 0, limit: Int? = nil, from: UnitCursor? = nil, share: OwingShare? = nil) async throws -> [UUID] {
        let owed = owed.filter { !$0.groups.isEmpty && !$0.forms.isEmpty }
        guard let sql = database as? any SQLDatabase, !owed.isEmpty, ids?.isEmpty != true else { return [] }
        // SQLite has no hash join: a set there costs more than the walk (docs/benchmarks.md (z)).
        if sql.dialect.name != "sqlite", scope == .every, ids == nil, from == nil,
           limit.map({ share?.walkIsLong(offset: offset, limit: $0) ?? false }) ?? true {
            return try await owingSet(sql, year: year, own: own, owed: owed, offset: offset, limit: limit)
        }
        return try await owingWalk(sql, year: year, scope: scope, own: own, owed: owed, ids: ids, offset: offset, limit: limit, from: from) ?? []
    }

    /// The units of `ids`, in that order (ids of no unit left out).
    public func units(inOrder ids: [UUID]) async throws -> [SurveyUnit] {
        let units = Dictionary(try await self.units(ids: ids).compactMap { u in u.id.map { ($0, u) } }, uniquingKeysWith: { a, _ in a })
        return ids.compactMap { units[$0] }
    }

    /// The walk: each unit decided by counting its finished submissions of the forms its group owes.
    /// Nil when `from` names no unit of the registry.
    private func owingWalk(_ sql: any SQLDatabase, year: Int, scope: UnitScope, own: UUID?, owed: [OwedForms], ids: [UUID]?,
                           offset: Int, limit: Int?, from: UnitCursor?) async throws -> [UUID]? {
        guard let (continuing, backward) = try await registryContinuation(from) else { return nil }
        var owing: [SQLQueryString] = []
        for entry in owed {
            let key: SQLQueryString = entry.groups.contains { $0.province != nil }
                ? "(substr(u.region_code, 1, 2), \(Self.groupKey(own)))" : "(\(Self.groupKey(own)))"
            let members = SQLList(entry.groups.map { g in
                SQLGroupExpression(SQLList((g.province.map { [SQLBind($0)] } ?? []) + [SQLBind(g.types), SQLBind(g.topLevel ? 1 : 0),
                                            SQLBind(g.parentIsOwn ? 1 : 0), SQLBind(g.isOwn ? 1 : 0)]))
            })
            owing.append("""
                (\(key) IN (VALUES \(members)) AND (SELECT COUNT(*) FROM submissions s WHERE s.unit_id = u.id AND s.year = \(bind: year)
                AND s.form_id IN (\(SQLList(entry.forms.map { SQLBind($0) }))) AND s.status NOT IN (\(SQLList(Self.owingStatuses.map { SQLBind($0) }))))
                < \(literal: entry.forms.count))
                """)
        }
        let only: SQLQueryString = ids.map { " AND u.id IN (\(SQLList($0.map { SQLBind($0) })))" } ?? ""
        let page: SQLQueryString = limit.map { " LIMIT \(literal: $0) OFFSET \(literal: offset)" } ?? ""
        let direction = backward ? " DESC" : ""
        let rows = try await sql.raw("""
            SELECT u.id FROM units u WHERE 1 = 1\(scope.condition)\(only)\(continuing) AND (\(SQLList(owing, separator: SQLRaw(" OR "))))
            ORDER BY u.region_code\(unsafeRaw: direction), u.name\(unsafeRaw: direction), u.id\(unsafeRaw: direction)\(page)
            """).all()
        let walked = try rows.map { try $0.decode(column: "id", as: UUID.self) }
        return backward ? walked.reversed() : walked
    }

    /// The set (PostgreSQL): every (unit, form) its group owes (`owed`: one row per group and form; a
    /// group without a province stands for every province's), less the year's finished submissions;
    /// the units left, in the registry's order. As in the walk, an entry that names provinces matches
    /// only by them.
    private func owingSet(_ sql: any SQLDatabase, year: Int, own: UUID?, owed: [OwedForms], offset: Int, limit: Int?) async throws -> [UUID] {
        var rows: [SQLQueryString] = [], byProvince = 0, anywhere = 0
        for entry in owed {
            let provincial = entry.groups.contains { $0.province != nil }
            for group in entry.groups where !provincial || group.province != nil {
                if provincial { byProvince += 1 } else { anywhere += 1 }
                for form in entry.forms {
                    rows.append("""
                        (\(bind: group.province), \(bind: group.types), \(literal: group.topLevel ? 1 : 0), \(literal: group.parentIsOwn ? 1 : 0), \
                        \(literal: group.isOwn ? 1 : 0), \(bind: form))
                        """)
                }
            }
        }
        guard !rows.isEmpty else { return [] }
        let (top, parentIsOwn, isOwn) = Self.groupFlags(own)
        // The province joins by equality where every row names one (a hash key, not a filter).
        let province: SQLQueryString = anywhere == 0 ? " AND o.province = substr(u.region_code, 1, 2)"
            : byProvince == 0 ? "" : " AND (o.province IS NULL OR o.province = substr(u.region_code, 1, 2))"
        let page: SQLQueryString = limit.map { " LIMIT \(literal: $0) OFFSET \(literal: offset)" } ?? ""
        let statement: SQLQueryString = """
            WITH owed (province, types, top, parent_own, own, form) AS (VALUES \(SQLList(rows)))
            SELECT DISTINCT u.id, u.region_code, u.name FROM units u
            JOIN owed o ON o.types = u.types AND o.top = \(top) AND o.parent_own = \(parentIsOwn) AND o.own = \(isOwn)\(province)
            WHERE NOT EXISTS (SELECT 1 FROM submissions s WHERE s.year = \(bind: year) AND s.unit_id = u.id AND s.form_id = o.form
                AND s.status NOT IN (\(SQLList(Self.owingStatuses.map { SQLBind($0) }))))
            ORDER BY u.region_code, u.name, u.id\(page)
            """
        return try await database.transaction { tx in
            guard let tx = tx as? any SQLDatabase else { return [] }
            // PostgreSQL cannot estimate the join on `owed` (it guesses one row), and would then probe
            // the submissions' index once per unit and form: 100,000 units' probes cost twice what one
            // hash of the year's finished submissions does (docs/benchmarks.md (z)). The hash needs
            // about 12 MB at 100,000 units.
            try await tx.raw("SET LOCAL enable_nestloop = off").run()
            try await tx.raw("SET LOCAL work_mem = '32MB'").run()
            return try await tx.raw(statement).all().map { try $0.decode(column: "id", as: UUID.self) }
        }
    }

    /// The group of `u` (without its province): types, top level, parent is the account's unit, is it.
    static func groupKey(_ own: UUID?) -> SQLQueryString {
        let (top, parentIsOwn, isOwn) = groupFlags(own)
        return "u.types, \(top), \(parentIsOwn), \(isOwn)"
    }

    /// Of `u`, 1 or 0: it has no headquarters; its headquarters is the account's unit; it is that unit.
    static func groupFlags(_ own: UUID?) -> (top: SQLQueryString, parentIsOwn: SQLQueryString, isOwn: SQLQueryString) {
        let top: SQLQueryString = "CASE WHEN u.parent_id IS NULL THEN 1 ELSE 0 END"
        guard let own else { return (top, "0", "0") }
        return (top, "CASE WHEN u.parent_id = \(bind: own) THEN 1 ELSE 0 END", "CASE WHEN u.id = \(bind: own) THEN 1 ELSE 0 END")
    }
}
