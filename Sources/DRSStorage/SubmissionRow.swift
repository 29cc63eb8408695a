import Foundation

/// A submission's stored state, as far as saving a draft needs it: read by Fluent on PostgreSQL and
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

    /// Throws for a submission not yet saved (it has no id, so there is no row).
    init(_ submission: Submission) throws {
        self.init(id: try submission.requireID(), unitID: submission.$unit.id, status: submission.status.rawValue, version: submission.version,
                  cells: submission.cells, explanations: submission.explanations, answers: submission.answers)
    }
}

/// One line of the audit trail, ready to insert.
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
