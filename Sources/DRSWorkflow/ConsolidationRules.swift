import DRSCore

/// Headquarters consolidation (一、总说明: 中央企业总部汇总、审核总部及各省分公司或子公司数据): which
/// units consolidate which forms, which subsidiaries count, how the figures combine, and what a
/// reviewer's step on a subsidiary does to the group's report. Which forms are consolidated comes
/// from the catalog (`survey.json` `respondentTypes[].consolidates`), never from form codes here.
public struct ConsolidationRules: Sendable {
    /// The forms each respondent type's headquarters consolidates, by type id.
    public var formsByType: [String: Set<String>]

    public init(formsByType: [String: Set<String>]) {
        self.formsByType = formsByType
    }

    /// The rules of a catalog edition.
    public init(_ survey: Survey) {
        var forms: [String: Set<String>] = [:]
        for type in survey.respondentTypes {
            if let consolidated = type.consolidates, !consolidated.isEmpty { forms[type.id] = Set(consolidated) }
        }
        self.init(formsByType: forms)
    }

    /// A unit consolidates a form when it heads its own group (it has no parent unit) and one of its
    /// respondent types consolidates that form.
    public func consolidates(respondentTypes: [String], hasParent: Bool, formID: String) -> Bool {
        !hasParent && respondentTypes.contains { formsByType[$0]?.contains(formID) == true }
    }

    /// Subsidiary statuses that count: reviewed by the headquarters (已通过) or verified (已核定).
    public static let includedStatuses: Set<SubmissionStatus> = [.approved, .verified]

    /// Whether a subsidiary's submission (nil: none yet) counts in its group's figures.
    public static func includes(_ status: SubmissionStatus?) -> Bool {
        status.map { includedStatuses.contains($0) } ?? false
    }

    /// The statuses of the group's own report in which it may be recomputed (a draft save).
    public static func mayRecompute(groupStatus: SubmissionStatus) -> Bool {
        SubmissionStep.consolidate.from.contains(groupStatus)
    }

    /// What a reviewer's step on a subsidiary's form does first to the group's report: a subsidiary
    /// returned or reopened takes its figures out of the group's, so a group report that can no
    /// longer be edited is reopened (已核定) or returned (已提交, 已通过). Nil: nothing to undo.
    public static func groupStep(afterSubsidiary step: SubmissionStep, groupStatus: SubmissionStatus) -> SubmissionStep? {
        guard step == .return || step == .reopen, !groupStatus.isEditable else { return nil }
        let undo: SubmissionStep = groupStatus == .verified ? .reopen : .return
        return undo.from.contains(groupStatus) ? undo : nil
    }

    /// The reason recorded on the group's report when a subsidiary's step undoes it.
    public static func groupReason(subsidiaryName: String, step: SubmissionStep) -> String {
        "子公司「\(subsidiaryName)」的报表已\(step.chineseName)，集团汇总数须重新计算"
    }

    /// The group's figures: the headquarters' own (总部本部) plus the included subsidiaries', each row
    /// by the catalog's aggregation (sums added, shares and averages recomputed from their bases).
    /// Rows without a meaningful total (`none`) keep the headquarters' own figure.
    public static func combine(_ form: CompiledForm, own: CellValues, parts: [CellValues]) throws -> CellValues {
        let records = ([own] + parts).map { AggregateRecord(dimensions: [:], values: $0) }
        let table = try Aggregator(form: form).aggregate(records, groupings: [[]])
        guard let national = table.national else { return own }
        var result = CellValues(count: form.layout.count)
        for slot in 0..<form.layout.count {
            result[slot] = table.methods[slot] == .none ? own[slot] : national.cell(slot).total
        }
        return result
    }
}
