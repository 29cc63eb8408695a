import DRSApplication
import DRSCore
import DRSWorkflow
import FluentKit
import FluentPostgresDriver
import Foundation
import SQLKit

/// Who did something, from where (the application layer's; storage writes it into every audit line).
public typealias Actor = DRSApplication.Actor

/// A cell whose value differs between two versions.
public struct CellChange: Sendable, Equatable, Codable {
    public var cell: String
    public var old: String?
    public var new: String?
}

public enum StoreError: Error, Sendable {
    case notFound
    /// The figures may not change in this status (已提交/已通过/已核定).
    case notEditable(SubmissionStatus)
    /// Saved over a newer version than the one loaded: nothing was written.
    case versionConflict(current: Int, differing: [CellChange])
    case invalidTransition(from: SubmissionStatus, to: SubmissionStatus)
    /// A lifecycle step that is not a change of status (a save) was asked of `transition`.
    case notAStatusChange(SubmissionStep)
}

/// Submissions: load, save drafts with optimistic concurrency, change status; every write in one
/// transaction together with its audit lines.
public struct SubmissionStore: Sendable {
    public let database: any Database
    public let gate: WriteGate?
    /// SQLite: the dedicated writer for draft saves (the hot path).
    public let writer: SQLiteWriter?

    public init(database: any Database, gate: WriteGate?, writer: SQLiteWriter? = nil) {
        self.database = database
        self.gate = gate
        self.writer = writer
    }

    public func find(unitID: UUID, formID: String, year: Int) async throws -> Submission? {
        try await Submission.query(on: database)
            .filter(\.$unit.$id == unitID).filter(\.$formID == formID).filter(\.$year == year).first()
    }

    /// The submission, created empty (未填报) on first access.
    public func findOrCreate(unitID: UUID, formID: String, year: Int) async throws -> Submission {
        if let existing = try await find(unitID: unitID, formID: formID, year: year) { return existing }
        let db = database
        return try await gate.run {
            if let existing = try await Submission.query(on: db).filter(\.$unit.$id == unitID)
                .filter(\.$formID == formID).filter(\.$year == year).first() { return existing }
            let created = Submission(unitID: unitID, formID: formID, year: year)
            do {
                try await created.create(on: db)
            } catch {
                // Another instance created it between our look and our insert (unique unit/form/year).
                if let existing = try await Submission.query(on: db).filter(\.$unit.$id == unitID)
                    .filter(\.$formID == formID).filter(\.$year == year).first() { return existing }
                throw error
            }
            return created
        }
    }

    /// A stored map of cells (or explanations): a JSON object of strings; anything else reads as empty.
    public static func decode(_ json: String) -> [String: String] {
        (try? JSONValue.parseTextObject(json)) ?? [:]
    }

    /// The stored form of a map: a JSON object with its keys in order, so equal maps store equal text.
    public static func encode(_ map: [String: String]) -> String {
        JSONValue.serializedTextObject(map)
    }

    /// The cells whose value differs, in key order. Only the changed keys are sorted: a save changes a
    /// few of a form's hundreds of cells, and sorting all of them cost more than comparing them.
    static func diff(_ old: [String: String], _ new: [String: String]) -> [CellChange] {
        var changed: [String] = []
        for (key, value) in new where old[key] != value { changed.append(key) }
        for key in old.keys where new[key] == nil { changed.append(key) }
        return changed.sorted().map { CellChange(cell: $0, old: old[$0], new: new[$0]) }
    }

    /// What a save would change, worked out from the stored row: refused when the row is not editable
    /// or its version moved on; `audit` holds one line per changed value and status.
    struct PreparedSave {
        var changes: [CellChange]
        var audit: [AuditLine]
        var newStatus: SubmissionStatus
        var answers: String
        var isNoOp: Bool { audit.isEmpty }
    }

    static func prepare(_ row: SubmissionRow, expectedVersion: Int, cells: [String: String], explanations: [String: String],
                        answers: String?, actor: Actor, label: AuditLabel? = nil) throws -> PreparedSave {
        guard let status = SubmissionStatus(rawValue: row.status) else { throw StoreError.notFound }
        guard status.isEditable else { throw StoreError.notEditable(status) }
        let stored = decode(row.cells)
        if row.version != expectedVersion {
            throw StoreError.versionConflict(current: row.version, differing: diff(cells, stored))
        }
        let changes = diff(stored, cells)
        let newStatus: SubmissionStatus = status == .notStarted ? .draft : status
        func line(_ kind: AuditEvent.Kind, _ cell: String, _ old: String?, _ new: String?) -> AuditLine {
            .init(userID: actor.userID, username: actor.username, address: actor.address, kind: kind.rawValue, submissionID: row.id,
                  unitID: row.unitID, cell: cell, old: old, new: new, detail: "")
        }
        var audit = changes.map { line(.valueChanged, $0.cell, $0.old, $0.new) }
        audit += diff(decode(row.explanations), explanations).map { line(.valueChanged, "说明:\($0.cell)", $0.old, $0.new) }
        if let answers, answers != row.answers { audit.append(line(.valueChanged, "answers", row.answers, answers)) }
        if newStatus != status { audit.append(line(.statusChanged, "status", status.rawValue, newStatus.rawValue)) }
        label?.apply(to: &audit)
        return PreparedSave(changes: changes, audit: audit, newStatus: newStatus, answers: answers ?? row.answers)
    }

    /// Saves a draft over `expectedVersion`. Refused (nothing written) when the stored version is
    /// newer, with the cells where the stored figures differ from the ones sent.
    @discardableResult
    public func saveDraft(id: UUID, expectedVersion: Int, cells: [String: String], explanations: [String: String],
                          answers: String? = nil, actor: Actor, label: AuditLabel? = nil) async throws
        -> (version: Int, status: SubmissionStatus, changes: [CellChange]) {
        if let writer { return try await saveDraftThroughWriter(writer, id: id, expectedVersion: expectedVersion, cells: cells,
                                                                 explanations: explanations, answers: answers, actor: actor, label: label) }
        if let postgres = database as? any PostgresDatabase {
            return try await saveDraftOnPostgres(postgres, id: id, expectedVersion: expectedVersion, cells: cells,
                                                 explanations: explanations, answers: answers, actor: actor, label: label)
        }
        return try await saveDraftInTransaction(id: id, expectedVersion: expectedVersion, cells: cells, explanations: explanations,
                                                answers: answers, actor: actor, label: label)
    }

    /// The save as a transaction of its own: read, versioned update, audit.
    private func saveDraftInTransaction(id: UUID, expectedVersion: Int, cells: [String: String], explanations: [String: String],
                                        answers: String?, actor: Actor, label: AuditLabel?) async throws
        -> (version: Int, status: SubmissionStatus, changes: [CellChange]) {
        let db = database
        return try await gate.run {
            try await db.transaction { tx in
                guard let sql = tx as? any SQLDatabase else { throw SQLUnavailable() }
                guard let row = try await SubmissionRow.read(id, on: sql) else { throw StoreError.notFound }
                let save = try Self.prepare(row, expectedVersion: expectedVersion, cells: cells, explanations: explanations,
                                            answers: answers, actor: actor, label: label)
                if save.isNoOp { return (row.version, save.newStatus, []) }
                let now = Date()
                // The versioned update is the arbiter: of two saves from the same version one wins.
                let rows = try await sql.raw("""
                    UPDATE submissions SET cells = \(bind: Self.encode(cells)), explanations = \(bind: Self.encode(explanations)),
                    answers = \(bind: save.answers), version = \(bind: expectedVersion + 1), status = \(bind: save.newStatus.rawValue),
                    updated_at = \(bind: now) WHERE id = \(bind: id) AND version = \(bind: expectedVersion) RETURNING version
                    """).all()
                if rows.isEmpty {
                    let current = try await Submission.find(id, on: tx)
                    throw StoreError.versionConflict(current: current?.version ?? expectedVersion,
                                                     differing: Self.diff(cells, Self.decode(current?.cells ?? "{}")))
                }
                try await AuditEvent.insert(save.audit, at: now, on: tx)
                return (expectedVersion + 1, save.newStatus, save.changes)
            }
        }
    }

    /// PostgreSQL's hot path: the row read, then one statement writing the row and its audit (`PostgresDraftSave`).
    private func saveDraftOnPostgres(_ postgres: any PostgresDatabase, id: UUID, expectedVersion: Int, cells: [String: String],
                                     explanations: [String: String], answers: String?, actor: Actor, label: AuditLabel?) async throws
        -> (version: Int, status: SubmissionStatus, changes: [CellChange]) {
        let logger = database.logger
        guard let row = try await PostgresDraftSave.read(id, on: postgres, logger: logger) else { throw StoreError.notFound }
        let save = try Self.prepare(row, expectedVersion: expectedVersion, cells: cells, explanations: explanations,
                                    answers: answers, actor: actor, label: label)
        if save.isNoOp { return (row.version, save.newStatus, []) }
        if save.audit.count > PostgresDraftSave.linesPerStatement {
            return try await saveDraftInTransaction(id: id, expectedVersion: expectedVersion, cells: cells, explanations: explanations,
                                                    answers: answers, actor: actor, label: label)
        }
        let write = PostgresDraftSave.Write(id: id, expectedVersion: expectedVersion, cells: Self.encode(cells), explanations: Self.encode(explanations),
                                            answers: save.answers, status: save.newStatus.rawValue, at: Date(), audit: save.audit)
        guard try await PostgresDraftSave.write(write, on: postgres, logger: logger) else {
            let current = try await PostgresDraftSave.read(id, on: postgres, logger: logger)
            throw StoreError.versionConflict(current: current?.version ?? expectedVersion,
                                             differing: Self.diff(cells, Self.decode(current?.cells ?? "{}")))
        }
        return (expectedVersion + 1, save.newStatus, save.changes)
    }

    /// The SQLite hot path: the single writer reads the row inside its transaction, and the save is
    /// decided there (version, editability, changed cells, audit lines) and written in the same batch.
    private func saveDraftThroughWriter(_ writer: SQLiteWriter, id: UUID, expectedVersion: Int, cells: [String: String],
                                        explanations: [String: String], answers: String?, actor: Actor, label: AuditLabel?) async throws
        -> (version: Int, status: SubmissionStatus, changes: [CellChange]) {
        let encodedCells = Self.encode(cells), encodedExplanations = Self.encode(explanations)
        let at = Date()
        return try await writer.save(id) { row in
            guard let row else { throw StoreError.notFound }
            let save = try Self.prepare(row, expectedVersion: expectedVersion, cells: cells, explanations: explanations,
                                        answers: answers, actor: actor, label: label)
            if save.isNoOp { return (nil, (row.version, save.newStatus, [])) }
            let update = SQLiteWriter.RowUpdate(cells: encodedCells, explanations: encodedExplanations, answers: save.answers,
                                                status: save.newStatus.rawValue, version: expectedVersion + 1, at: at, audit: save.audit)
            return (update, (expectedVersion + 1, save.newStatus, save.changes))
        }
    }

    /// Moves a submission from one of `from` to `to`, with a reason where required; audited. `action`
    /// names the step in the audit line when the status alone does not (重新打开 is also → 已退回).
    public func transition(id: UUID, expectedVersion: Int? = nil, from: Set<SubmissionStatus>, to: SubmissionStatus,
                           reason: String? = nil, action: String? = nil, actor: Actor) async throws -> Submission {
        let db = database
        return try await gate.run {
            try await db.transaction { tx in
                guard let submission = try await Submission.find(id, on: tx) else { throw StoreError.notFound }
                guard from.contains(submission.status) else { throw StoreError.invalidTransition(from: submission.status, to: to) }
                if let expectedVersion, submission.version != expectedVersion {
                    throw StoreError.versionConflict(current: submission.version, differing: [])
                }
                let old = submission.status
                guard let sql = tx as? any SQLDatabase else { throw SQLUnavailable() }
                let rows = try await sql.raw("""
                    UPDATE submissions SET status = \(bind: to.rawValue), version = \(bind: submission.version + 1),
                    return_reason = \(bind: to == .returned ? reason : nil as String?),
                    submitted_at = \(bind: to == .submitted ? Date() : submission.submittedAt), updated_at = \(bind: Date())
                    WHERE id = \(bind: id) AND version = \(bind: submission.version) RETURNING version
                    """).all()
                if rows.isEmpty { throw StoreError.versionConflict(current: submission.version + 1, differing: []) }
                try await AuditEvent(userID: actor.userID, username: actor.username, address: actor.address, kind: .statusChanged,
                                     submissionID: id, unitID: submission.$unit.id, cell: "status", oldValue: old.rawValue,
                                     newValue: to.rawValue,
                                     detail: [action, reason].compactMap { $0 }.joined(separator: "：")).create(on: tx)
                guard let moved = try await Submission.find(id, on: tx) else { throw StoreError.notFound }
                return moved
            }
        }
    }

    /// The audit trail of a submission, oldest first.
    public func history(id: UUID) async throws -> [AuditEvent] {
        try await AuditEvent.query(on: database).filter(\.$submissionID == id).sort(\.$at).all()
    }
}
