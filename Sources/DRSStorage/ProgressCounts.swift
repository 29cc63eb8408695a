import FluentKit
import Foundation
import SQLKit

/// 报送进度 counted in the database: units and submissions grouped by what decides who may see them
/// and which forms they owe (`UnitGroup`), so the national table sums a few thousand tallies kept as
/// the data changes (`ProgressTallies`); the list of units still owing forms is read a page at a time
/// in the registry's order (`SubmissionStore+Owing`).
public struct UnitGroup: Hashable, Sendable {
    /// The first two digits of the region code; nil where the caller groups across provinces.
    public var province: String?
    /// Respondent type ids, comma-separated, as the units table keeps them.
    public var types: String
    /// No headquarters above it.
    public var topLevel: Bool
    /// Its headquarters is the account's own unit.
    public var parentIsOwn: Bool
    /// The account's own unit.
    public var isOwn: Bool

    public init(province: String?, types: String, topLevel: Bool, parentIsOwn: Bool, isOwn: Bool) {
        self.province = province
        self.types = types
        self.topLevel = topLevel
        self.parentIsOwn = parentIsOwn
        self.isOwn = isOwn
    }

    /// The group of one unit, as the database groups it, for an account whose own unit is `own`.
    public init(regionCode: String, types: String, parentID: UUID?, unitID: UUID?, own: UUID?) {
        self.init(province: String(regionCode.prefix(2)), types: types, topLevel: parentID == nil,
                  parentIsOwn: own != nil && parentID == own, isOwn: own != nil && unitID == own)
    }
}

/// A place in the registry's order (region, name, unit) to continue a list from: a unit's id.
public enum UnitCursor: Sendable, Equatable {
    case after(UUID)
    case before(UUID)

    public var unitID: UUID {
        switch self {
        case .after(let id), .before(let id): id
        }
    }
}

/// The forms owed by the units of some groups: a unit owes while one of them is not started, a draft or
/// returned.
public struct OwedForms: Sendable {
    public var groups: [UnitGroup]
    public var forms: [String]

    public init(groups: [UnitGroup], forms: [String]) {
        self.groups = groups
        self.forms = forms
    }
}

extension SubmissionStore {
    /// The number of units in each group, from the tallies (`ProgressTallies`).
    public func unitGroupCounts(scope: UnitScope, own: UUID?) async throws -> [UnitGroup: Int] {
        guard let sql = database as? any SQLDatabase else { return [:] }
        let rows = try await sql.raw("""
            SELECT \(Self.tallyGroupColumns(own)), CAST(SUM(n) AS BIGINT) AS n FROM \(unsafeRaw: ProgressTallies.units) c WHERE 1 = 1\(scope.tallyCondition)
            GROUP BY 1, 2, 3, 4, 5 HAVING SUM(n) <> 0
            """).all()
        var counts: [UnitGroup: Int] = [:]
        for row in rows { counts[try Self.group(row), default: 0] += try row.decode(column: "n", as: Int.self) }
        if let own, let unit = try await ownUnit(own, in: scope) {
            Self.move(&counts, 1, from: unit.plain, to: unit.own)
        }
        return counts
    }

    /// A year's submissions counted by group, form and status, from the tallies (`ProgressTallies`).
    public func statusCounts(year: Int, scope: UnitScope, own: UUID?) async throws -> [(group: UnitGroup, form: String, status: String, count: Int)] {
        guard let sql = database as? any SQLDatabase else { return [] }
        let rows = try await sql.raw("""
            SELECT \(Self.tallyGroupColumns(own)), c.form_id, c.status, CAST(SUM(n) AS BIGINT) AS n
            FROM \(unsafeRaw: ProgressTallies.submissions) c WHERE c.year = \(bind: year)\(scope.tallyCondition)
            GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING SUM(n) <> 0
            """).all()
        var counts: [StatusKey: Int] = [:]
        for row in rows {
            let key = StatusKey(group: try Self.group(row), form: try row.decode(column: "form_id", as: String.self),
                                status: try row.decode(column: "status", as: String.self))
            counts[key, default: 0] += try row.decode(column: "n", as: Int.self)
        }
        if let own, let unit = try await ownUnit(own, in: scope) {
            for head in try await submissionHeads(year: year, unitIDs: [own]) {
                let status = head.status.rawValue
                Self.move(&counts, 1, from: StatusKey(group: unit.plain, form: head.formID, status: status),
                          to: StatusKey(group: unit.own, form: head.formID, status: status))
            }
        }
        return counts.map { (group: $0.key.group, form: $0.key.form, status: $0.key.status, count: $0.value) }
    }

    /// A year's submissions by status across the nation, from the tallies (what `/metrics` shows).
    public func statusTotals(year: Int) async throws -> [String: Int] {
        guard let sql = database as? any SQLDatabase else { return [:] }
        let rows = try await sql.raw("""
            SELECT status, CAST(SUM(n) AS BIGINT) AS n FROM \(unsafeRaw: ProgressTallies.submissions) WHERE year = \(bind: year) GROUP BY status
            """).all()
        return Dictionary(try rows.map { (try $0.decode(column: "status", as: String.self), try $0.decode(column: "n", as: Int.self)) },
                          uniquingKeysWith: +)
    }

    /// A group, form and status: one count of `statusCounts`.
    struct StatusKey: Hashable {
        var group: UnitGroup
        var form: String
        var status: String
    }

    /// The account's own unit when it is within the scope: the group the tallies count it in (they
    /// know no account) and the group the account sees it in (its own).
    private func ownUnit(_ own: UUID, in scope: UnitScope) async throws -> (plain: UnitGroup, own: UnitGroup)? {
        guard let unit = try await units(ids: [own]).first else { return nil }
        switch scope {
        case .every: break
        case .province(let code): guard unit.regionCode.prefix(2) == code else { return nil }
        case .subsidiaries(let head): guard unit.$parent.id == head else { return nil }
        }
        let plain = UnitGroup(regionCode: unit.regionCode, types: unit.types, parentID: unit.$parent.id, unitID: nil, own: own)
        var mine = plain
        mine.isOwn = true
        return (plain, mine)
    }

    /// `count` moved from one key to another; a key left with none is gone, as a count by group has none.
    /// At most what `from` holds: the own unit's row is read a moment after the tallies, and a status
    /// it changed in between must not leave a count below zero.
    static func move<Key: Hashable>(_ counts: inout [Key: Int], _ count: Int, from: Key, to: Key) {
        let held = counts[from] ?? 0, moved = min(count, held)
        guard moved > 0 else { return }
        counts[from] = held == moved ? nil : held - moved
        counts[to, default: 0] += moved
    }

    /// A tally's group (`c`): province, types, top level, headquarters is the account's unit. The
    /// tallies know no account, so none is its own unit here (`ownUnit` moves it).
    static func tallyGroupColumns(_ own: UUID?) -> SQLQueryString {
        let owned: SQLQueryString = own.map { "CASE WHEN c.parent_id = \(bind: $0) THEN 1 ELSE 0 END AS parent_own" } ?? "0 AS parent_own"
        return "c.province AS province, c.types AS types, CASE WHEN c.parent_id IS NULL THEN 1 ELSE 0 END AS top, \(owned), 0 AS own"
    }

    static func group(_ row: any SQLRow) throws -> UnitGroup {
        UnitGroup(province: try row.decode(column: "province", as: String.self), types: try row.decode(column: "types", as: String.self),
                  topLevel: try row.decode(column: "top", as: Int.self) == 1, parentIsOwn: try row.decode(column: "parent_own", as: Int.self) == 1,
                  isOwn: try row.decode(column: "own", as: Int.self) == 1)
    }
}
