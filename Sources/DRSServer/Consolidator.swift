import DRSCore
import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import Vapor

/// Headquarters consolidation (企业2表 of a central enterprise): the group's submission is its own
/// figures (总部本部) plus every subsidiary's approved or verified figures — additive rows summed,
/// shares and averages recomputed from their bases by the core's aggregation — with the lineage
/// (which subsidiaries, which versions) recorded. Reopening a subsidiary reopens the group's report
/// and recomputes it. The rules (who consolidates what, which subsidiaries count, how figures combine,
/// what a subsidiary's step does to the group) are `DRSWorkflow.ConsolidationRules`; this file reads
/// and writes the database around them.
enum Consolidator {
    struct Part {
        var unit: SurveyUnit
        var submission: Submission?
        /// The subsidiary's submission, when it counts in the group's figures.
        var counted: Submission? { submission.flatMap { ConsolidationRules.includes($0.status) ? $0 : nil } }
        var included: Bool { counted != nil }
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
        platform.consolidation.consolidates(respondentTypes: unit.typeList, hasParent: unit.$parent.id != nil, formID: formID)
    }

    static func state(_ req: Request, group: SurveyUnit, form: CompiledForm, year: Int) async throws -> State {
        let db = req.db
        let groupID = try group.requireID()
        let record = try await Consolidation.query(on: db).filter(\.$group.$id == groupID).filter(\.$formID == form.form.id)
            .filter(\.$year == year).first() ?? Consolidation(groupID: groupID, formID: form.form.id, year: year)
        let subsidiaries = try await SurveyUnit.query(on: db).filter(\.$parent.$id == groupID).sort(\.$regionCode).sort(\.$name).all()
        let submissions = try await req.platform.store(db).submissions(year: year, unitIDs: try subsidiaries.map { try $0.requireID() },
                                                                       formID: form.form.id)
        let parts = subsidiaries.map { u in Part(unit: u, submission: submissions.first { $0.$unit.id == u.id }) }
        let own = req.storedValues(form, record.ownCells, of: "总部本级数据")
        let counted = parts.compactMap { part in part.counted.map { (unit: part.unit, submission: $0) } }
        let inputs = counted.map { req.storedValues(form, $0.submission.cells, of: "\($0.unit.name)的数据") }
        let lineage = try counted.map {
            Lineage(unit: try $0.unit.requireID().uuidString, name: $0.unit.name, submission: try $0.submission.requireID().uuidString,
                    version: $0.submission.version, status: $0.submission.status.rawValue)
        }
        let recorded = (try? JSONDecoder().decode([Lineage].self, from: Data(record.lineage.utf8))) ?? []
        return State(group: group, form: form, year: year, record: record, parts: parts, own: own,
                     preview: try ConsolidationRules.combine(form, own: own, parts: inputs), lineage: lineage,
                     stale: record.consolidatedAt != nil && recorded != lineage)
    }

    /// Writes the consolidation into the group's submission (a draft save: versioned and audited)
    /// and records the lineage. Refused while the group's report is not editable.
    @discardableResult
    static func recompute(_ req: Request, group: SurveyUnit, form: CompiledForm, year: Int) async throws -> State {
        var state = try await state(req, group: group, form: form, year: year)
        let store = req.platform.store(req.db)
        let target = try await store.findOrCreate(unitID: try group.requireID(), formID: form.form.id, year: year)
        guard ConsolidationRules.mayRecompute(groupStatus: target.status) else { throw StoreError.notEditable(target.status) }
        let (version, _, _) = try await store.saveDraft(id: try target.requireID(), expectedVersion: target.version, cells: form.cellMap(state.preview),
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
    static func afterReview(_ req: Request, unit: SurveyUnit, formID: String, year: Int, step: SubmissionStep) async throws {
        guard let parentID = unit.$parent.id, let group = try await SurveyUnit.find(parentID, on: req.db),
              consolidates(req.platform, group, formID), let form = req.platform.catalog.forms[formID] else { return }
        let store = req.platform.store(req.db)
        let groupID = try group.requireID()
        guard let groupSubmission = try await store.find(unitID: groupID, formID: formID, year: year) else { return }
        if let undo = ConsolidationRules.groupStep(afterSubsidiary: step, groupStatus: groupSubmission.status) {
            _ = try await store.take(undo, id: try groupSubmission.requireID(),
                                     reason: ConsolidationRules.groupReason(subsidiaryName: unit.name, step: step), recordingStep: true, actor: req.actor)
        }
        guard let current = try await store.find(unitID: groupID, formID: formID, year: year),
              ConsolidationRules.mayRecompute(groupStatus: current.status),
              try await Consolidation.query(on: req.db).filter(\.$group.$id == groupID).filter(\.$formID == formID).filter(\.$year == year).first() != nil
        else { return }
        try await recompute(req, group: group, form: form, year: year)
    }
}
