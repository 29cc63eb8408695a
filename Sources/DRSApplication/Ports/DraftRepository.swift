import DRSWorkflow
import Foundation

/// What a filer saves, as the store keeps it.
public struct Draft: Sendable, Equatable {
    /// The filled cells (`"01:cum" → "1200.5"`), only cells of the form: the caller read them with
    /// `values(fromInput:)` or the submission reader, which refuse an unknown cell by name.
    public var cells: [String: String]
    /// The explanations of large changes, by cell.
    public var explanations: [String: String]
    /// A basic-information form's answers as compact JSON; nil keeps what is stored (other forms have none).
    public var answers: String?

    public init(cells: [String: String], explanations: [String: String], answers: String? = nil) {
        self.cells = cells
        self.explanations = explanations
        self.answers = answers
    }
}

/// What a draft save left: the submission's new version and status, and which cells it changed.
public struct SavedDraft: Sendable, Equatable {
    public var id: UUID
    public var version: Int
    public var status: SubmissionStatus
    /// The cells whose value the save changed; none for a save that changed nothing (it writes nothing).
    public var changedCells: [String]

    public init(id: UUID, version: Int, status: SubmissionStatus, changedCells: [String]) {
        self.id = id
        self.version = version
        self.status = status
        self.changedCells = changedCells
    }
}

/// A cell where the stored figures differ from the ones a refused save sent.
public struct DifferingCell: Sendable, Equatable {
    public var cell: String
    /// What the filer sent (nil: left empty).
    public var yours: String?
    /// What is stored now (nil: empty).
    public var current: String?

    public init(cell: String, yours: String?, current: String?) {
        self.cell = cell
        self.yours = yours
        self.current = current
    }
}

/// Why the store refused a save; nothing was written.
public enum DraftRefusal: Error, Sendable, Equatable {
    /// The status is not one the lifecycle table's 保存草稿 starts from (已提交, 已通过, 已核定).
    case notEditable(SubmissionStatus)
    /// The submission changed since the filer loaded it; the cells where it differs from what was sent.
    case versionConflict(current: Int, differing: [DifferingCell])
}

/// The submissions a filer saves drafts of. The storage layer implements it (DRSStorage:
/// `SubmissionStore`, which decides the save inside the writer's transaction, so a save makes no
/// round trip of its own); tests implement it in memory.
public protocol DraftRepository: Sendable {
    /// The id of one unit's form for one year; the submission is created empty (未填报) on first access.
    func draftID(unitID: UUID, formID: String, year: Int) async throws -> UUID

    /// Saves `draft` over `expectedVersion`, from a status the lifecycle table's 保存草稿 starts from
    /// (未填报 becomes 草稿; 草稿 and 已退回 keep theirs), with one audit line per changed value.
    /// Throws `DraftRefusal` when the store refuses it.
    func save(_ draft: Draft, id: UUID, expectedVersion: Int, actor: Actor) async throws -> SavedDraft
}
