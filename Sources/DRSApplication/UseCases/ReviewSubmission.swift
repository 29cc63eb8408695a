import DRSCore
import DRSWorkflow
import Foundation

/// A reviewer's step on one submission (审核通过, 退回, 核定, 重新打开). Who may take it has been decided
/// before (`AccessPolicy`, by the caller); this checks the request against the lifecycle table and
/// takes the step through the repository. The web API and any other caller share it.
public enum ReviewSubmission {
    public struct Request: Sendable {
        public var step: SubmissionStep
        public var unitID: UUID
        public var formID: String
        public var year: Int
        /// The version the reviewer looked at; the step is refused if the submission moved on since.
        public var version: Int?
        public var reason: String?
        public var actor: Actor

        public init(step: SubmissionStep, unitID: UUID, formID: String, year: Int, version: Int?, reason: String?, actor: Actor) {
            self.step = step
            self.unitID = unitID
            self.formID = formID
            self.year = year
            self.version = version
            self.reason = reason
            self.actor = actor
        }
    }

    /// Why a review step was refused, with the reviewer's message; nothing was written.
    public enum Failure: Error, Sendable, Equatable {
        case missingVersion
        case reasonRequired(SubmissionStep)
        case reasonTooLong
        case notStarted
        case versionConflict(current: Int, step: SubmissionStep)
        case invalidTransition(from: SubmissionStatus, step: SubmissionStep)
        /// 审核通过 or 核定 of a form with required cells left blank: the cells.
        case incomplete(missing: [MissingCell], step: SubmissionStep)

        /// The API's error code.
        public var code: String {
            switch self {
            case .missingVersion: "missing_version"
            case .reasonRequired: "reason_required"
            case .reasonTooLong: "reason_too_long"
            case .notStarted: "not_started"
            case .versionConflict: "version_conflict"
            case .invalidTransition: "invalid_transition"
            case .incomplete: "incomplete"
            }
        }

        public var message: String {
            switch self {
            case .missingVersion: "缺少 version（所审核的版本号）"
            case .reasonRequired(let step): "\(step.chineseName)须填写原因"
            case .reasonTooLong: "原因不能超过\(ReviewSubmission.maximumReasonLength)字"
            case .notStarted: "此表尚未填写"
            case .versionConflict(let current, let step): "此表已有新的变化（当前版本 \(current)），请重新加载后再\(step.chineseName)。"
            case .invalidTransition(let from, let step): "此表\(from.chineseName)，不能\(step.chineseName)。"
            case .incomplete(let missing, let step):
                "此表还有\(missing.count)个必填单元格未填写（如\(missing.prefix(3).map(\.message).joined(separator: "；"))），不能\(step.chineseName)，请退回填报单位补填。"
            }
        }

        /// The request is well formed but conflicts with the submission's state (HTTP 409), rather
        /// than being incomplete (HTTP 422).
        public var isConflict: Bool {
            switch self {
            case .versionConflict, .invalidTransition: true
            default: false
            }
        }
    }

    /// Characters a reason may have (the audit line and the filer's page show it whole).
    public static let maximumReasonLength = 1000

    /// Checks the request and takes the step; the submission after it. `check` runs the catalog's
    /// checks on the stored submission: 审核通过 and 核定 refuse a form with required cells blank.
    public static func run(_ request: Request, in repository: some SubmissionRepository,
                           check: (SubmissionSnapshot) async throws -> CheckReport) async throws -> SubmissionSnapshot {
        guard let version = request.version else { throw Failure.missingVersion }
        let reason = trimmed(request.reason)
        if request.step.needsReason, reason.isEmpty { throw Failure.reasonRequired(request.step) }
        if reason.count > maximumReasonLength { throw Failure.reasonTooLong }
        guard let submission = try await repository.snapshot(unitID: request.unitID, formID: request.formID, year: request.year) else {
            throw Failure.notStarted
        }
        if request.step.requiresCompleteForm, submission.version == version {
            let report = try await check(submission)
            if !report.missing.isEmpty { throw Failure.incomplete(missing: report.missing, step: request.step) }
        }
        do {
            return try await repository.takeStep(request.step, id: submission.id, expectedVersion: version,
                                             reason: reason.isEmpty ? nil : reason, namingStep: true, actor: request.actor)
        } catch StepRefusal.versionConflict(let current) {
            throw Failure.versionConflict(current: current, step: request.step)
        } catch StepRefusal.invalidTransition(let from) {
            throw Failure.invalidTransition(from: from, step: request.step)
        }
    }

    /// The reason without surrounding white space (a reason of spaces is no reason).
    static func trimmed(_ text: String?) -> String {
        text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }
}
