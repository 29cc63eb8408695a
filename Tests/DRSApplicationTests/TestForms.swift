import DRSCore
import Foundation
import Testing

/// A small catalog written inline: a basic-information form and an indicators form a headquarters
/// consolidates (a sum, a share weighted by it, a count with no meaningful total).
enum TestForms {
    static let survey = #"""
    {"schemaVersion":1,"edition":"T","title":"测试制度","issuedBy":"国家数据局","approvedBy":"国家统计局","approvalNumber":"测试",
     "validUntil":"2029-02","reportingYears":{"from":2025,"to":2027},"deadline":{"monthOfFollowingYear":3,"day":10},
     "yearOverYear":{"threshold":"50","minimumBase":"10"},
     "columns":[{"id":"cur","name":"本年实际"}],
     "units":[{"id":"TB","name":"TB","kind":"volume","decimals":6},{"id":"个","name":"个","kind":"count","decimals":0,"integer":true},
              {"id":"%","name":"%","kind":"share","decimals":4}],
     "respondentTypes":[{"id":"group","name":"集团","forms":["B1","T1"],"consolidates":["T1"]}],
     "ruleTemplates":[]}
    """#

    static let basicInfo = #"""
    {"id":"B1","tableNumber":"测试1表","title":"基本情况","group":"测试","kind":"basicInfo","period":"年","scope":"","reporters":"",
     "issuedBy":"国家数据局","approvedBy":"国家统计局","approvalNumber":"测试","validUntil":"2029-02","submissionMethod":"网络填报",
     "respondentTypes":["group"],"columns":[],"notes":[],"source":{"rebuilt":false},
     "items":[{"code":"109","name":"统一社会信用代码","type":"creditCode","required":true}],"rules":[]}
    """#

    static let indicators = #"""
    {"id":"T1","tableNumber":"测试2表","title":"指标表","group":"测试","kind":"indicators","period":"年","scope":"","reporters":"",
     "issuedBy":"国家数据局","approvedBy":"国家统计局","approvalNumber":"测试","validUntil":"2029-02","submissionMethod":"网络填报",
     "respondentTypes":["group"],"columns":["cur"],"notes":[],"source":{"rebuilt":false},
     "indicators":[
       {"code":"01","name":"数据生产总量","unit":"TB","columns":["cur"]},
       {"code":"05","name":"冷数据占比","unit":"%","columns":["cur"],"aggregation":{"method":"weightedMean","weight":"[01]"}},
       {"code":"07","name":"服务行业数量","unit":"个","columns":["cur"],"aggregation":{"method":"none","note":"不可相加"}}
     ],
     "rules":[]}
    """#

    static func compiled() throws -> CompiledCatalog {
        let decoder = JSONDecoder()
        let catalog = Catalog(survey: try decoder.decode(Survey.self, from: Data(survey.utf8)),
                              forms: try [basicInfo, indicators].map { try decoder.decode(Form.self, from: Data($0.utf8)) },
                              codeLists: [:], registries: [:])
        return try CompiledCatalog(catalog)
    }

    static func form(_ id: String) throws -> CompiledForm { try #require(try compiled().forms[id]) }

    /// Cells as the store keeps them: a JSON object of strings, keys in order.
    static func stored(_ cells: [String: String]) -> String {
        JSONValue.object(cells.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }).serialized()
    }

    /// A stored JSON object of strings read back.
    static func map(_ stored: String) -> [String: String] {
        var map: [String: String] = [:]
        for (key, value) in (try? JSONValue.parse(stored))?.objectMembers ?? [] { map[key] = value.stringValue }
        return map
    }

    /// Figures a filer sent, read as the caller reads them (unknown cells refused).
    static func values(_ form: CompiledForm, _ cells: [String: String]) throws -> CellValues { try form.values(fromInput: cells) }

    /// A document as the submission reader gives it.
    static func document(_ form: CompiledForm, _ cells: [String: String], answers: [String: JSONValue] = [:],
                         explanations: [String: String] = [:]) throws -> SubmissionDocument {
        SubmissionDocument(formID: form.form.id, year: 2025, unit: nil, values: try values(form, cells), lastYear: nil, answers: answers,
                           explanations: explanations, profile: nil)
    }

    /// A cell's figure as text ("" when empty).
    static func text(_ form: CompiledForm, _ values: CellValues, _ key: String) -> String {
        CellKey(parsing: key).flatMap { form.layout.slot($0) }.flatMap { values[$0] }.map { $0.normalized.description } ?? ""
    }
}
