import DRSWorkflow
import Foundation

/// A submission as a use case sees it: which one, where it is in its lifecycle, and its version.
public struct SubmissionSnapshot: Sendable, Equatable {
    public var id: UUID
    public var status: SubmissionStatus
    public var version: Int

    public init(id: UUID, status: SubmissionStatus, version: Int) {
        self.id = id
        self.status = status
        self.version = version
    }
}

/// Why the store refused a step; nothing was written.
public enum StepRefusal: Error, Sendable, Equatable {
    /// The submission changed since the caller loaded it.
    case versionConflict(current: Int)
    /// The step cannot start from the submission's status (the lifecycle table).
    case invalidTransition(from: SubmissionStatus)
}

/// The submissions a use case reads and moves along their lifecycle. The storage layer implements
/// it (DRSStorage: `SubmissionStore`, on SQLite or PostgreSQL, versioned and audited in one
/// transaction); tests implement it in memory.
public protocol SubmissionRepository: Sendable {
    /// One unit's form for one year, or nil when it was never started.
    func snapshot(unitID: UUID, formID: String, year: Int) async throws -> SubmissionSnapshot?

    /// Takes a step that ends in one status, from the statuses the lifecycle table allows, if the
    /// submission is still at `expectedVersion`; writes the audit line naming the step and the reason.
    /// Throws `StepRefusal` when the store refuses it.
    func takeStep(_ step: SubmissionStep, id: UUID, expectedVersion: Int, reason: String?, actor: Actor) async throws -> SubmissionSnapshot
}
