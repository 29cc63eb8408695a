import DRSCore
import DRSWorkflow
import Foundation

/// A filer's 提交: the stored figures are checked as they stand, and the submission moves to 已提交
/// only when no error remains and every large change that needs one is explained (一、总说明: units
/// check before they report). Who may submit has been decided before (`AccessPolicy`, by the caller).
public enum SubmitSubmission {
    public struct Request: Sendable {
        public var unitID: UUID
        public var formID: String
        public var year: Int
        /// The version the filer looked at; the submission is refused if it moved on since.
        public var version: Int
        public var actor: Actor

        public init(unitID: UUID, formID: String, year: Int, version: Int, actor: Actor) {
            self.unitID = unitID
            self.formID = formID
            self.year = year
            self.version = version
            self.actor = actor
        }
    }

    /// Why a submission was refused, with the filer's message; nothing was written.
    public enum Failure: Error, Sendable {
        case notStarted
        /// The checks of the stored figures, which block the submission.
        case blocked(CheckReport)
        case versionConflict(current: Int)
        case notEditable(from: SubmissionStatus)

        /// The API's error code.
        public var code: String {
            switch self {
            case .notStarted: "not_started"
            case .blocked: "has_errors"
            case .versionConflict: "version_conflict"
            case .notEditable: "not_editable"
            }
        }

        public var message: String {
            switch self {
            case .notStarted: "此表尚未填写，不能提交"
            case .blocked(let report):
                if !report.errors.isEmpty {
                    "还有\(report.errors.count)个错误，请改正后再提交"
                } else if !report.missing.isEmpty {
                    "还有\(report.missing.count)个必填单元格未填写（没有发生的请填0），请填写后再提交"
                } else {
                    "还有\(report.warnings.filter { $0.needsExplanation && !$0.isExplained }.count)处变化较大的指标需要填写说明"
                }
            case .versionConflict(let current): "此表已被他人修改（当前版本 \(current)），请重新加载后再提交。"
            case .notEditable(let from): "此表\(from.chineseName)，不能再次提交。"
            }
        }

        /// The request conflicts with the submission's state (HTTP 409) rather than its content (HTTP 422).
        public var isConflict: Bool {
            switch self {
            case .versionConflict, .notEditable: true
            case .notStarted, .blocked: false
            }
        }
    }

    /// Checks the stored submission (`check` runs the catalog's rules with last year's figures, as the
    /// filer's page does) and takes the step; the submission after it.
    public static func run(_ request: Request, in repository: some SubmissionRepository,
                           check: (SubmissionSnapshot) async throws -> CheckReport) async throws -> SubmissionSnapshot {
        guard let submission = try await repository.snapshot(unitID: request.unitID, formID: request.formID, year: request.year),
              submission.status != .notStarted else { throw Failure.notStarted }
        let report = try await check(submission)
        if report.blocksSubmission { throw Failure.blocked(report) }
        do {
            return try await repository.takeStep(.submit, id: submission.id, expectedVersion: request.version, reason: nil,
                                                 namingStep: false, actor: request.actor)
        } catch StepRefusal.versionConflict(let current) {
            throw Failure.versionConflict(current: current)
        } catch StepRefusal.invalidTransition(let from) {
            throw Failure.notEditable(from: from)
        }
    }
}
