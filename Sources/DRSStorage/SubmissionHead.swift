import FluentKit
import Foundation
import SQLKit

/// A submission without its figures, answers or explanations: what a list shows, and what tells
/// whether a stored check result still holds. Read in one narrow query, so a list of a whole
/// province or the nation moves the rows' keys and statuses, not their cells.
public struct SubmissionHead: Sendable, Equatable {
    public var id: UUID
    public var unitID: UUID
    public var formID: String
    public var year: Int
    public var status: SubmissionStatus
    public var version: Int
    public var returnReason: String?
}

extension SubmissionStore {
    /// The heads of a year's submissions, of some units (nil: every unit), one form (nil: every form)
    /// and some statuses (nil: every status).
    public func submissionHeads(year: Int, unitIDs: [UUID]? = nil, formID: String? = nil,
                                statuses: [SubmissionStatus]? = nil) async throws -> [SubmissionHead] {
        guard let sql = database as? any SQLDatabase else { return [] }
        var formFilter: SQLQueryString = formID.map { " AND form_id = \(bind: $0)" } ?? ""
        if let statuses { formFilter = formFilter + " AND status IN (\(SQLList(statuses.map { SQLBind($0.rawValue) })))" }
        var heads: [SubmissionHead] = []
        // Units in chunks: a statement's parameters are bounded (PostgreSQL: 65,535).
        let chunks: [[UUID]?] = unitIDs.map { ids in stride(from: 0, to: ids.count, by: 5_000).map { Array(ids[$0..<min($0 + 5_000, ids.count)]) } } ?? [nil]
        for chunk in chunks {
            if let chunk, chunk.isEmpty { continue }
            let unitFilter: SQLQueryString = chunk.map { " AND unit_id IN (\(SQLList($0.map { SQLBind($0) })))" } ?? ""
            let rows = try await sql.raw("""
                SELECT id, unit_id, form_id, year, status, version, return_reason FROM submissions
                WHERE year = \(bind: year)\(formFilter)\(unitFilter)
                """).all()
            for row in rows {
                guard let status = SubmissionStatus(rawValue: try row.decode(column: "status", as: String.self)) else { continue }
                heads.append(SubmissionHead(id: try row.decode(column: "id", as: UUID.self), unitID: try row.decode(column: "unit_id", as: UUID.self),
                                            formID: try row.decode(column: "form_id", as: String.self), year: try row.decode(column: "year", as: Int.self),
                                            status: status, version: try row.decode(column: "version", as: Int.self),
                                            returnReason: try row.decode(column: "return_reason", as: String?.self)))
            }
        }
        return heads
    }

    /// Whole submissions by id (in chunks).
    public func submissions(ids: [UUID]) async throws -> [Submission] {
        var found: [Submission] = []
        for start in stride(from: 0, to: ids.count, by: 1_000) {
            found += try await Submission.query(on: database).filter(\.$id ~~ Array(ids[start..<min(start + 1_000, ids.count)])).all()
        }
        return found
    }
}
