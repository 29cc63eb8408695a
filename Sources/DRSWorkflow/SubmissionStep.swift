/// Everything that changes a submission's status (or may), named by what the person does. The raw
/// values of the review steps are the API's names for them (`"actions": ["approve", "return"]`).
public enum SubmissionStep: String, Sendable, CaseIterable {
    /// 保存草稿: the filer saves figures.
    case saveDraft
    /// 提交: the filer hands the form to its reviewer.
    case submit
    /// 审核通过: the unit's reviewer accepts it.
    case approve
    /// 退回: the unit's reviewer sends it back, with a reason.
    case `return`
    /// 核定: the national office verifies it, which locks it.
    case verify
    /// 重新打开: the national office unlocks a verified form, with a reason.
    case reopen
    /// 集团汇总: a headquarters writes its group's consolidated figures into its own report (a draft save).
    case consolidate
    /// 导入草稿: a bulk import of a filer's or headquarters' workbook.
    case importDraft
    /// 导入核定数: the national office loads last year's verified figures.
    case importVerified

    /// The review chain's steps, in the order a reviewer's page offers them.
    public static let reviewSteps: [SubmissionStep] = [.approve, .return, .verify, .reopen]

    /// The import step that stores files with a status, if a bulk import may set that status at all
    /// (草稿 or 已核定).
    public static func importing(_ status: SubmissionStatus) -> SubmissionStep? {
        allCases.first { $0.isImport && SubmissionLifecycle.transition($0).to == .status(status) }
    }

    /// The statuses a bulk import may store files with (草稿, 已核定): where the import steps lead.
    public static var importStatuses: Set<SubmissionStatus> {
        Set(allCases.filter(\.isImport).compactMap { SubmissionLifecycle.transition($0).toStatus })
    }

    /// A bulk import rather than a person's step.
    public var isImport: Bool { self == .importDraft || self == .importVerified }
}

extension SubmissionStep {
    /// The access action that guards the step where the access decision checks the status
    /// (`AccessPolicy.steps`); nil for consolidation and imports, which the store checks.
    public var accessAction: AccessAction? { AccessPolicy.steps.first { $0.value == self }?.key }
}

extension SubmissionStep {
    /// Steps that vouch for the figures, and so refuse a form with required cells left blank: the
    /// filer's 提交, the reviewer's 审核通过 and the office's 核定 (blank is not zero).
    public var requiresCompleteForm: Bool { self == .submit || self == .approve || self == .verify }
}
