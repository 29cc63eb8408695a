import FluentKit
import Foundation
import SQLKit

/// Registry entries read as plain rows. A list's page (a review queue's units, the owing units, the
/// background re-check's batch) reads dozens to thousands of units; Fluent decodes each through the
/// model's reflected properties, about four times the cost of the columns themselves, and on a
/// province's queue that was a sixth of the request.
extension SurveyUnit {
    static let rowColumns = """
        id, credit_code, name, region_code, address, types, state_owned, internet_platform, telecom_operator, \
        parent_id, contact, industry_code, created_at, updated_at
        """

    /// The unit of a row of `rowColumns`, as Fluent would have read it: the same values (the time
    /// stamps to the microsecond, which stored check results are stamped with) and known to exist, so
    /// a later `update` writes it rather than inserting it again.
    static func read(_ row: any SQLRow) throws -> SurveyUnit {
        let unit = SurveyUnit(id: try row.decode(column: "id", as: UUID.self), creditCode: try row.decode(column: "credit_code", as: String.self),
                              name: try row.decode(column: "name", as: String.self), regionCode: try row.decode(column: "region_code", as: String.self),
                              address: try row.decode(column: "address", as: String.self), types: [],
                              stateOwned: try row.decode(column: "state_owned", as: Bool.self),
                              internetPlatform: try row.decode(column: "internet_platform", as: Bool.self),
                              telecomOperator: try row.decode(column: "telecom_operator", as: Bool.self),
                              parentID: try row.decode(column: "parent_id", as: UUID?.self), contact: try row.decode(column: "contact", as: String.self))
        unit.types = try row.decode(column: "types", as: String.self)
        unit.industryCode = try row.decode(column: "industry_code", as: String?.self)
        unit.createdAt = try row.decode(column: "created_at", as: Date?.self)
        unit.updatedAt = try row.decode(column: "updated_at", as: Date?.self)
        unit.$id.exists = true
        return unit
    }
}

extension SubmissionStore {
    /// Units by id (in chunks: a statement's parameters are bounded), in no particular order.
    public func units(ids: [UUID]) async throws -> [SurveyUnit] {
        guard let sql = database as? any SQLDatabase else {
            throw SQLUnavailable()
        }
        var found: [SurveyUnit] = []
        for start in stride(from: 0, to: ids.count, by: 5_000) {
            let chunk = ids[start..<min(start + 5_000, ids.count)]
            found += try await sql.raw("""
                SELECT \(unsafeRaw: SurveyUnit.rowColumns) FROM units WHERE id IN (\(SQLList(chunk.map { SQLBind($0) })))
                """).all().map(SurveyUnit.read)
        }
        return found
    }
}
