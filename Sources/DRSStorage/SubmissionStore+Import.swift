import FluentKit
import Foundation

extension SubmissionStore {
    public enum ImportOutcome: Sendable, Equatable {
        case imported(version: Int)
        /// The stored figures already equal the file's: nothing written (what makes a re-run resume).
        case unchanged
        case refused(String)
    }

    /// One file's submission to store: its unit, form and year, figures, explanations and answers (nil
    /// keeps the stored ones), the status it gets, and the file it came from (named in the audit).
    public struct ImportRequest: Sendable {
        public var unitID: UUID
        public var formID: String
        public var year: Int
        public var cells: [String: String]
        public var explanations: [String: String]
        public var answers: String?
        public var status: SubmissionStatus
        public var source: String

        public init(unitID: UUID, formID: String, year: Int, cells: [String: String], explanations: [String: String],
                    answers: String?, status: SubmissionStatus, source: String) {
            self.unitID = unitID
            self.formID = formID
            self.year = year
            self.cells = cells
            self.explanations = explanations
            self.answers = answers
            self.status = status
            self.source = source
        }
    }

    /// Stores imported submissions in order, each all or nothing: the figures, explanations and
    /// answers, the status (草稿 for a filer's or headquarters' workbook; 已核定 for last year's
    /// verified figures loaded by the national office), and the audit lines. The whole batch goes in
    /// one transaction — through the single writer on SQLite, in a transaction on PostgreSQL — so a
    /// database error stores none of it (the run ends; running it again resumes); a file refused or
    /// unchanged writes nothing.
    public func importSubmissions(_ requests: [ImportRequest], actor: Actor) async throws -> [ImportOutcome] {
        let at = Date()
        if let writer {
            return try await writer.importRows(requests.map { ($0.unitID, $0.formID, $0.year) }) { i, row in
                let plan = Self.planImport(requests[i], row: row, actor: actor, at: at)
                return (plan.write, plan.outcome)
            }
        }
        let db = database
        return try await gate.run {
            try await db.transaction { tx in
                var outcomes: [ImportOutcome] = []
                for request in requests { outcomes.append(try await Self.writeImport(request, actor: actor, at: at, on: tx)) }
                return outcomes
            }
        }
    }

    /// One request on PostgreSQL (or SQLite without the writer), in the caller's transaction.
    private static func writeImport(_ request: ImportRequest, actor: Actor, at: Date, on tx: any Database) async throws -> ImportOutcome {
        let existing = try await Submission.query(on: tx).filter(\.$unit.$id == request.unitID).filter(\.$formID == request.formID)
            .filter(\.$year == request.year).first()
        let submission = existing ?? Submission(unitID: request.unitID, formID: request.formID, year: request.year)
        let plan = planImport(request, row: try existing.map { try SubmissionRow($0) }, newID: try submission.requireID(), actor: actor, at: at)
        guard let write = plan.write else { return plan.outcome }
        switch write {
        case .update(let change):
            submission.cells = change.cells
            submission.explanations = change.explanations
            submission.answers = change.answers
            submission.status = request.status
            submission.version = change.version
            if change.stampsSubmission, submission.submittedAt == nil { submission.submittedAt = at }
        case .insert(let new):
            submission.cells = new.cells
            submission.explanations = new.explanations
            submission.answers = new.answers
            submission.status = request.status
            submission.version = 1
            submission.submittedAt = new.submittedAt
        }
        submission.updatedAt = at
        try await submission.save(on: tx)
        try await AuditEvent.insert(write.audit, at: at, on: tx)
        return plan.outcome
    }

    /// What importing `request` does to its stored row (nil: none yet), decided the same way on both
    /// engines: nothing when the figures, explanations, answers and status are already those; a
    /// refusal when a draft would overwrite a form past 草稿/已退回; else the write, with an audit line
    /// per changed figure, explanation and answers, and one for the status.
    static func planImport(_ request: ImportRequest, row: SubmissionRow?, newID: UUID? = nil, actor: Actor, at: Date)
        -> (outcome: ImportOutcome, write: SQLiteWriter.Write?) {
        let storedCells = decode(row?.cells ?? "{}")
        let storedStatus = row.flatMap { SubmissionStatus(rawValue: $0.status) } ?? .notStarted
        if let row, storedCells == request.cells, storedStatus == request.status, decode(row.explanations) == request.explanations,
           request.answers == nil || request.answers == row.answers {
            return (.unchanged, nil)
        }
        if request.status == .draft, !storedStatus.isEditable {
            return (.refused("此表\(storedStatus.chineseName)，导入不能覆盖；如需修改请先退回"), nil)
        }
        let id = row?.id ?? newID ?? TimeOrderedID.make(at: at)
        let detail = "导入：\(request.source)"
        func line(_ kind: AuditEvent.Kind, _ cell: String, _ old: String?, _ new: String?) -> AuditLine {
            AuditLine(userID: actor.userID, username: actor.username, address: actor.address, kind: kind.rawValue, submissionID: id,
                      unitID: request.unitID, cell: cell, old: old, new: new, detail: detail)
        }
        // As a save audits them (`prepare`): figures, explanations, answers, then the status.
        var audit = diff(storedCells, request.cells).map { line(.valueChanged, $0.cell, $0.old, $0.new) }
        audit += diff(decode(row?.explanations ?? "{}"), request.explanations).map { line(.valueChanged, "说明:\($0.cell)", $0.old, $0.new) }
        if let answers = request.answers, answers != (row?.answers ?? "{}") { audit.append(line(.valueChanged, "answers", row?.answers, answers)) }
        if storedStatus != request.status { audit.append(line(.statusChanged, "status", storedStatus.rawValue, request.status.rawValue)) }
        let stamps = request.status == .submitted || request.status == .verified
        let cells = encode(request.cells), explanations = encode(request.explanations)
        let version = (row?.version ?? 0) + 1
        guard let row else {
            return (.imported(version: version), .insert(SQLiteWriter.NewRow(
                id: id, unitID: request.unitID, formID: request.formID, year: request.year, cells: cells, explanations: explanations,
                answers: request.answers ?? "{}", status: request.status.rawValue, submittedAt: stamps ? at : nil, at: at, audit: audit)))
        }
        return (.imported(version: version), .update(SQLiteWriter.RowUpdate(
            cells: cells, explanations: explanations, answers: request.answers ?? row.answers, status: request.status.rawValue,
            version: version, at: at, audit: audit, stampsSubmission: stamps)))
    }
}

extension SQLiteWriter.Write {
    var audit: [AuditLine] {
        switch self {
        case .update(let change): change.audit
        case .insert(let new): new.audit
        }
    }
}
