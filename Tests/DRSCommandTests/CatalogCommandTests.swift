import Foundation
import Testing

@Suite("drs catalog", .serialized)
struct CatalogCommandTests {
    @Test func listShowsAllThirteenForms() throws {
        let r = try DRS.run(["catalog", "list"])
        #expect(r.status == 0)
        for table in ["公共1表", "公共5表", "企业1表", "企业7表", "行业1表"] { #expect(r.stdout.contains(table)) }
        #expect(r.stdout.contains("印制审核关系 191 条"))
    }

    @Test func showLaysOutTheOfficialTable() throws {
        let r = try DRS.run(["catalog", "show", "E2"])
        #expect(r.status == 0)
        for text in ["中央企业数据资源调查表", "企业2表", "国统制〔2026〕37号", "截至本年", "下年预估", "数据生产总量", "运营商企业",
                     "单位负责人", "审核关系（32条）", "11≥12+13", "14≥16（仅指截至本年）"] {
            #expect(r.stdout.contains(text), "missing \(text)")
        }
        let unknown = try DRS.run(["catalog", "show", "X9"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("未知的表"))
    }

    @Test func exportCarriesEveryRuleWithItsSeedText() throws {
        let r = try DRS.run(["catalog", "export", "--format", "json"])
        #expect(r.status == 0)
        let json = try DRS.json(r.stdout)
        let forms = json["forms"] as! [[String: Any]]
        #expect(forms.count == 13)
        var printed = 0
        for form in forms {
            for rule in form["rules"] as! [[String: Any]] where rule["origin"] as? String == "printed" {
                printed += 1
                #expect(rule["expr"] is String && rule["columns"] is [String] && rule["severity"] is String && rule["seed"] is String)
            }
        }
        #expect(printed == 191)
        let e2 = forms.first { $0["id"] as? String == "E2" }!
        let first = (e2["rules"] as! [[String: Any]])[0]
        #expect(first["expr"] as? String == "[11] >= [12] + [13]")
        #expect(first["seed"] as? String == "11≥12+13")
    }

    @Test func everyCommandHasHelp() throws {
        for command in [["--help"], ["catalog", "--help"], ["catalog", "list", "--help"], ["catalog", "show", "--help"],
                        ["catalog", "export", "--help"], ["template", "--help"], ["validate", "--help"], ["bench", "validate", "--help"]] {
            let r = try DRS.run(command)
            #expect(r.status == 0, "\(command)")
            #expect(r.stdout.contains("USAGE"), "\(command)")
        }
    }

    @Test func templateGivesABlankSubmission() throws {
        let r = try DRS.run(["template", "P2", "--format", "json", "--year", "2025"])
        #expect(r.status == 0)
        let json = try DRS.json(r.stdout)
        #expect(json["form"] as? String == "P2")
        #expect(json["year"] as? Int == 2025)
        let values = json["values"] as! [String: [String: Any]]
        #expect(values.count == 50)
        #expect(Set(values["01"]!.keys) == ["cum", "cur", "prev"])
        let grid = try DRS.json(try DRS.run(["template", "E4"]).stdout)["values"] as! [String: [String: [String: Any]]]
        #expect(grid["01"]?["cur"]?.count == 20)
        let basic = try DRS.json(try DRS.run(["template", "E1"]).stdout)
        #expect((basic["answers"] as? [String: Any])?["Q05"] != nil)
    }
}
