import DRSApplication
import DRSWorkflow
import Foundation

/// One submission, moved by the lifecycle table as the real store moves it.
actor MemoryRepository: SubmissionRepository {
    var stored: SubmissionSnapshot?
    var audit: [(step: SubmissionStep, reason: String?, namingStep: Bool)] = []

    init(_ stored: SubmissionSnapshot?) { self.stored = stored }

    func snapshot(unitID: UUID, formID: String, year: Int) async throws -> SubmissionSnapshot? { stored }

    func takeStep(_ step: SubmissionStep, id: UUID, expectedVersion: Int, reason: String?, namingStep: Bool,
                  actor: Actor) async throws -> SubmissionSnapshot {
        guard var current = stored, current.id == id else { throw StepRefusal.invalidTransition(from: .notStarted) }
        guard current.version == expectedVersion else { throw StepRefusal.versionConflict(current: current.version) }
        guard let next = SubmissionLifecycle.transition(step).status(after: current.status) else {
            throw StepRefusal.invalidTransition(from: current.status)
        }
        current.status = next
        current.version += 1
        stored = current
        audit.append((step, reason, namingStep))
        return current
    }

    func auditCount() -> Int { audit.count }
    func lastReason() -> String? { audit.last?.reason }
    func lastNamedStep() -> Bool? { audit.last?.namingStep }
}
