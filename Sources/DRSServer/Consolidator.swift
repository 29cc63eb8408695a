import DRSCore
import DRSStorage
import Fluent
import Foundation
import Vapor

/// Headquarters consolidation (企业2表 of a central enterprise): the group's submission is its own
/// figures (总部本部) plus every subsidiary's approved or verified figures — additive rows summed,
/// shares and averages recomputed from their bases by the core's aggregation — with the lineage
/// (which subsidiaries, which versions) recorded. Reopening a subsidiary reopens the group's report
/// and recomputes it.
enum Consolidator {
    /// Subsidiary statuses that count: reviewed by the headquarters (已通过) or verified (已核定).
    static let included: Set<SubmissionStatus> = [.approved, .verified]

    struct Part {
        var unit: SurveyUnit
        var submission: Submission?
        var included: Bool { submission.map { Consolidator.included.contains($0.status) } ?? false }
    }

    struct State {
        var group: SurveyUnit
        var form: CompiledForm
        var year: Int
        var record: Consolidation
        var parts: [Part]
        var own: CellValues
        /// What a consolidation now would give.
        var preview: CellValues
        var lineage: [Lineage]
        /// The recorded lineage differs from the subsidiaries' current approved versions.
        var stale: Bool
    }

    struct Lineage: Codable, Equatable {
        var unit: String
        var name: String
        var submission: String
        var version: Int
        var status: String
    }

    static func consolidates(_ platform: Platform, _ unit: SurveyUnit, _ formID: String) -> Bool {
        unit.$parent.id == nil && unit.typeList.contains { platform.catalog.catalog.survey.respondentType($0)?.consolidates?.contains(formID) == true }
    }

    static func state(_ req: Request, group: SurveyUnit, form: CompiledForm, year: Int) async throws -> State {
        let db = req.db
        let record = try await Consolidation.query(on: db).filter(\.$group.$id == group.id!).filter(\.$formID == form.form.id)
            .filter(\.$year == year).first() ?? Consolidation(groupID: group.id!, formID: form.form.id, year: year)
        let subsidiaries = try await SurveyUnit.query(on: db).filter(\.$parent.$id == group.id!).sort(\.$regionCode).sort(\.$name).all()
        let submissions = try await req.platform.store(db).submissions(year: year, unitIDs: subsidiaries.map { $0.id! }, formID: form.form.id)
        let parts = subsidiaries.map { u in Part(unit: u, submission: submissions.first { $0.$unit.id == u.id }) }
        let own = form.values(fromCellMap: SubmissionStore.decodeCells(record.ownCells)).values
        let inputs = parts.filter(\.included).map { form.values(fromCellMap: SubmissionStore.decodeCells($0.submission!.cells)).values }
        let lineage = parts.filter(\.included).map {
            Lineage(unit: $0.unit.id!.uuidString, name: $0.unit.name, submission: $0.submission!.id!.uuidString,
                    version: $0.submission!.version, status: $0.submission!.status.rawValue)
        }
        let recorded = (try? JSONDecoder().decode([Lineage].self, from: Data(record.lineage.utf8))) ?? []
        return State(group: group, form: form, year: year, record: record, parts: parts, own: own,
                     preview: try combine(form, own: own, parts: inputs), lineage: lineage,
                     stale: record.consolidatedAt != nil && recorded != lineage)
    }

    /// Own figures + subsidiaries, by the catalog's aggregation of each row. Rows that have no
    /// meaningful total (`none`) keep the headquarters' own figure.
    static func combine(_ form: CompiledForm, own: CellValues, parts: [CellValues]) throws -> CellValues {
        let records = ([own] + parts).map { AggregateRecord(dimensions: [:], values: $0) }
        let table = try Aggregator(form: form).aggregate(records, groupings: [[]])
        guard let national = table.national else { return own }
        var result = CellValues(count: form.layout.count)
        for slot in 0..<form.layout.count {
            result[slot] = table.methods[slot] == .none ? own[slot] : national.cell(slot).total
        }
        return result
    }

    /// Writes the consolidation into the group's submission (a draft save: versioned and audited)
    /// and records the lineage. Refused while the group's report is not editable.
    @discardableResult
    static func recompute(_ req: Request, group: SurveyUnit, form: CompiledForm, year: Int) async throws -> State {
        var state = try await state(req, group: group, form: form, year: year)
        let store = req.platform.store(req.db)
        let target = try await store.findOrCreate(unitID: group.id!, formID: form.form.id, year: year)
        guard target.status.isEditable else { throw StoreError.notEditable(target.status) }
        let (version, _, _) = try await store.saveDraft(id: target.id!, expectedVersion: target.version, cells: form.cellMap(state.preview),
                                                        explanations: SubmissionStore.decodeCells(target.explanations), actor: req.actor)
        let record = state.record
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        record.lineage = String(decoding: try encoder.encode(state.lineage), as: UTF8.self)
        record.consolidatedAt = Date()
        record.consolidatedBy = req.actor.username
        record.resultVersion = version
        record.version += 1
        try await record.save(on: req.db)
        state.stale = false
        return state
    }

    /// After a reviewer's step on a subsidiary: the group's consolidation follows. A reopened
    /// subsidiary reopens (or returns) the group's report first, with the reason recorded.
    static func afterReview(_ req: Request, unit: SurveyUnit, formID: String, year: Int, action: ReviewController.Action) async throws {
        guard let parentID = unit.$parent.id, let group = try await SurveyUnit.find(parentID, on: req.db),
              consolidates(req.platform, group, formID), let form = req.platform.catalog.forms[formID] else { return }
        let store = req.platform.store(req.db)
        guard let groupSubmission = try await store.find(unitID: group.id!, formID: formID, year: year) else { return }
        if action == .reopen || action == .return, !groupSubmission.status.isEditable {
            let reason = "子公司「\(unit.name)」的报表已\(action.chineseName)，集团汇总数须重新计算"
            let step: ReviewController.Action = groupSubmission.status == .verified ? .reopen : .return
            _ = try await store.transition(id: groupSubmission.id!, from: step.from, to: .returned, reason: reason, action: step.chineseName, actor: req.actor)
        }
        guard let current = try await store.find(unitID: group.id!, formID: formID, year: year), current.status.isEditable,
              try await Consolidation.query(on: req.db).filter(\.$group.$id == group.id!).filter(\.$formID == formID).filter(\.$year == year).first() != nil
        else { return }
        try await recompute(req, group: group, form: form, year: year)
    }
}
