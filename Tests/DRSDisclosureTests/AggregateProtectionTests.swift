import DRSCore
import DRSDisclosure
import DRSSolverCLP
import Foundation
import Testing

/// Protection of a form's aggregates from its unit-level records: every summed cell's province ×
/// type table with its marginals, contributors counted by holding, shares following their bases.
@Suite struct AggregateProtectionTests {
    static let survey = #"""
    {"schemaVersion":1,"edition":"T","title":"测试制度","issuedBy":"国家数据局","approvedBy":"国家统计局","approvalNumber":"测试",
     "validUntil":"2029-02","reportingYears":{"from":2025,"to":2027},"deadline":{"monthOfFollowingYear":3,"day":10},
     "yearOverYear":{"threshold":"50","minimumBase":"10"},
     "columns":[{"id":"cur","name":"本年实际"}],
     "units":[{"id":"TB","name":"TB","kind":"volume","decimals":6},{"id":"%","name":"%","kind":"share","decimals":4}],
     "respondentTypes":[{"id":"t","name":"测试","forms":["T1"]}],
     "ruleTemplates":[]}
    """#

    static let form = #"""
    {"id":"T1","tableNumber":"测试1表","title":"测试表","group":"测试","kind":"indicators","period":"年","scope":"","reporters":"",
     "issuedBy":"国家数据局","approvedBy":"国家统计局","approvalNumber":"测试","validUntil":"2029-02","submissionMethod":"网络填报",
     "respondentTypes":["t"],"columns":["cur"],"notes":[],"source":{"rebuilt":false},
     "indicators":[
       {"code":"01","name":"数据存储总量","unit":"TB","columns":["cur"]},
       {"code":"02","name":"冷数据占比","unit":"%","columns":["cur"],"aggregation":{"method":"weightedMean","weight":"[01]"}},
       {"code":"03","name":"冷数据利用率","unit":"%","columns":["cur"],"aggregation":{"method":"weightedMean","weight":"[02] * [01]"}}
     ],
     "rules":[]}
    """#

    let form: CompiledForm
    let protection = AggregateProtection(suppression: SecondarySuppression(solver: CLPSolver()), rules: .standard)
    static let storage = CellKey(code: "01", column: "cur")
    static let share = CellKey(code: "02", column: "cur")
    static let shareOfShare = CellKey(code: "03", column: "cur")

    init() throws {
        let decoder = JSONDecoder()
        let survey = try decoder.decode(Survey.self, from: Data(Self.survey.utf8))
        let form = try decoder.decode(Form.self, from: Data(Self.form.utf8))
        let catalog = try CompiledCatalog(Catalog(survey: survey, forms: [form], codeLists: [:], registries: [:]))
        self.form = try #require(catalog.form("T1"))
    }

    private func unit(_ province: String, _ type: String?, storage: Int, share: Int = 10, holding: String? = nil) throws -> AggregateProtection.Unit {
        var values = CellValues(count: form.layout.count)
        values[try #require(form.layout.slot(Self.storage))] = ExactDecimal(storage)
        values[try #require(form.layout.slot(Self.share))] = ExactDecimal(share)
        values[try #require(form.layout.slot(Self.shareOfShare))] = ExactDecimal(share)
        var dimensions = ["province": province]
        dimensions["type"] = type
        return .init(record: AggregateRecord(dimensions: dimensions, values: values), holding: holding)
    }

    private func three(_ province: String, _ type: String?) throws -> [AggregateProtection.Unit] {
        try (0..<3).map { _ in try unit(province, type, storage: 100) }
    }

    private func run(_ units: [AggregateProtection.Unit], by: [String]) throws -> (AggregateTable, AggregateDisclosure) {
        let table = try Aggregator(form: form).aggregate(units.map(\.record), groupings: by.isEmpty ? [[]] : [[], by])
        return (table, try protection.protect(table, form: form, units: units, by: by))
    }

    /// Beijing × b has one unit: primary; the cheapest cells that hide it are the other corners of
    /// its rectangle (three units each, equal figures: safe themselves).
    @Test func aSingleUnitCellIsPrimaryAndItsRectangleSecondary() throws {
        let units = try three("110000", "a") + [try unit("110000", "b", storage: 50)] + three("310000", "a") + three("310000", "b")
        let (table, disclosure) = try run(units, by: ["province", "type"])
        let by = ["province", "type"]
        #expect(disclosure.status(Self.storage, grouping: by, key: ["110000", "b"]) == .primary)
        for key in [["110000", "a"], ["310000", "a"], ["310000", "b"]] {
            #expect(disclosure.status(Self.storage, grouping: by, key: key) == .secondary, "\(key)")
        }
        #expect(disclosure.status(Self.storage, grouping: [], key: []) == .safe)
        // Marginals of the breakdown not in the aggregate's groupings are still protected consistently.
        #expect(disclosure.status(Self.storage, grouping: ["province"], key: ["110000"]) == .safe)
        #expect(disclosure.status(Self.storage, grouping: ["type"], key: ["b"]) == .safe)
        // The aggregate's own group keys find their status.
        let grouping = try #require(table.grouping(by))
        let slot = try #require(table.slot(Self.storage))
        let suppressed = grouping.groups.filter { disclosure.status(slot: slot, in: $0, of: grouping).isSuppressed }.map(\.key)
        #expect(suppressed.count == 4)
        #expect(disclosure.primaryCount >= 1)
    }

    /// Two subsidiaries of one headquarters are one contributor: with a third unit the national total
    /// has two contributors and fails FREQ(3,10); without the holding it has three and is safe.
    @Test func subsidiariesOfOneHeadquartersCountOnce() throws {
        let grouped = [try unit("110000", "a", storage: 100, holding: "HQ"), try unit("310000", "a", storage: 100, holding: "HQ"),
                       try unit("440000", "a", storage: 100)]
        #expect(try run(grouped, by: []).1.status(Self.storage, grouping: [], key: []) == .primary)
        let independent = grouped.map { AggregateProtection.Unit(record: $0.record, holding: nil) }
        #expect(try run(independent, by: []).1.status(Self.storage, grouping: [], key: []) == .safe)
    }

    /// A share is suppressed where the sum it is weighted by is: primary with a primary base,
    /// secondary with a secondary one; a share of a share follows the sum at the end of the chain.
    @Test func aShareFollowsItsBaseCells() throws {
        let units = try three("110000", "a") + [try unit("110000", "b", storage: 50)] + three("310000", "a") + three("310000", "b")
        let (_, disclosure) = try run(units, by: ["province", "type"])
        let by = ["province", "type"]
        for key in [["110000", "a"], ["110000", "b"], ["310000", "a"], ["310000", "b"]] {
            let base = disclosure.status(Self.storage, grouping: by, key: key)
            #expect(disclosure.status(Self.share, grouping: by, key: key) == base, "\(key)")
            #expect(disclosure.status(Self.shareOfShare, grouping: by, key: key) == base, "\(key)")
        }
        #expect(disclosure.status(Self.share, grouping: [], key: []) == .safe)
    }

    /// A unit without a type is grouped under "" by the aggregator, and protected under that key.
    @Test func aMissingDimensionValueIsTheEmptyKey() throws {
        let units = try three("110000", "a") + [try unit("110000", nil, storage: 50)]
        let (table, disclosure) = try run(units, by: ["province", "type"])
        #expect(table.grouping(["province", "type"])?.group(["110000", ""]) != nil)
        #expect(disclosure.status(Self.storage, grouping: ["province", "type"], key: ["110000", ""]) == .primary)
        #expect(disclosure.status(Self.storage, grouping: ["province", "type"], key: ["110000", "zzz"]) == .empty)
    }
}
