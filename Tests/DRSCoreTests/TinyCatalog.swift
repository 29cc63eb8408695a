import DRSCore
import Foundation

/// A two-form catalog written inline, so engine tests do not depend on the 2026 data files.
enum TinyCatalog {
    static let survey = #"""
    {"schemaVersion":1,"edition":"T","title":"测试制度","issuedBy":"国家数据局","approvedBy":"国家统计局","approvalNumber":"测试",
     "validUntil":"2029-02","reportingYears":{"from":2025,"to":2027},"deadline":{"monthOfFollowingYear":3,"day":10},
     "yearOverYear":{"threshold":"50","minimumBase":"10"},
     "columns":[{"id":"cum","name":"截至本年"},{"id":"cur","name":"本年实际"},{"id":"prev","name":"上年同期"},{"id":"next","name":"下年预估"}],
     "units":[{"id":"TB","name":"TB","kind":"volume","decimals":6},{"id":"个","name":"个","kind":"count","decimals":0,"integer":true},
              {"id":"%","name":"%","kind":"share","decimals":4}],
     "respondentTypes":[{"id":"t","name":"测试","forms":["T1","G1"]}],
     "ruleTemplates":[
       {"id":"NONNEG","name":"非负","expr":"[*] >= 0","severity":"error","forEach":{"nonNegative":true},"message":"{name}[{code}]={value} 不能为负数（{column}）"},
       {"id":"SHARE","name":"占比","expr":"[*] <= 100","severity":"error","forEach":{"unitKind":"share"}},
       {"id":"INT","name":"整数","expr":"integer([*])","severity":"error","forEach":{"integer":true},"message":"{name}[{code}]={value} 应为整数"},
       {"id":"YOY","name":"同比","expr":"abs([*:cur] - last([*:cur])) * 100 <= $threshold * abs(last([*:cur])) when abs(last([*:cur])) >= $minimumBase","severity":"warning","needsExplanation":true,"forEach":{"column":"cur"},"message":"{name}[{code}]变化{change}"},
       {"id":"PREV","name":"上年","expr":"[*:prev] = last([*:cur])","severity":"warning","forEach":{"column":"prev"}}
     ]}
    """#

    static let form = #"""
    {"id":"T1","tableNumber":"测试1表","title":"测试表","group":"测试","kind":"indicators","period":"年","scope":"","reporters":"",
     "issuedBy":"国家数据局","approvedBy":"国家统计局","approvalNumber":"测试","validUntil":"2029-02","submissionMethod":"网络填报",
     "respondentTypes":["t"],"columns":["cum","cur","prev"],"notes":[],"source":{"rebuilt":false},
     "indicators":[
       {"code":"01","name":"数据生产总量","unit":"TB","columns":["cum","cur","prev"]},
       {"code":"02","name":"设备设施采集数据总量","unit":"TB","parent":"01","columns":["cum","cur","prev"]},
       {"code":"03","name":"系统/软件生成数据总量","unit":"TB","parent":"01","columns":["cum","cur","prev"]},
       {"code":"04","name":"数据集数量","unit":"个","columns":["cum","cur","prev"]},
       {"code":"05","name":"冷数据占比","unit":"%","columns":["cur"],"aggregation":{"method":"weightedMean","weight":"[01]"}},
       {"code":"06","name":"运营商流量","unit":"TB","columns":["cur"],"appliesTo":"telecomOperator"},
       {"code":"07","name":"服务行业数量","unit":"个","columns":["cur"],"aggregation":{"method":"none","note":"各单位覆盖范围可能重叠，不可相加"}},
       {"code":"08","name":"存储空间利用率","unit":"%","columns":["cur"],"aggregation":{"method":"weightedMean","weight":"[01] * [04]"}}
     ],
     "rules":[
       {"id":"T1-01","expr":"[01] >= [02] + [03]","seed":"01≥02+03","columns":["cum","cur","prev"],"severity":"error","origin":"printed"},
       {"id":"T1-02","expr":"[01] = [02] + [03]","seed":"01=02+03","columns":["cum"],"severity":"error","origin":"printed"},
       {"id":"T1-03","expr":"[05] < 100","seed":"05<100%","columns":["cur"],"severity":"error","origin":"printed"}
     ]}
    """#

    static let grid = #"""
    {"id":"G1","tableNumber":"测试2表","title":"分组表","group":"测试","kind":"grid","period":"年","scope":"","reporters":"",
     "issuedBy":"国家数据局","approvedBy":"国家统计局","approvalNumber":"测试","validUntil":"2029-02","submissionMethod":"网络填报",
     "respondentTypes":["t"],"columns":["cur","prev"],"breakdown":{"codelist":"regions","total":"000000"},"notes":[],"source":{"rebuilt":false},
     "indicators":[{"code":"01","name":"系统总数","unit":"个","columns":["cur","prev"]},{"code":"02","name":"重要系统数","unit":"个","columns":["cur","prev"]}],
     "rules":[
       {"id":"G1-X01","expr":"[01@000000] = sum([01@*])","columns":["cur","prev"],"severity":"error","origin":"implied","message":"全国合计应等于各地区之和"},
       {"id":"G1-01","expr":"[01] >= [02]","columns":["cur"],"severity":"error","origin":"printed"}
     ]}
    """#

    static let regions = #"""
    {"id":"regions","name":"地区","members":[{"code":"000000","name":"全国"},{"code":"110000","name":"北京市"},{"code":"310000","name":"上海市"}]}
    """#

    static func catalog() throws -> CompiledCatalog {
        let decoder = JSONDecoder()
        let survey = try decoder.decode(Survey.self, from: Data(survey.utf8))
        let forms = try [form, grid].map { try decoder.decode(Form.self, from: Data($0.utf8)) }
        let list = try decoder.decode(CodeList.self, from: Data(regions.utf8))
        return try CompiledCatalog(Catalog(survey: survey, forms: forms, codeLists: ["regions": list], registries: [:]))
    }

    /// Figures from a compact description: ["01:cum": "120", "01:cur@110000": "5"].
    static func values(_ form: CompiledForm, _ cells: [String: String]) -> CellValues {
        var values = CellValues(count: form.layout.count)
        for (key, text) in cells {
            let parts = key.split(separator: "@")
            let codeColumn = parts[0].split(separator: ":")
            let slot = form.layout.slot(code: String(codeColumn[0]), column: String(codeColumn[1]), member: parts.count > 1 ? String(parts[1]) : nil)!
            values[slot] = try! NumberInput.parse(text)
        }
        return values
    }
}
