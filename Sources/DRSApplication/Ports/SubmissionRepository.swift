import DRSWorkflow
import Foundation

/// A submission as a use case sees it: which one, where it is in its lifecycle, its version, and
/// what is stored (as the store keeps it: compact JSON text of the filled cells, the answers of a
/// basic-information form, the explanations of large changes).
public struct SubmissionSnapshot: Sendable, Equatable {
    public var id: UUID
    public var status: SubmissionStatus
    public var version: Int
    public var cells: String
    public var answers: String
    public var explanations: String

    public init(id: UUID, status: SubmissionStatus, version: Int, cells: String = "{}", answers: String = "{}", explanations: String = "{}") {
        self.id = id
        self.status = status
        self.version = version
        self.cells = cells
        self.answers = answers
        self.explanations = explanations
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
    /// submission is still at `expectedVersion`; writes the audit line with the reason, naming the
    /// step when `namingStep` (a reviewer's step; a filer's submission has always carried the status alone).
    /// Throws `StepRefusal` when the store refuses it.
    func takeStep(_ step: SubmissionStep, id: UUID, expectedVersion: Int, reason: String?, namingStep: Bool,
                  actor: Actor) async throws -> SubmissionSnapshot
}
