import FluentKit
import Foundation
import SQLKit

/// What the registry's list (名录库: the page and `GET /api/v1/units`) is narrowed to, in the database.
public struct UnitListFilter: Sendable, Equatable {
    /// Units of exactly this region code (the API's `region=`).
    public var regionCode: String?
    /// Units of this province (two digits): a range of region codes, so the index serves it.
    public var province: String?
    /// The start of a credit code, or part of a unit's name.
    public var text: String?

    public init(regionCode: String? = nil, province: String? = nil, text: String? = nil) {
        self.regionCode = regionCode
        self.province = province
        self.text = text
    }
}

extension SubmissionStore {
    /// One page of the registry in its order (region code, name, id), read from index
    /// `units_queue_order`: the first `limit` units the filter leaves, or (after skipping `offset`)
    /// a page by number, or the `limit` units after or before a unit (`from`: the page's links), so a
    /// late page costs what the first does. A unit not in the registry continues nowhere.
    public func registryPage(_ filter: UnitListFilter, limit: Int, offset: Int = 0, from: UnitCursor? = nil) async throws -> [SurveyUnit] {
        guard let sql = database as? any SQLDatabase, limit > 0,
              let (continuing, backward) = try await registryContinuation(from) else { return [] }
        let direction = backward ? " DESC" : ""
        let skip: SQLQueryString = from == nil && offset > 0 ? " OFFSET \(literal: offset)" : ""
        let rows = try await sql.raw("""
            SELECT u.id FROM units u WHERE 1 = 1\(Self.condition(filter))\(continuing)
            ORDER BY u.region_code\(unsafeRaw: direction), u.name\(unsafeRaw: direction), u.id\(unsafeRaw: direction) LIMIT \(literal: limit)\(skip)
            """).all()
        let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
        return try await units(inOrder: backward ? ids.reversed() : ids)
    }

    /// Where a walk of the registry's order (region code, name, id) continues from a unit: the condition
    /// on `u`, and whether it walks back. A row value, so both engines walk index `units_queue_order`
    /// from it. No condition without a unit; nil when the unit is not in the registry.
    func registryContinuation(_ from: UnitCursor?) async throws -> (condition: SQLQueryString, backward: Bool)? {
        guard let from else { return ("", false) }
        guard let key = try await units(ids: [from.unitID]).first else { return nil }
        let here: SQLQueryString = "(\(bind: key.regionCode), \(bind: key.name), \(bind: from.unitID))"
        switch from {
        case .after: return (" AND (u.region_code, u.name, u.id) > \(here)", false)
        case .before: return (" AND (u.region_code, u.name, u.id) < \(here)", true)
        }
    }

    /// How many units the filter leaves.
    public func registryCount(_ filter: UnitListFilter) async throws -> Int {
        guard let sql = database as? any SQLDatabase else { return 0 }
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM units u WHERE 1 = 1\(Self.condition(filter))").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The filter as conditions on `u`. A text is matched literally (`%` and `_` are escaped).
    static func condition(_ filter: UnitListFilter) -> SQLQueryString {
        var condition: SQLQueryString = ""
        if let code = filter.regionCode { condition += " AND u.region_code = \(bind: code)" }
        if let province = filter.province, let next = Self.nextPrefix(province) {
            condition += " AND u.region_code >= \(bind: province) AND u.region_code < \(bind: next)"
        }
        if let text = filter.text, !text.isEmpty {
            condition += """
                 AND (u.credit_code LIKE \(bind: LikePattern.starting(text.uppercased())) ESCAPE '\\' \
                OR u.name LIKE \(bind: LikePattern.containing(text)) ESCAPE '\\')
                """
        }
        return condition
    }

    /// The smallest text after every text that starts with `prefix` (`11` → `12`), for a range scan.
    static func nextPrefix(_ prefix: String) -> String? {
        guard var last = prefix.unicodeScalars.last, last.value < 0x10FFFF,
              let following = Unicode.Scalar(last.value + 1) else { return nil }
        last = following
        return String(prefix.unicodeScalars.dropLast()) + String(last)
    }
}
