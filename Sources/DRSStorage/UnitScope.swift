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

    /// ` AND …` on the progress tallies `c` (`ProgressTallies`), or nothing.
    var tallyCondition: SQLQueryString {
        switch self {
        case .every: ""
        case .province(let code): " AND c.province = \(bind: code)"
        case .subsidiaries(let head): " AND c.parent_id = \(bind: head)"
        }
    }
}
