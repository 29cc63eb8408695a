import DRSCore
import DRSNation
import Testing

@Suite struct NationRegistryTests {
    @Test(arguments: [200, 300, 2_000])
    func everyTypeInEveryProvince(units: Int) throws {
        let nation = try Shipped.nation(units)
        #expect(nation.units.count == units)
        let national = Set(Shipped.catalog.catalog.survey.respondentTypes.filter { $0.filingChannel == .publicSecurity }.map(\.id))
        for type in Shipped.catalog.catalog.survey.respondentTypes.map(\.id) {
            let holders = nation.units.filter { $0.types.contains(type) }
            if national.contains(type) {
                #expect(holders.count == 1, "\(type) is one national unit")
            } else {
                #expect(Set(holders.map(\.regionCode)) == Set(Shipped.provinces), "\(type) in every province")
            }
        }
        let departments = nation.units.filter { $0.types == ["provincialDataDept"] }
        #expect(departments.count == Shipped.provinces.count)
    }

    @Test func tooFewOrTooManyUnitsAreRefused() {
        #expect(throws: NationError.self) { try Shipped.nation(NationSpec.minimumUnits - 1) }
        #expect(throws: NationError.self) { try Shipped.nation(NationSpec.maximumUnits + 1) }
    }

    @Test func creditCodesAreValidAndUnique() throws {
        let codes = Shipped.mid.units.map(\.creditCode)
        #expect(Set(codes).count == codes.count)
        for code in codes { #expect(throws: Never.self) { _ = try CreditCode.validate(code) } }
    }

    @Test func subsidiariesFollowTheirHeadquartersAcrossProvinces() throws {
        let units = Shipped.mid.units
        let subsidiaries = units.filter { $0.parentIndex != nil }
        #expect(!subsidiaries.isEmpty)
        var provincesByParent: [Int: Set<String>] = [:]
        for unit in subsidiaries {
            let parent = try #require(unit.parentIndex)
            #expect(parent < unit.index, "parents come first")
            #expect(units[parent].types == ["centralEnterprise"] && units[parent].parentIndex == nil)
            #expect(unit.types == ["centralEnterprise"] && unit.stateOwned)
            provincesByParent[parent, default: []].insert(unit.regionCode)
        }
        #expect(provincesByParent.values.allSatisfy { $0.count >= 3 }, "every headquarters has subsidiaries in several provinces")
        let headquarters = units.filter { $0.types == ["centralEnterprise"] && $0.parentIndex == nil }
        #expect(headquarters.filter { $0.regionCode == "110000" }.count * 2 > headquarters.count, "mostly in Beijing")
        #expect(try Shipped.nation(30_000).units.filter { $0.types == ["centralEnterprise"] && $0.parentIndex == nil }.count == 100)
    }

    @Test func aFewProvincesHoldMostUnits() {
        var byProvince: [String: Int] = [:]
        for unit in Shipped.mid.units { byProvince[unit.regionCode, default: 0] += 1 }
        let topEight = byProvince.values.sorted(by: >).prefix(8).reduce(0, +)
        #expect(topEight * 2 > Shipped.mid.units.count)
        let enterprises = Shipped.mid.units.filter { $0.types.contains("dataTechEnterprise") || $0.types.contains("dataAppEnterprise") }
        #expect(enterprises.count * 2 > Shipped.mid.units.count, "technology and application enterprises are most units")
    }

    @Test func newAndUnfinishedUnitsAreAFewPercent() {
        let units = Shipped.mid.units
        let new = units.filter { !$0.existedLastYear }.count, unfinished = units.filter { $0.status != .verified }.count
        #expect((20...160).contains(new), "about 4% new: \(new)")
        #expect((15...120).contains(unfinished), "about 3% not verified: \(unfinished)")
    }
}
