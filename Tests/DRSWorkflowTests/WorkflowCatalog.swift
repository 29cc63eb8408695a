import DRSCore
import Foundation
import Testing

/// A small catalog written inline (a basic-information form, an indicators form a headquarters
/// consolidates, a grid form), so the workflow's rules are tested without the 2026 data files.
enum WorkflowCatalog {
    static let survey = #"""
    {"schemaVersion":1,"edition":"T","title":"测试制度","issuedBy":"国家数据局","approvedBy":"国家统计局","approvalNumber":"测试",
     "validUntil":"2029-02","reportingYears":{"from":2025,"to":2027},"deadline":{"monthOfFollowingYear":3,"day":10},
     "yearOverYear":{"threshold":"50","minimumBase":"10"},
     "columns":[{"id":"cum","name":"截至本年"},{"id":"cur","name":"本年实际"},{"id":"prev","name":"上年同期"}],
     "units":[{"id":"TB","name":"TB","kind":"volume","decimals":6},{"id":"个","name":"个","kind":"count","decimals":0,"integer":true},
              {"id":"%","name":"%","kind":"share","decimals":4}],
     "respondentTypes":[
       {"id":"group","name":"集团","forms":["B1","T1"],"consolidates":["T1"]},
       {"id":"region","name":"地区","forms":["G1"]},
       {"id":"plain","name":"单位","forms":["B1","T1"]}
     ],
     "ruleTemplates":[]}
    """#

    static let basicInfo = #"""
    {"id":"B1","tableNumber":"测试1表","title":"基本情况","group":"测试","kind":"basicInfo","period":"年","scope":"","reporters":"",
     "issuedBy":"国家数据局","approvedBy":"国家统计局","approvalNumber":"测试","validUntil":"2029-02","submissionMethod":"网络填报",
     "respondentTypes":["group","plain"],"columns":[],"notes":[],"source":{"rebuilt":false},
     "items":[{"code":"109","name":"统一社会信用代码","type":"creditCode","required":true}],"rules":[]}
    """#

    static let indicators = #"""
    {"id":"T1","tableNumber":"测试2表","title":"指标表","group":"测试","kind":"indicators","period":"年","scope":"","reporters":"",
     "issuedBy":"国家数据局","approvedBy":"国家统计局","approvalNumber":"测试","validUntil":"2029-02","submissionMethod":"网络填报",
     "respondentTypes":["group","plain"],"columns":["cum","cur","prev"],"notes":[],"source":{"rebuilt":false},
     "indicators":[
       {"code":"01","name":"数据生产总量","unit":"TB","columns":["cum","cur","prev"]},
       {"code":"05","name":"冷数据占比","unit":"%","columns":["cur"],"aggregation":{"method":"weightedMean","weight":"[01]"}},
       {"code":"07","name":"服务行业数量","unit":"个","columns":["cur"],"aggregation":{"method":"none","note":"不可相加"}}
     ],
     "rules":[]}
    """#

    static let grid = #"""
    {"id":"G1","tableNumber":"测试3表","title":"分组表","group":"测试","kind":"grid","period":"年","scope":"","reporters":"",
     "issuedBy":"国家数据局","approvedBy":"国家统计局","approvalNumber":"测试","validUntil":"2029-02","submissionMethod":"网络填报",
     "respondentTypes":["region"],"columns":["cur","prev"],"breakdown":{"codelist":"regions","total":"000000"},"notes":[],"source":{"rebuilt":false},
     "indicators":[{"code":"01","name":"系统总数","unit":"个","columns":["cur","prev"]}],
     "rules":[]}
    """#

    static let regions = #"""
    {"id":"regions","name":"地区","members":[{"code":"000000","name":"全国"},{"code":"110000","name":"北京市"},{"code":"310000","name":"上海市"}]}
    """#

    /// The catalog, its forms in the order given (a loader sorts files by name; the tests choose).
    static func catalog(formOrder: [String] = [basicInfo, indicators, grid]) throws -> Catalog {
        let decoder = JSONDecoder()
        return Catalog(survey: try decoder.decode(Survey.self, from: Data(survey.utf8)),
                       forms: try formOrder.map { try decoder.decode(Form.self, from: Data($0.utf8)) },
                       codeLists: ["regions": try decoder.decode(CodeList.self, from: Data(regions.utf8))], registries: [:])
    }

    static func compiled() throws -> CompiledCatalog { try CompiledCatalog(try catalog()) }

    /// Figures from a compact description: ["01:cur": "10", "01:cur@110000": "5"].
    static func values(_ form: CompiledForm, _ cells: [String: String]) throws -> CellValues {
        var values = CellValues(count: form.layout.count)
        for (key, text) in cells {
            let parts = key.split(separator: "@").map(String.init)
            let codeColumn = parts[0].split(separator: ":").map(String.init)
            let slot = try #require(form.layout.slot(code: codeColumn[0], column: codeColumn[1], member: parts.count > 1 ? parts[1] : nil))
            values[slot] = try NumberInput.parse(text)
        }
        return values
    }

    /// A cell's figure as text ("" when empty).
    static func text(_ form: CompiledForm, _ values: CellValues, _ code: String, _ column: String, _ member: String? = nil) -> String {
        form.layout.slot(code: code, column: column, member: member).flatMap { values[$0] }.map { $0.normalized.description } ?? ""
    }
}
