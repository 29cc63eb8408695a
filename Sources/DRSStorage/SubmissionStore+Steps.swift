import DRSApplication
import DRSWorkflow
import Foundation

extension SubmissionStore {
    /// Takes a lifecycle step that ends in one status (every step but a save): from the statuses the
    /// table allows, to its status; `recordingStep` names the step in the audit line (重新打开 is
    /// also → 已退回; a submission's line has always carried the status alone).
    public func take(_ step: SubmissionStep, id: UUID, expectedVersion: Int? = nil, reason: String? = nil, recordingStep: Bool = false,
                     actor: Actor) async throws -> Submission {
        let transition = SubmissionLifecycle.transition(step)
        guard let to = transition.toStatus else { throw StoreError.notAStatusChange(step) }
        return try await self.transition(id: id, expectedVersion: expectedVersion, from: transition.from, to: to, reason: reason,
                                         action: recordingStep ? transition.chineseName : nil, actor: actor)
    }
}

/// The application layer's port, answered by the versioned, audited store.
extension SubmissionStore: SubmissionRepository {
    public func snapshot(unitID: UUID, formID: String, year: Int) async throws -> SubmissionSnapshot? {
        guard let found = try await find(unitID: unitID, formID: formID, year: year) else { return nil }
        return try Self.snapshot(of: found)
    }

    public func takeStep(_ step: SubmissionStep, id: UUID, expectedVersion: Int, reason: String?, namingStep: Bool,
                         actor: Actor) async throws -> SubmissionSnapshot {
        do {
            let updated = try await take(step, id: id, expectedVersion: expectedVersion, reason: reason, recordingStep: namingStep, actor: actor)
            return try Self.snapshot(of: updated)
        } catch StoreError.versionConflict(let current, _) {
            throw StepRefusal.versionConflict(current: current)
        } catch StoreError.invalidTransition(let from, _) {
            throw StepRefusal.invalidTransition(from: from)
        }
    }

    static func snapshot(of row: Submission) throws -> SubmissionSnapshot {
        SubmissionSnapshot(id: try row.requireID(), status: row.status, version: row.version, cells: row.cells, answers: row.answers,
                           explanations: row.explanations)
    }
}
