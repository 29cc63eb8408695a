import DRSCore
import Foundation
import Testing

/// Blank is not zero: required cells, rows skipped by the unit's own answers, and the catalog's
/// checks on the conditions it declares.
@Suite("Completeness and skip logic")
struct CompletenessTests {
    static let basic = #"""
    {"id":"B1","tableNumber":"测试基本表","title":"基本情况","group":"测试","kind":"basicInfo","period":"年","scope":"","reporters":"",
     "issuedBy":"国家数据局","approvedBy":"国家统计局","approvalNumber":"测试","validUntil":"2029-02","submissionMethod":"网络填报",
     "respondentTypes":["t"],"columns":[],"notes":[],"source":{"rebuilt":false},
     "items":[{"code":"Q10","name":"是否开发 AI 产品","type":"singleChoice","required":true,
               "options":[{"code":"1","label":"是"},{"code":"2","label":"否"}]}],
     "rules":[]}
    """#

    static func products(condition: String) -> String {
        #"""
        {"id":"A1","tableNumber":"测试5表","title":"产品","group":"测试","kind":"indicators","period":"年","scope":"","reporters":"",
         "issuedBy":"国家数据局","approvedBy":"国家统计局","approvalNumber":"测试","validUntil":"2029-02","submissionMethod":"网络填报",
         "respondentTypes":["t"],"columns":["cum","cur"],"notes":[],"source":{"rebuilt":false},
         "indicators":[
           {"code":"01","name":"数据产品数量","unit":"个","columns":["cum","cur"]},
           {"code":"02","name":"AI产品数量","unit":"个","columns":["cur"],"condition":\#(condition)}
         ],
         "rules":[]}
        """#
    }

    static func catalog(condition: String = #"{"form":"B1","item":"Q10","equals":"1","basis":"是否开发 AI 产品"}"#) throws -> CompiledCatalog {
        let decoder = JSONDecoder()
        var survey = try decoder.decode(Survey.self, from: Data(TinyCatalog.survey.utf8))
        survey.respondentTypes[0].forms += ["B1", "A1"]
        let forms = try [TinyCatalog.form, TinyCatalog.grid, basic, products(condition: condition)]
            .map { try decoder.decode(Form.self, from: Data($0.utf8)) }
        let regions = try decoder.decode(CodeList.self, from: Data(TinyCatalog.regions.utf8))
        return try CompiledCatalog(Catalog(survey: survey, forms: forms, codeLists: ["regions": regions], registries: [:]))
    }

    @Test func anEmptyFormIsIncompleteAndBlocksSubmission() throws {
        let form = try #require(try Self.catalog().forms["T1"])
        let report = form.check(CellValues(count: form.layout.count), profile: UnitProfile())
        #expect(report.isClean, "no rule fails on an empty form")
        #expect(report.blocksSubmission, "but blank is not zero")
        // T1: rows 01–04 × cum/cur/prev, 05, 07, 08 × cur; row 06 is for telecom operators only.
        #expect(report.missing.count == 4 * 3 + 3)
        #expect(report.missing.first?.message == "数据生产总量[01]（截至本年）尚未填写")
        #expect(!report.missing.contains { $0.code == "06" })
    }

    @Test func aTypedZeroCountsAsAnAnswer() throws {
        let form = try #require(try Self.catalog().forms["T1"])
        var cells: [String: String] = [:]
        for code in ["01", "02", "03", "04"] { for column in ["cum", "cur", "prev"] { cells["\(code):\(column)"] = "0" } }
        for code in ["05", "07", "08"] { cells["\(code):cur"] = "0" }
        let report = form.check(TinyCatalog.values(form, cells), profile: UnitProfile())
        #expect(report.missing.isEmpty)
        #expect(!report.blocksSubmission)
        // A telecom operator must also fill its own row.
        let telecom = form.check(TinyCatalog.values(form, cells), profile: UnitProfile(telecomOperator: true))
        #expect(telecom.missing.map(\.key) == ["06:cur"])
    }

    @Test func gridMembersAreEachRequired() throws {
        let grid = try #require(try Self.catalog().forms["G1"])
        let report = grid.check(TinyCatalog.values(grid, ["01:cur@000000": "0"]), profile: UnitProfile())
        #expect(report.missing.count == 2 * 2 * 3 - 1)
        #expect(report.missing.first?.message == "系统总数[01]（上年同期，全国）尚未填写" || report.missing.contains { $0.memberName == "北京市" })
    }

    @Test func aRowSkippedByTheUnitsAnswerIsNeitherRequiredNorAllowed() throws {
        let form = try #require(try Self.catalog().forms["A1"])
        let no = UnitProfile(answers: ["B1.Q10": "2"])
        #expect(form.skippedRows(profile: no) == ["02": "测试基本表「是否开发 AI 产品」选择「否」，本行免填"])
        let filled = TinyCatalog.values(form, ["01:cum": "3", "01:cur": "1", "02:cur": "1"])
        let report = form.check(filled, profile: no)
        #expect(report.errors.map(\.ruleID) == ["A1-ASKED-02"])
        #expect(report.errors.first?.message.contains("本行免填，请清空") == true)
        #expect(form.check(TinyCatalog.values(form, ["01:cum": "3", "01:cur": "1"]), profile: no).missing.isEmpty)
        // Answered 是, or not answered yet: the row is asked and required.
        for profile in [UnitProfile(answers: ["B1.Q10": "1"]), UnitProfile()] {
            #expect(form.skippedRows(profile: profile).isEmpty)
            #expect(form.check(TinyCatalog.values(form, ["01:cum": "3", "01:cur": "1"]), profile: profile).missing.map(\.key) == ["02:cur"])
        }
    }

    @Test func conditionAnswersAreReadFromTheStoredAnswers() throws {
        let form = try #require(try Self.catalog().forms["A1"])
        #expect(form.conditionForms == ["B1"])
        #expect(form.conditionAnswers(from: ["B1": ["Q10": .string("2")]]) == ["B1.Q10": "2"])
        #expect(form.conditionAnswers(from: ["B1": ["Q10": .string(" ")]]).isEmpty)
        #expect(form.conditionAnswers(from: [:]).isEmpty)
    }

    @Test func theCatalogRefusesAConditionOnAnUnknownItemOrOption() {
        #expect(throws: CatalogErrors.self) { try Self.catalog(condition: #"{"form":"B1","item":"Q99","equals":"1"}"#) }
        #expect(throws: CatalogErrors.self) { try Self.catalog(condition: #"{"form":"B1","item":"Q10","equals":"3"}"#) }
        #expect(throws: CatalogErrors.self) { try Self.catalog(condition: #"{"form":"T1","item":"01","equals":"1"}"#) }
    }
}
