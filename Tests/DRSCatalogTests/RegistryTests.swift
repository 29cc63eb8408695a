import DRSCore
import Testing

@Suite("Code lists and appendix lists")
struct RegistryTests {
    let catalog = Shipped.catalog.catalog

    @Test func appendixListsAreComplete() {
        let counts = catalog.registries.mapValues(\.members.count)
        #expect(counts == ["nationalLabs": 10, "genaiResearchInstitutes": 15, "scienceDataCenters": 20,
                           "centralEnterprises": 134, "genaiEnterprises": 452, "industryAssociations": 39])
        for list in catalog.registries.values {
            #expect(list.members.map(\.seq) == Array(1...list.members.count), "\(list.id) numbering")
            #expect(list.members.allSatisfy { $0.regionCode != nil }, "\(list.id) regions")
            #expect(catalog.survey.respondentType(list.respondentType) != nil)
        }
    }

    @Test func theFiveTelecomGroupsAreFlagged() {
        let operators = catalog.registries["centralEnterprises"]!.members.filter { $0.flags?.contains("telecomOperator") == true }
        #expect(Set(operators.map(\.name)) == ["中国电信集团有限公司", "中国联合网络通信集团有限公司", "中国移动通信集团有限公司",
                                               "中国卫星网络集团有限公司", "中国广播电视网络集团有限公司"])
    }

    @Test func codeListsFollowTheStandards() {
        #expect(catalog.codeLists["provinces"]?.members.count == 31)
        #expect(catalog.codeLists["provinces"]?.member("440000")?.name == "广东省")
        #expect(catalog.codeLists["securityRegions"]?.members.count == 33)
        #expect(catalog.codeLists["industrySections"]?.members.count == 20)
        let divisions = catalog.codeLists["industryDivisions"]!
        #expect(divisions.members.count == 97)
        #expect(divisions.member("65")?.name == "软件和信息技术服务业")
        #expect(divisions.member("65")?.parent == "I")
        #expect(catalog.codeLists["organisationTypes"]?.members.map(\.code) == ["10", "20", "30", "40", "51", "52", "53", "54", "55", "56", "90"])
        #expect(catalog.codeLists["dcmmLevels"]?.members.count == 6)
    }

    @Test func everyRespondentTypeFilesItsForms() {
        for type in catalog.survey.respondentTypes {
            for formID in type.forms { #expect(catalog.form(formID)?.respondentTypes.contains(type.id) == true, "\(type.id) \(formID)") }
        }
        #expect(catalog.survey.deadline.monthOfFollowingYear == 3 && catalog.survey.deadline.day == 10)
        #expect(catalog.forms.map(\.id) == ["P1", "P2", "P3", "P4", "P5", "E1", "E2", "E3", "E4", "E5", "E6", "E7", "I1"])
        for form in catalog.forms {
            #expect(form.approvalNumber == "国统制〔2026〕37号")
            #expect(form.validUntil == "2029-02")
        }
    }
}
