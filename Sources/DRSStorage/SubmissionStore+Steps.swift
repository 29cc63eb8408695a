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
        return SubmissionSnapshot(id: try found.requireID(), status: found.status, version: found.version)
    }

    public func takeStep(_ step: SubmissionStep, id: UUID, expectedVersion: Int, reason: String?, actor: Actor) async throws -> SubmissionSnapshot {
        do {
            let updated = try await take(step, id: id, expectedVersion: expectedVersion, reason: reason, recordingStep: true, actor: actor)
            return SubmissionSnapshot(id: try updated.requireID(), status: updated.status, version: updated.version)
        } catch StoreError.versionConflict(let current, _) {
            throw StepRefusal.versionConflict(current: current)
        } catch StoreError.invalidTransition(let from, _) {
            throw StepRefusal.invalidTransition(from: from)
        }
    }
}
