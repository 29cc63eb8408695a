import DRSApplication
import DRSCore
import DRSWorkflow
import FluentKit
import Foundation

/// The application layer's draft port, answered by the store's save: decided inside the SQLite
/// writer's transaction (or PostgreSQL's), versioned and audited as before; the store's refusals
/// are handed on as the port's.
extension SubmissionStore: DraftRepository {
    public func draftID(unitID: UUID, formID: String, year: Int) async throws -> UUID {
        try await findOrCreate(unitID: unitID, formID: formID, year: year).requireID()
    }

    public func save(_ draft: Draft, id: UUID, expectedVersion: Int, actor: Actor) async throws -> SavedDraft {
        // Only the first save of a form never saved (version 0) can hold 摘抄: look then, never on later saves.
        let carried = expectedVersion == 0 ? try await carriedOverCells(draft.cells, id: id) : []
        let label = carried.isEmpty ? nil : AuditLabel(cells: carried, username: SystemAudit.username, detail: SystemAudit.carryOver)
        return try await save(draft, id: id, expectedVersion: expectedVersion, actor: actor, label: label)
    }

    /// A save whose audit lines carry `label` (摘抄, 合并), written in the save's own transaction.
    func save(_ draft: Draft, id: UUID, expectedVersion: Int, actor: Actor, label: AuditLabel?) async throws -> SavedDraft {
        do {
            let (version, status, changes) = try await saveDraft(id: id, expectedVersion: expectedVersion, cells: draft.cells,
                                                                 explanations: draft.explanations, answers: draft.answers,
                                                                 actor: actor, label: label)
            return SavedDraft(id: id, version: version, status: status, changedCells: changes.map(\.cell))
        } catch StoreError.notEditable(let status) {
            throw DraftRefusal.notEditable(status)
        } catch StoreError.versionConflict(let current, let differing) {
            throw DraftRefusal.versionConflict(current: current,
                                               differing: differing.map { DifferingCell(cell: $0.cell, yours: $0.old, current: $0.new) })
        }
    }

    /// The cells of a first save that are last year's verified figures carried over (`CarryOver`: this
    /// year's 上年同期 equal to last year's 本年实际 of the same row and member) into a form not yet started.
    func carriedOverCells(_ cells: [String: String], id: UUID) async throws -> Set<String> {
        guard let row = try await Submission.find(id, on: database), row.status == .notStarted,
              let last = try await Submission.query(on: database).filter(\.$unit.$id == row.$unit.id).filter(\.$formID == row.formID)
                .filter(\.$year == row.year - 1).first(), CarryOver.counts(lastYear: last.status) else { return [] }
        let before = Self.decode(last.cells)
        return Set(cells.compactMap { cell, value in
            guard let key = CellKey(parsing: cell), let source = CarryOver.source(of: key), let then = before[source.description],
                  Self.sameFigure(then, value) else { return nil }
            return cell
        })
    }

    static func sameFigure(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let x = try? NumberInput.parse(a), let y = try? NumberInput.parse(b) else { return false }
        return x == y
    }
}

/// How the store marks the audit lines of actions the platform took rather than a person's typing.
public enum SystemAudit {
    /// The user name of lines the platform wrote on its own (摘抄).
    public static let username = "system"
    /// `detail` of the 上年同期 figures carried over from last year's verified report (摘抄).
    public static let carryOver = "摘抄上年数据"
    /// `detail` of the figures a headquarters' consolidation wrote (合并).
    public static let consolidation = "集团汇总：合并子公司报表"
    /// `detail` prefix of the lines of an import (批量导入), followed by the source.
    public static let importPrefix = "导入："
}
