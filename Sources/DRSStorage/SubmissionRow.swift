import Foundation
import SQLKit

/// A submission's stored state, as far as saving a draft needs it: read by SQL on PostgreSQL and
/// by the SQLite writer inside its transaction, then decided by `SubmissionStore.prepare`.
public struct SubmissionRow: Sendable {
    public var id: UUID
    public var unitID: UUID?
    public var status: String
    public var version: Int
    public var cells: String
    public var explanations: String
    public var answers: String

    init(id: UUID, unitID: UUID?, status: String, version: Int, cells: String, explanations: String, answers: String) {
        self.id = id
        self.unitID = unitID
        self.status = status
        self.version = version
        self.cells = cells
        self.explanations = explanations
        self.answers = answers
    }

    /// The row of `id` read by SQL: on the save's hot path, no model made by reflection. (The save's
    /// versioned `UPDATE` decides between concurrent saves, so the read takes no lock.)
    static func read(_ id: UUID, on sql: any SQLDatabase) async throws -> SubmissionRow? {
        guard let row = try await sql.raw("""
            SELECT id, unit_id, status, version, cells, explanations, answers FROM submissions WHERE id = \(bind: id)
            """).first() else { return nil }
        return SubmissionRow(id: try row.decode(column: "id", as: UUID.self), unitID: try row.decode(column: "unit_id", as: UUID?.self),
                             status: try row.decode(column: "status", as: String.self), version: try row.decode(column: "version", as: Int.self),
                             cells: try row.decode(column: "cells", as: String.self),
                             explanations: try row.decode(column: "explanations", as: String.self),
                             answers: try row.decode(column: "answers", as: String.self))
    }

    /// Throws for a submission not yet saved (it has no id, so there is no row).
    init(_ submission: Submission) throws {
        self.init(id: try submission.requireID(), unitID: submission.$unit.id, status: submission.status.rawValue, version: submission.version,
                  cells: submission.cells, explanations: submission.explanations, answers: submission.answers)
    }
}

/// One line of the audit trail, ready to insert.
/// How the audit lines of a save name an action the platform took rather than a person's typing:
/// 摘抄 (上年同期 carried over: `system`, 「摘抄上年数据」), 合并 (a group's consolidated figures). Written
/// with the save, in its transaction.
public struct AuditLabel: Sendable {
    /// The figures' cells it applies to; nil for every figure the save changes.
    public var cells: Set<String>?
    /// The user name the lines carry instead of the actor's (and then no user id); nil keeps the actor.
    public var username: String?
    /// What the lines' `detail` says.
    public var detail: String

    public init(cells: Set<String>?, username: String?, detail: String) {
        self.cells = cells
        self.username = username
        self.detail = detail
    }

    /// Applies the label to the value lines of the cells it names.
    func apply(to lines: inout [AuditLine]) {
        for index in lines.indices where lines[index].kind == AuditEvent.Kind.valueChanged.rawValue {
            guard let cell = lines[index].cell, cells?.contains(cell) ?? !cell.hasPrefix("说明:") && cell != "answers" else { continue }
            lines[index].detail = detail
            if let username {
                lines[index].username = username
                lines[index].userID = nil
            }
        }
    }
}

public struct AuditLine: Sendable {
    var userID: UUID?
    var username: String
    var address: String
    var kind: String
    var submissionID: UUID?
    var unitID: UUID?
    var cell: String?
    var old: String?
    var new: String?
    var detail: String
}
