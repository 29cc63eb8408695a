import DRSApplication
import DRSCore
import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import Vapor

/// Headquarters consolidation on the web: which unit heads a group that consolidates a form (the
/// catalog's `ConsolidationRules`), and the request's side of the use case (`ConsolidateGroup`):
/// the store as its port, stored figures read as the request reads them (cells this catalog cannot
/// read are logged and noted), and a reviewer's step on a subsidiary followed by the group's report.
enum Consolidator {
    static func consolidates(_ platform: Platform, _ unit: SurveyUnit, _ formID: String) -> Bool {
        platform.consolidation.consolidates(respondentTypes: unit.typeList, hasParent: unit.$parent.id != nil, formID: formID)
    }

    /// The use case's name for the group's form and year.
    static func group(_ group: SurveyUnit, _ form: CompiledForm, _ year: Int) throws -> ConsolidateGroup.Group {
        ConsolidateGroup.Group(groupID: try group.requireID(), form: form, year: year)
    }

    /// Stored figures read under the form, as every page and response of this request reads them.
    static func reader(_ req: Request, _ form: CompiledForm) -> ConsolidateGroup.StoredFigures {
        { cells, source in req.storedValues(form, cells, of: source) }
    }

    static func state(_ req: Request, group: SurveyUnit, form: CompiledForm, year: Int) async throws -> ConsolidateGroup.State {
        try await ConsolidateGroup.state(of: try self.group(group, form, year), in: req.platform.store(req.db), read: reader(req, form))
    }

    /// After a reviewer's step on a subsidiary: the group's consolidation follows (`ConsolidateGroup.follow`).
    static func afterReview(_ req: Request, unit: SurveyUnit, formID: String, year: Int, step: SubmissionStep) async throws {
        guard let parentID = unit.$parent.id, let group = try await SurveyUnit.find(parentID, on: req.db),
              consolidates(req.platform, group, formID), let form = req.platform.catalog.forms[formID] else { return }
        try await ConsolidateGroup.follow(step, ofSubsidiary: unit.name, group: try self.group(group, form, year), actor: req.actor,
                                          in: req.platform.store(req.db), read: reader(req, form))
    }
}
