import DRSCore
import DRSWorkflow
import Testing

/// 摘抄: last year's verified 本年实际 as this year's 上年同期.
@Suite("Carry-over")
struct CarryOverTests {
    @Test func onlyVerifiedFiguresIntoAFormNotStarted() {
        #expect(SubmissionStatus.allCases.filter { CarryOver.counts(lastYear: $0) } == [.verified])
        #expect(!CarryOver.counts(lastYear: nil))
        #expect(CarryOver.applies(to: nil))
        #expect(SubmissionStatus.allCases.filter { CarryOver.applies(to: $0) } == [.notStarted])
    }

    @Test func lastYearsCurrentColumnBecomesThisYearsPrevious() {
        #expect(CarryOver.source(of: CellKey(code: "01", column: "prev")) == CellKey(code: "01", column: "cur"))
        #expect(CarryOver.source(of: CellKey(code: "01", column: "prev", member: "110000")) == CellKey(code: "01", column: "cur", member: "110000"))
        #expect(CarryOver.source(of: CellKey(code: "01", column: "cur")) == nil)
        #expect(CarryOver.source(of: CellKey(code: "01", column: "cum")) == nil)
    }

    @Test func emptyCellsAreFilledAndFilledOnesKept() throws {
        let form = try #require(try WorkflowCatalog.compiled().forms["T1"])
        let last = try WorkflowCatalog.values(form, ["01:cur": "120", "01:cum": "900", "05:cur": "7"])
        var values = try WorkflowCatalog.values(form, ["01:cur": "130"])
        #expect(CarryOver.apply(form.layout, into: &values, from: last) == 1)
        #expect(WorkflowCatalog.text(form, values, "01", "prev") == "120")
        #expect(WorkflowCatalog.text(form, values, "01", "cur") == "130")
        #expect(WorkflowCatalog.text(form, values, "01", "cum") == "")

        var typed = try WorkflowCatalog.values(form, ["01:prev": "99"])
        #expect(CarryOver.apply(form.layout, into: &typed, from: last) == 0)
        #expect(WorkflowCatalog.text(form, typed, "01", "prev") == "99")
    }

    @Test func gridMembersCarryMemberByMember() throws {
        let form = try #require(try WorkflowCatalog.compiled().forms["G1"])
        let last = try WorkflowCatalog.values(form, ["01:cur@110000": "4", "01:cur@310000": "6"])
        var values = CellValues(count: form.layout.count)
        #expect(CarryOver.apply(form.layout, into: &values, from: last) == 2)
        #expect(WorkflowCatalog.text(form, values, "01", "prev", "110000") == "4")
        #expect(WorkflowCatalog.text(form, values, "01", "prev", "310000") == "6")
        #expect(WorkflowCatalog.text(form, values, "01", "prev", "000000") == "")
    }

    @Test func mismatchedFiguresAreIgnoredNotTrapped() throws {
        let form = try #require(try WorkflowCatalog.compiled().forms["T1"])
        var values = CellValues(count: form.layout.count)
        #expect(CarryOver.apply(form.layout, into: &values, from: CellValues(count: 0)) == 0)
    }
}
