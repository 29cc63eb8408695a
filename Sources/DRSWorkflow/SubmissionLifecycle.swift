/// The submission lifecycle as one table: for every step, the statuses it starts from, where it
/// leaves the submission, whether it needs a reason and whether it locks. Who may take a step is the
/// access table's business (`AccessPolicy`); what the step requires of the figures (no errors before
/// 提交) is the checks'. The store, the review chain, the filer's API and the docs all read this table.
public enum SubmissionLifecycle {
    /// Where a step leaves a submission.
    public enum Destination: Sendable, Equatable {
        /// The submission moves to this status.
        case status(SubmissionStatus)
        /// A save of figures: 未填报 becomes 草稿; 草稿 and 已退回 keep their status (a returned form
        /// stays 已退回 until it is submitted again, so its reviewer still sees why).
        case startsDraft
    }

    /// One line of the table.
    public struct Transition: Sendable {
        public var step: SubmissionStep
        /// 中文 name of the step: shown in messages and written into the audit line.
        public var chineseName: String
        /// The statuses the step may start from; from any other the store refuses it (HTTP 409).
        public var from: Set<SubmissionStatus>
        public var to: Destination
        /// The step is refused without a reason (HTTP 422), which is recorded and shown to the filer.
        public var needsReason: Bool

        /// The status after the step, taken from `status`; nil when the step cannot start there.
        public func status(after status: SubmissionStatus) -> SubmissionStatus? {
            guard from.contains(status) else { return nil }
            switch to {
            case .status(let next): return next
            case .startsDraft: return status == .notStarted ? .draft : status
            }
        }

        /// The status every start ends in; nil for a save, whose result depends on where it starts.
        public var toStatus: SubmissionStatus? {
            if case .status(let next) = to { next } else { nil }
        }

        /// The step leaves the submission locked (已核定).
        public var locks: Bool { toStatus?.isLocked ?? false }
    }

    static let editable: Set<SubmissionStatus> = [.notStarted, .draft, .returned]
    static let awaitingReview: Set<SubmissionStatus> = [.submitted, .approved]

    /// The table, in the order of the survey's chain.
    public static let transitions: [Transition] = [
        Transition(step: .saveDraft, chineseName: "保存草稿", from: editable, to: .startsDraft, needsReason: false),
        Transition(step: .submit, chineseName: "提交", from: [.draft, .returned], to: .status(.submitted), needsReason: false),
        Transition(step: .approve, chineseName: "审核通过", from: [.submitted], to: .status(.approved), needsReason: false),
        Transition(step: .return, chineseName: "退回", from: awaitingReview, to: .status(.returned), needsReason: true),
        // The national office verifies what a reviewer approved, or what reports to it directly
        // (a group's consolidated report, the public-security channel's form).
        Transition(step: .verify, chineseName: "核定", from: awaitingReview, to: .status(.verified), needsReason: false),
        Transition(step: .reopen, chineseName: "重新打开", from: [.verified], to: .status(.returned), needsReason: true),
        Transition(step: .consolidate, chineseName: "集团汇总", from: editable, to: .startsDraft, needsReason: false),
        Transition(step: .importDraft, chineseName: "导入草稿", from: editable, to: .status(.draft), needsReason: false),
        // Last year's verified figures replace whatever is stored: they are the office's own record.
        Transition(step: .importVerified, chineseName: "导入核定数", from: Set(SubmissionStatus.allCases), to: .status(.verified),
                   needsReason: false),
    ]

    /// The line of a step. Every step has exactly one (a test holds the table to it).
    public static func transition(_ step: SubmissionStep) -> Transition {
        transitions.first { $0.step == step } ?? Transition(step: step, chineseName: step.rawValue, from: [], to: .startsDraft, needsReason: false)
    }

    /// The steps that can start from a status, in the table's order.
    public static func steps(from status: SubmissionStatus) -> [SubmissionStep] {
        transitions.filter { $0.from.contains(status) }.map(\.step)
    }
}

extension SubmissionStep {
    /// 中文 name of the step (the table's).
    public var chineseName: String { SubmissionLifecycle.transition(self).chineseName }
    /// The statuses the step starts from (the table's).
    public var from: Set<SubmissionStatus> { SubmissionLifecycle.transition(self).from }
    /// The step is refused without a reason (the table's).
    public var needsReason: Bool { SubmissionLifecycle.transition(self).needsReason }
}
