import DRSApplication
import DRSWorkflow
import Foundation

/// One submission saved as the real store saves it: the lifecycle table's 保存草稿 decides the
/// status, the version decides a race, and a refused save writes nothing.
actor MemoryDrafts: DraftRepository {
    let id = UUID()
    var status: SubmissionStatus
    var version: Int
    var stored: Draft
    private(set) var lookups = 0
    private(set) var writes = 0

    init(status: SubmissionStatus, version: Int, cells: [String: String] = [:]) {
        self.status = status
        self.version = version
        self.stored = Draft(cells: cells, explanations: [:])
    }

    func draftID(unitID: UUID, formID: String, year: Int) async throws -> UUID {
        lookups += 1
        return id
    }

    func save(_ draft: Draft, id: UUID, expectedVersion: Int, actor: Actor) async throws -> SavedDraft {
        guard let next = SubmissionLifecycle.transition(.saveDraft).status(after: status) else { throw DraftRefusal.notEditable(status) }
        guard version == expectedVersion else {
            let differing = Set(draft.cells.keys).union(stored.cells.keys).sorted().filter { draft.cells[$0] != stored.cells[$0] }
            throw DraftRefusal.versionConflict(current: version, differing: differing.map {
                DifferingCell(cell: $0, yours: draft.cells[$0], current: stored.cells[$0])
            })
        }
        let changed = Set(draft.cells.keys).union(stored.cells.keys).sorted().filter { draft.cells[$0] != stored.cells[$0] }
        let noOp = changed.isEmpty && next == status && draft.explanations == stored.explanations
            && (draft.answers == nil || draft.answers == stored.answers)
        if noOp { return SavedDraft(id: id, version: version, status: status, changedCells: []) }
        stored = Draft(cells: draft.cells, explanations: draft.explanations, answers: draft.answers ?? stored.answers)
        status = next
        version += 1
        writes += 1
        return SavedDraft(id: id, version: version, status: status, changedCells: changed)
    }

    func storedCells() -> [String: String] { stored.cells }
    func storedAnswers() -> String? { stored.answers }
}
