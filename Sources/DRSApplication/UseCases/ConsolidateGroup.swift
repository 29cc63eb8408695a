import DRSCore
import DRSWorkflow
import Foundation

/// Headquarters consolidation (一、总说明: 中央企业总部汇总、审核总部及各省分公司或子公司数据): the
/// group's submission is its own figures (总部本部) plus every subsidiary's figures that count —
/// combined row by row by the catalog's aggregation — with the lineage (which subsidiaries, which
/// versions) recorded, so a later change shows as stale. The rules are `ConsolidationRules`; who may
/// consolidate, and that the unit heads a group consolidating the form, were decided by the caller.
public enum ConsolidateGroup {
    /// Which consolidation: a group's form for a year.
    public struct Group: Sendable {
        public var groupID: UUID
        public var form: CompiledForm
        public var year: Int

        public init(groupID: UUID, form: CompiledForm, year: Int) {
            self.groupID = groupID
            self.form = form
            self.year = year
        }

        var formID: String { form.form.id }
    }

    /// Reads cells as the store keeps them (compact JSON text) under the form. `source` names the
    /// figures ("总部本级数据") for the note when some stored cells cannot be read: the caller reports
    /// them (the server logs them and notes them on the request), never drops them without a word.
    public typealias StoredFigures = (_ cells: String, _ source: String) -> CellValues

    /// The consolidation as it stands, and what consolidating now would give.
    public struct State: Sendable {
        public var group: Group
        public var record: ConsolidationRecord
        public var subsidiaries: [GroupSubsidiary]
        /// 总部本部: the headquarters' own figures.
        public var own: CellValues
        /// What a consolidation now would write.
        public var preview: CellValues
        /// The subsidiaries' submissions a consolidation now would use.
        public var lineage: [ConsolidationSource]
        /// The recorded lineage differs from the subsidiaries' submissions that count now.
        public var stale: Bool
    }

    /// Why a consolidation, or a change of the own figures, was refused; nothing was written.
    public enum Failure: Error, Sendable, Equatable {
        /// The group's report is not one a consolidation may recompute (已提交, 已通过, 已核定).
        case notEditable(SubmissionStatus)
        case missingOwnVersion
        /// The own figures changed since they were loaded.
        case ownVersionConflict(current: Int)

        /// The API's error code.
        public var code: String {
            switch self {
            case .notEditable: "not_editable"
            case .missingOwnVersion: "missing_version"
            case .ownVersionConflict: "version_conflict"
            }
        }

        public var message: String {
            switch self {
            case .notEditable(let status): "集团汇总表\(status.chineseName)，不能重新汇总；如需重算请由国家数据局重新打开或退回。"
            case .missingOwnVersion: "缺少 version（所编辑的总部本部数据版本号）"
            case .ownVersionConflict(let current): "总部本部数据已被他人修改（当前版本 \(current)），请重新加载。"
            }
        }

        /// The request conflicts with what is stored (HTTP 409) rather than being incomplete (HTTP 422).
        public var isConflict: Bool {
            switch self {
            case .notEditable, .ownVersionConflict: true
            case .missingOwnVersion: false
            }
        }
    }

    /// The subsidiaries, which of them count, the own figures and the combined preview.
    public static func state(of group: Group, in repository: some GroupRepository, read: StoredFigures) async throws -> State {
        let record = try await repository.consolidationRecord(groupID: group.groupID, formID: group.formID, year: group.year)
        let subsidiaries = try await repository.subsidiaries(groupID: group.groupID, formID: group.formID, year: group.year)
        let own = read(record.ownCells, "总部本级数据")
        let counted = subsidiaries.compactMap { subsidiary in subsidiary.counted.map { (subsidiary: subsidiary, submission: $0) } }
        let parts = counted.map { read($0.submission.cells, "\($0.subsidiary.name)的数据") }
        let lineage = counted.map {
            ConsolidationSource(unit: $0.subsidiary.unitID.uuidString, name: $0.subsidiary.name, submission: $0.submission.id.uuidString,
                                version: $0.submission.version, status: $0.submission.status.rawValue)
        }
        return State(group: group, record: record, subsidiaries: subsidiaries, own: own,
                     preview: try ConsolidationRules.combine(group.form, own: own, parts: parts), lineage: lineage,
                     stale: record.consolidatedAt != nil && record.lineage != lineage)
    }

    /// Consolidates: writes the combined figures into the group's own submission (a draft save,
    /// versioned and audited, keeping its explanations) and records the lineage. Refused while the
    /// group's report may not be recomputed.
    @discardableResult
    public static func run(_ group: Group, actor: Actor, in repository: some GroupRepository, read: StoredFigures) async throws -> State {
        var state = try await state(of: group, in: repository, read: read)
        let target = try await repository.groupSubmission(groupID: group.groupID, formID: group.formID, year: group.year)
        guard ConsolidationRules.mayRecompute(groupStatus: target.status) else { throw Failure.notEditable(target.status) }
        let saved: SavedDraft
        do {
            saved = try await repository.writeConsolidated(group.form.cellMap(state.preview), into: target, actor: actor)
        } catch DraftRefusal.notEditable(let status) {
            throw Failure.notEditable(status)
        }
        state.record.isStored = true
        state.record.lineage = state.lineage
        state.record.consolidatedAt = Date()
        state.record.consolidatedBy = actor.username
        state.record.resultVersion = saved.version
        state.record.version += 1
        try await repository.keepConsolidationRecord(state.record, groupID: group.groupID, formID: group.formID, year: group.year)
        state.stale = false
        return state
    }

    /// After a reviewer's `step` on a subsidiary's form the group's report follows: a subsidiary
    /// returned or reopened first reopens (已核定) or returns (已提交, 已通过) the group's report, with
    /// the reason recorded; then a group consolidated before is consolidated again while it may be.
    public static func follow(_ step: SubmissionStep, ofSubsidiary name: String, group: Group, actor: Actor,
                              in repository: some GroupRepository, read: StoredFigures) async throws {
        guard var report = try await repository.snapshot(unitID: group.groupID, formID: group.formID, year: group.year) else { return }
        if let undo = ConsolidationRules.groupStep(afterSubsidiary: step, groupStatus: report.status) {
            report = try await repository.takeStep(undo, id: report.id, expectedVersion: report.version,
                                                   reason: ConsolidationRules.groupReason(subsidiaryName: name, step: step),
                                                   namingStep: true, actor: actor)
        }
        guard ConsolidationRules.mayRecompute(groupStatus: report.status),
              try await repository.consolidationRecord(groupID: group.groupID, formID: group.formID, year: group.year).isStored
        else { return }
        try await run(group, actor: actor, in: repository, read: read)
    }
}

extension GroupSubsidiary {
    /// The subsidiary's submission, when it counts in the group's figures (`ConsolidationRules.includes`).
    public var counted: SubmissionSnapshot? {
        submission.flatMap { ConsolidationRules.includes($0.status) ? $0 : nil }
    }

    /// The subsidiary's figures count in the group's.
    public var isIncluded: Bool { counted != nil }
}
