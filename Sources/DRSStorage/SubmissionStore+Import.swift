import FluentKit
import Foundation

extension SubmissionStore {
    public enum ImportOutcome: Sendable, Equatable {
        case imported(version: Int)
        /// The stored figures already equal the file's: nothing written (what makes a re-run resume).
        case unchanged
        case refused(String)
    }

    /// Stores one imported submission all or nothing: the figures, explanations and answers, the
    /// status (草稿 for a filer's or headquarters' workbook; 已核定 for last year's verified figures
    /// loaded by the national office), and the audit lines — in one transaction.
    public func importSubmission(unitID: UUID, formID: String, year: Int, cells: [String: String], explanations: [String: String],
                                 answers: String?, status: SubmissionStatus, source: String, actor: Actor) async throws -> ImportOutcome {
        let db = database
        return try await gate.run {
            try await db.transaction { tx in
                let existing = try await Submission.query(on: tx).filter(\.$unit.$id == unitID).filter(\.$formID == formID)
                    .filter(\.$year == year).first()
                let submission = existing ?? Submission(unitID: unitID, formID: formID, year: year)
                let storedCells = Self.decode(submission.cells)
                if existing != nil, storedCells == cells, submission.status == status, Self.decode(submission.explanations) == explanations,
                   answers == nil || answers == submission.answers {
                    return .unchanged
                }
                if status == .draft, !submission.status.isEditable {
                    return .refused("此表\(submission.status.chineseName)，导入不能覆盖；如需修改请先退回")
                }
                let now = Date()
                let old = submission.status
                submission.cells = Self.encode(cells)
                submission.explanations = Self.encode(explanations)
                if let answers { submission.answers = answers }
                submission.status = status
                submission.version += 1
                submission.updatedAt = now
                if status == .submitted || status == .verified, submission.submittedAt == nil { submission.submittedAt = now }
                try await submission.save(on: tx)
                var lines: [AuditEvent] = Self.diff(storedCells, cells).map {
                    AuditEvent(at: now, userID: actor.userID, username: actor.username, address: actor.address, kind: .valueChanged,
                               submissionID: submission.id, unitID: unitID, cell: $0.cell, oldValue: $0.old, newValue: $0.new, detail: "导入：\(source)")
                }
                if old != status {
                    lines.append(AuditEvent(at: now, userID: actor.userID, username: actor.username, address: actor.address, kind: .statusChanged,
                                            submissionID: submission.id, unitID: unitID, cell: "status", oldValue: old.rawValue, newValue: status.rawValue,
                                            detail: "导入：\(source)"))
                }
                try await AuditEvent.insert(lines, on: tx)
                return .imported(version: submission.version)
            }
        }
    }
}
