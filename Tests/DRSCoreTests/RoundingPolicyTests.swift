import DRSCore
import Foundation
import Testing

/// The rounding policy (docs/rounding.md) on every kind of rule: sums that differ only by what the
/// figures' last decimals allow become notes; everything else stays exact.
@Suite("Rounding policy")
struct RoundingPolicyTests {
    static let form = #"""
    {"id":"R1","tableNumber":"测试3表","title":"舍入","group":"测试","kind":"indicators","period":"年","scope":"","reporters":"",
     "issuedBy":"国家数据局","approvedBy":"国家统计局","approvalNumber":"测试","validUntil":"2029-02","submissionMethod":"网络填报",
     "respondentTypes":["t"],"columns":["cum","cur","prev"],"notes":[],"source":{"rebuilt":false},
     "indicators":[
       {"code":"01","name":"数据存储总量","unit":"TB","columns":["cum","cur","prev"]},
       {"code":"02","name":"结构化数据","unit":"TB","columns":["cum","cur","prev"]},
       {"code":"03","name":"非结构化数据","unit":"TB","columns":["cum","cur","prev"]},
       {"code":"04","name":"数据集数量","unit":"个","columns":["cur"]},
       {"code":"05","name":"公开数据集数量","unit":"个","columns":["cur"]},
       {"code":"06","name":"其他数据集数量","unit":"个","columns":["cur"]},
       {"code":"07","name":"冷数据占比","unit":"%","columns":["cur"]},
       {"code":"08","name":"热数据占比","unit":"%","columns":["cur"]}
     ],
     "rules":[
       {"id":"R1-EQ","expr":"[01] = [02] + [03]","columns":["cum"],"severity":"error","origin":"printed"},
       {"id":"R1-GE","expr":"[01] >= [02] + [03]","columns":["cur"],"severity":"error","origin":"printed"},
       {"id":"R1-LE","expr":"[02] + [03] <= [01]","columns":["prev"],"severity":"error","origin":"printed"},
       {"id":"R1-GT","expr":"[01] > [02] + [03]","columns":["prev"],"severity":"error","origin":"printed"},
       {"id":"R1-COUNT","expr":"[04] = [05] + [06]","columns":["cur"],"severity":"error","origin":"printed"},
       {"id":"R1-PCT","expr":"[07] + [08] = 100","columns":["cur"],"severity":"error","origin":"implied"},
       {"id":"R1-PRODUCT","expr":"[02] * 2 <= [01]","columns":["cur"],"severity":"error","origin":"printed"}
     ]}
    """#

    let catalog: CompiledCatalog
    var r1: CompiledForm { catalog.forms["R1"]! }
    var grid: CompiledForm { catalog.forms["G1"]! }

    init() throws {
        let decoder = JSONDecoder()
        var survey = try decoder.decode(Survey.self, from: Data(TinyCatalog.survey.utf8))
        survey.respondentTypes[0].forms.append("R1")
        let forms = try [TinyCatalog.form, TinyCatalog.grid, Self.form].map { try decoder.decode(Form.self, from: Data($0.utf8)) }
        let regions = try decoder.decode(CodeList.self, from: Data(TinyCatalog.regions.utf8))
        catalog = try CompiledCatalog(Catalog(survey: survey, forms: forms, codeLists: ["regions": regions], registries: [:]))
    }

    private func outcome(_ form: CompiledForm, _ cells: [String: String], lastYear: [String: String]? = nil) -> (errors: [String], notes: [String]) {
        let report = form.check(TinyCatalog.values(form, cells), lastYear: lastYear.map { TinyCatalog.values(form, $0) })
        return (report.errors.map(\.ruleID).sorted(), report.notes.map(\.ruleID).sorted())
    }

    @Test func anEqualityOffByTheRoundingOfTwoDecimalsIsANote() {
        // 10.01 = 3.34 + 6.66 fails by 0.01; three figures with two decimals allow 3 × 0.005 = 0.015.
        let result = outcome(r1, ["01:cum": "10.01", "02:cum": "3.34", "03:cum": "6.66"])
        #expect(result.errors == [])
        #expect(result.notes == ["R1-EQ"])
        let note = r1.check(TinyCatalog.values(r1, ["01:cum": "10.01", "02:cum": "3.34", "03:cum": "6.66"])).notes[0]
        #expect(note.severity == .note)
        #expect(note.message.hasSuffix("：相差 0.01，在四舍五入允许范围（±0.015）内，请核实"))
    }

    @Test func anEqualityOffByMoreThanRoundingIsAnError() {
        // 0.02 > 0.015: no rounding of these figures explains it.
        #expect(outcome(r1, ["01:cum": "10.02", "02:cum": "3.34", "03:cum": "6.66"]).errors == ["R1-EQ"])
    }

    @Test func wholeNumbersAreExact() {
        // A total of whole TB that is one short of its whole parts is an error, not a rounding.
        #expect(outcome(r1, ["01:cum": "100", "02:cum": "60", "03:cum": "41"]).errors == ["R1-EQ"])
        // A whole total against parts with decimals: only the parts' decimals count (0.05 + 0.005).
        #expect(outcome(r1, ["01:cum": "100", "02:cum": "60.1", "03:cum": "39.95"]).notes == ["R1-EQ"])
        #expect(outcome(r1, ["01:cum": "100", "02:cum": "60.2", "03:cum": "39.95"]).errors == ["R1-EQ"])
    }

    @Test func inequalitiesAllowTheSameDifferenceInTheirDirectionOnly() {
        // ≥: 12.34 ≥ 6.17 + 6.18 = 12.35 fails by 0.01 ≤ 0.015 → note; 12.31 ≥ 6.15 + 6.18 by 0.02 → error.
        #expect(outcome(r1, ["01:cur": "12.34", "02:cur": "6.17", "03:cur": "6.18"]).notes == ["R1-GE"])
        #expect(outcome(r1, ["01:cur": "12.31", "02:cur": "6.15", "03:cur": "6.18"]).errors == ["R1-GE"])
        // ≤ written the other way round behaves the same; the strict > beside it stays exact.
        let le = outcome(r1, ["01:prev": "12.34", "02:prev": "6.17", "03:prev": "6.18"])
        #expect(le.notes == ["R1-LE"])
        #expect(le.errors == ["R1-GT"])
    }

    @Test func countsAreExact() {
        // 个 is a whole count: 10 ≠ 4 + 5 is an error however it is written.
        #expect(outcome(r1, ["04:cur": "10", "05:cur": "4", "06:cur": "5"]).errors == ["R1-COUNT"])
    }

    @Test func sharesAddingToAHundredAllowTheirRounding() {
        // 33.33 + 66.66 = 99.99 against the literal 100: two figures with two decimals allow 0.01.
        #expect(outcome(r1, ["07:cur": "33.33", "08:cur": "66.66"]).notes == ["R1-PCT"])
        // 33.3 + 66.6 = 99.9: one decimal each allows 2 × 0.05 = 0.1, just enough; 99.8 is not.
        #expect(outcome(r1, ["07:cur": "33.3", "08:cur": "66.6"]).notes == ["R1-PCT"])
        #expect(outcome(r1, ["07:cur": "33.3", "08:cur": "66.5"]).errors == ["R1-PCT"])
    }

    @Test func productsSingleCellBoundsAndTemplatesAreExact() {
        // [02] * 2 <= [01]: a product is never given a rounding allowance.
        #expect(outcome(r1, ["01:cur": "10.01", "02:cur": "5.01", "03:cur": "0"]).errors == ["R1-PRODUCT"])
        // Non-negative and ≤ 100 % compare one cell with a literal: exact.
        #expect(outcome(r1, ["02:cur": "-0.01", "01:cur": "5"]).errors.contains("R1-NONNEG-02"))
        #expect(outcome(r1, ["07:cur": "100.01", "08:cur": "0"]).errors.contains("R1-SHARE-07"))
        // Whole counts: integer([*]) is exact.
        #expect(outcome(r1, ["04:cur": "10.5", "05:cur": "5", "06:cur": "5.5"]).errors.contains("R1-INT-04"))
    }

    @Test func yearOverYearAndCarriedFiguresAreExact() {
        let last = ["01:cur": "100.01", "02:cur": "50", "03:cur": "50.01"]
        // 上年同期 = last year's 本年实际: 100 against 100.01 is a warning, never a note.
        let report = r1.check(TinyCatalog.values(r1, ["01:prev": "100", "02:prev": "50", "03:prev": "50"]),
                              lastYear: TinyCatalog.values(r1, last))
        #expect(report.warnings.contains { $0.ruleID == "R1-PREV-01" })
        #expect(report.notes.isEmpty)
    }

    @Test func gridTotalsOfCountsAreExact() {
        // G1 counts systems (个): 全国 5 against 2 + 2 is an error.
        let values = ["01:cur@000000": "5", "01:cur@110000": "2", "01:cur@310000": "2"]
        #expect(outcome(grid, values).errors.contains("G1-X01"))
    }
}
