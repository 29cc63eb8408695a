import DRSCore
import DRSWorkflow
import Testing

@Suite("Form defaults")
struct FormDefaultsTests {
    @Test func theFirstNumericFormTheSurveyLists() throws {
        // The first respondent type lists B1 (basic information), then T1.
        #expect(FormDefaults.firstNumericForm(in: try WorkflowCatalog.catalog()) == "T1")
        // The files' order does not matter; the survey's does.
        let reordered = try WorkflowCatalog.catalog(formOrder: [WorkflowCatalog.grid, WorkflowCatalog.basicInfo, WorkflowCatalog.indicators])
        #expect(FormDefaults.firstNumericForm(in: reordered) == "T1")
    }

    @Test func noNumericFormNoDefault() throws {
        #expect(FormDefaults.firstNumericForm(in: try WorkflowCatalog.catalog(formOrder: [WorkflowCatalog.basicInfo])) == nil)
    }
}
