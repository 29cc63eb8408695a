import Foundation
import SQLKit

/// The units a list may read, in the terms of the units table (alias `u`): a narrowing of what is
/// read, decided from the access table (`ListReach`); the rows read are still decided one by one
/// where the table asks for it.
public enum UnitScope: Sendable, Equatable {
    case every
    /// One province: the first two digits of the region code (index `units_province`; on PostgreSQL
    /// `units_province_listed`).
    case province(String)
    /// The subsidiaries of a group's headquarters.
    case subsidiaries(of: UUID)

    /// ` AND …` on `u`, or nothing.
    var condition: SQLQueryString {
        switch self {
        case .every: ""
        case .province(let code): " AND substr(u.region_code, 1, 2) = \(bind: code)"
        case .subsidiaries(let head): " AND u.parent_id = \(bind: head)"
        }
    }

    /// ` AND …` on the submissions `s` holding the same rows as `condition` (each submission carries
    /// its unit's province, `PlaceSubmissionsInProvinces`), or nil where the submissions cannot say.
    var submissionsCondition: SQLQueryString? {
        guard case .province(let code) = self else { return nil }
        return " AND s.province = \(bind: code)"
    }

    /// ` AND …` bounding `u.region_code` to a province's range, or nothing: the same units as
    /// `condition` (region codes are digits, a province's the ones starting with its two), stated so
    /// that a walk of index `units_queue_order` starts at the province instead of filtering the
    /// provinces before it (57 ms to reach 广东's first page of a dense queue, 0.8 ms with it). Only
    /// for a dense queue: PostgreSQL multiplies the two conditions' estimates as if independent, takes
    /// a sparse province for a few rows, and walks all its units where a hash join is cheaper.
    var orderRange: SQLQueryString {
        guard case .province(let code) = self, code.utf8.count == 2, code.utf8.allSatisfy({ (48...57).contains($0) }), let number = Int(code) else { return "" }
        guard number < 99 else { return " AND u.region_code >= \(bind: code)" }
        let next = number + 1 < 10 ? "0\(number + 1)" : "\(number + 1)"
        return " AND u.region_code >= \(bind: code) AND u.region_code < \(bind: next)"
    }

    /// ` AND …` on the progress tallies `c` (`ProgressTallies`), or nothing.
    var tallyCondition: SQLQueryString {
        switch self {
        case .every: ""
        case .province(let code): " AND c.province = \(bind: code)"
        case .subsidiaries(let head): " AND c.parent_id = \(bind: head)"
        }
    }
}
