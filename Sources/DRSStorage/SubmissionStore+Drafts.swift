import DRSApplication
import Foundation

/// The application layer's draft port, answered by the store's save: decided inside the SQLite
/// writer's transaction (or PostgreSQL's), versioned and audited as before; the store's refusals
/// are handed on as the port's.
extension SubmissionStore: DraftRepository {
    public func draftID(unitID: UUID, formID: String, year: Int) async throws -> UUID {
        try await findOrCreate(unitID: unitID, formID: formID, year: year).requireID()
    }

    public func save(_ draft: Draft, id: UUID, expectedVersion: Int, actor: Actor) async throws -> SavedDraft {
        do {
            let (version, status, changes) = try await saveDraft(id: id, expectedVersion: expectedVersion, cells: draft.cells,
                                                                 explanations: draft.explanations, answers: draft.answers, actor: actor)
            return SavedDraft(id: id, version: version, status: status, changedCells: changes.map(\.cell))
        } catch StoreError.notEditable(let status) {
            throw DraftRefusal.notEditable(status)
        } catch StoreError.versionConflict(let current, let differing) {
            // `diff(sent, stored)`: old is what the filer sent, new what is stored.
            throw DraftRefusal.versionConflict(current: current,
                                               differing: differing.map { DifferingCell(cell: $0.cell, yours: $0.old, current: $0.new) })
        }
    }
}
