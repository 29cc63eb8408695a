import DRSCore
import DRSWorkflow
import Testing

/// Headquarters consolidation's rules, from a catalog that names the forms a type consolidates.
@Suite("Consolidation rules")
struct ConsolidationRulesTests {
    @Test func theCatalogSaysWhoConsolidatesWhat() throws {
        let rules = ConsolidationRules(try WorkflowCatalog.catalog().survey)
        #expect(rules.formsByType == ["group": ["T1"]])
        #expect(rules.consolidates(respondentTypes: ["group"], hasParent: false, formID: "T1"))
        #expect(rules.consolidates(respondentTypes: ["plain", "group"], hasParent: false, formID: "T1"))
        // A subsidiary does not consolidate, nor does a type the catalog does not name, nor another form.
        #expect(!rules.consolidates(respondentTypes: ["group"], hasParent: true, formID: "T1"))
        #expect(!rules.consolidates(respondentTypes: ["plain"], hasParent: false, formID: "T1"))
        #expect(!rules.consolidates(respondentTypes: ["group"], hasParent: false, formID: "B1"))
    }

    @Test func reviewedSubsidiariesCount() {
        #expect(SubmissionStatus.allCases.filter { ConsolidationRules.includes($0) } == [.approved, .verified])
        #expect(!ConsolidationRules.includes(nil))
        #expect(SubmissionStatus.allCases.filter { ConsolidationRules.mayRecompute(groupStatus: $0) } == [.notStarted, .draft, .returned])
    }

    @Test func aSubsidiaryTakenOutUndoesTheGroupsReport() {
        for step in [SubmissionStep.return, .reopen] {
            #expect(ConsolidationRules.groupStep(afterSubsidiary: step, groupStatus: .verified) == .reopen)
            #expect(ConsolidationRules.groupStep(afterSubsidiary: step, groupStatus: .approved) == .return)
            #expect(ConsolidationRules.groupStep(afterSubsidiary: step, groupStatus: .submitted) == .return)
            for editable in [SubmissionStatus.notStarted, .draft, .returned] {
                #expect(ConsolidationRules.groupStep(afterSubsidiary: step, groupStatus: editable) == nil)
            }
        }
        for step in [SubmissionStep.approve, .verify, .submit] {
            #expect(ConsolidationRules.groupStep(afterSubsidiary: step, groupStatus: .verified) == nil)
        }
        #expect(ConsolidationRules.groupReason(subsidiaryName: "某子公司", step: .reopen) == "子公司「某子公司」的报表已重新打开，集团汇总数须重新计算")
    }

    @Test func figuresCombineByEachRowsAggregation() throws {
        let form = try #require(try WorkflowCatalog.compiled().forms["T1"])
        let own = try WorkflowCatalog.values(form, ["01:cur": "10", "05:cur": "20", "07:cur": "3"])
        let part = try WorkflowCatalog.values(form, ["01:cur": "30", "05:cur": "40", "07:cur": "5"])
        let group = try ConsolidationRules.combine(form, own: own, parts: [part])
        #expect(WorkflowCatalog.text(form, group, "01", "cur") == "40")
        // A share is recomputed from its base: (10·20 + 30·40) / 40.
        #expect(WorkflowCatalog.text(form, group, "05", "cur") == "35")
        // A row with no meaningful total keeps the headquarters' own figure.
        #expect(WorkflowCatalog.text(form, group, "07", "cur") == "3")
        #expect(try ConsolidationRules.combine(form, own: own, parts: []) == own)
    }
}
