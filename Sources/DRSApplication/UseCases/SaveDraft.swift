import DRSCore
import DRSWorkflow
import Foundation

/// A filer's 保存 (and the page's autosave) of figures, answers and explanations. Who may save has
/// been decided before (`AccessPolicy`, by the caller), and the input was read and validated by the
/// caller (unknown cells are refused by name); the store decides the save against the row as it
/// stands — the lifecycle table's 保存草稿 and the version — and its refusals become the filer's messages.
public enum SaveDraft {
    public struct Request: Sendable {
        public var unitID: UUID
        public var form: CompiledForm
        public var year: Int
        /// The version the filer edited; the save is refused if the submission moved on since.
        public var version: Int?
        /// The figures, answers and explanations as read from the filer's input.
        public var document: SubmissionDocument
        public var actor: Actor

        public init(unitID: UUID, form: CompiledForm, year: Int, version: Int?, document: SubmissionDocument, actor: Actor) {
            self.unitID = unitID
            self.form = form
            self.year = year
            self.version = version
            self.document = document
            self.actor = actor
        }
    }

    /// The saved submission and the checks of what was sent (shown next to the cells).
    public struct Outcome: Sendable {
        public var saved: SavedDraft
        public var report: CheckReport
    }

    /// Why a save was refused, with the filer's message; nothing was written.
    public enum Failure: Error, Sendable, Equatable {
        case missingVersion
        /// The status does not allow a save (已提交, 已通过, 已核定).
        case notEditable(SubmissionStatus)
        /// The submission moved on from the version edited; the cells where it differs from what was sent.
        case versionConflict(current: Int, edited: Int, differing: [DifferingCell])

        /// The API's error code.
        public var code: String {
            switch self {
            case .missingVersion: "missing_version"
            case .notEditable: "not_editable"
            case .versionConflict: "version_conflict"
            }
        }

        public var message: String {
            switch self {
            case .missingVersion: "缺少 version（所编辑的版本号）"
            case .notEditable(let status): "此表\(status.chineseName)，不能修改；如需修改请联系审核人退回。"
            case .versionConflict(let current, let edited, _):
                "此表已被他人修改（当前版本 \(current)，您编辑的是版本 \(edited)），未保存。请核对下列单元格后重新加载。"
            }
        }

        /// The request conflicts with the submission's state (HTTP 409) rather than being incomplete (HTTP 422).
        public var isConflict: Bool {
            switch self {
            case .notEditable, .versionConflict: true
            case .missingVersion: false
            }
        }
    }

    /// Saves the draft and checks what was sent (`check` runs the catalog's rules with last year's
    /// figures, as the filer's page does; only after a save that was written or changed nothing).
    public static func run(_ request: Request, in repository: some DraftRepository,
                           check: (SubmissionDocument) async throws -> CheckReport) async throws -> Outcome {
        guard let version = request.version else { throw Failure.missingVersion }
        let id = try await repository.draftID(unitID: request.unitID, formID: request.form.form.id, year: request.year)
        let saved: SavedDraft
        do {
            saved = try await repository.save(draft(request.document, of: request.form), id: id, expectedVersion: version, actor: request.actor)
        } catch DraftRefusal.notEditable(let status) {
            throw Failure.notEditable(status)
        } catch DraftRefusal.versionConflict(let current, let differing) {
            throw Failure.versionConflict(current: current, edited: version, differing: differing)
        }
        return Outcome(saved: saved, report: try await check(request.document))
    }

    /// What is stored of a filer's document: the filled cells, the explanations, and the answers of a
    /// basic-information form (keys in order, so equal answers store equal text; other forms keep none).
    public static func draft(_ document: SubmissionDocument, of form: CompiledForm) -> Draft {
        let answers = form.form.kind == .basicInfo
            ? JSONValue.object(document.answers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }).serialized() : nil
        return Draft(cells: form.cellMap(document.values), explanations: document.explanations, answers: answers)
    }
}
