import Foundation
import Testing

@Suite("drs validate", .serialized)
struct ValidateCommandTests {
    static let clean = #"""
    {"form":"P2","year":2025,"unit":"91350100M000100Y43",
     "values":{"01":{"cum":"1200.5","cur":"300","prev":"250"},"02":{"cum":"700","cur":"100"},"03":{"cum":"500.5","cur":"200"},
               "04":{"cum":"5000"},"05":{"cum":"1000"},"15":{"cur":"12.5"},"17":{"cur":"1,234"}},
     "explanations":{}}
    """#

    @Test func cleanFileExitsZero() throws {
        let r = try DRS.run(["validate", try DRS.file("clean.json", Self.clean)])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("审核通过"))
    }

    @Test func ruleErrorExitsOneWithTheSeedMessage() throws {
        let text = Self.clean.replacingOccurrences(of: #""01":{"cum":"1200.5""#, with: #""01":{"cum":"120""#)
            .replacingOccurrences(of: #""02":{"cum":"700""#, with: #""02":{"cum":"100""#)
            .replacingOccurrences(of: #""03":{"cum":"500.5""#, with: #""03":{"cum":"50""#)
        let path = try DRS.file("error.json", text)
        let r = try DRS.run(["validate", path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("数据生产总量[01]=120 应 ≥ 设备设施采集数据总量[02]+系统/软件生成数据总量[03]=150（截至本年）"))
        let j = try DRS.run(["validate", "--format", "json", path])
        #expect(j.status == 1)
        let json = try DRS.json(j.stdout)
        #expect(json["file"] as? String == path)
        let errors = json["errors"] as! [[String: Any]]
        let first = errors.first { $0["ruleId"] as? String == "P2-01" }!
        #expect(first["form"] as? String == "P2")
        #expect(first["rule"] as? String == "[01] >= [02] + [03]")
        #expect(first["column"] as? String == "cum")
        #expect((first["cells"] as! [[String: Any]]).map { $0["code"] as! String } == ["01", "02", "03"])
        #expect((first["message"] as! String).contains("应 ≥"))
        #expect(json["warnings"] is [Any])
    }

    @Test(arguments: [
        ("malformed.json", #"{"form":"P2","year":2025,"values":{"01":{"cum":"1"}"#, "JSON 格式错误（第1行"),
        ("unknown-form.json", #"{"form":"Z9","year":2025,"values":{}}"#, "未知的表「Z9」"),
        ("unknown-code.json", #"{"form":"P2","year":2025,"values":{"99":{"cur":"1"}}}"#, "values.99：未知的指标代码「99」"),
        ("abc.json", #"{"form":"P2","year":2025,"values":{"01":{"cur":"abc"}}}"#, "values.01.cur：「abc」不是数字"),
        ("huge.json", #"{"form":"P2","year":2025,"values":{"01":{"cur":1e999}}}"#, "values.01.cur：「1e999」数值过大"),
        ("empty.json", "", "文件为空"),
        ("array.json", "[1,2]", "应为一个 JSON 对象"),
        ("decimals.json", #"{"form":"P2","year":2025,"values":{"01":{"cur":"1.1234567"}}}"#, "小数位数过多"),
    ])
    func unusableFilesExitTwoAndSayWhere(_ name: String, _ text: String, _ expected: String) throws {
        let path = try DRS.file(name, text)
        let r = try DRS.run(["validate", path])
        #expect(r.status == 2, "\(name): \(r.stdout)")
        #expect(r.stdout.contains(path), "names the file")
        #expect(r.stdout.contains(expected), "\(name): \(r.stdout)")
        let j = try DRS.run(["validate", "--format", "json", path])
        #expect(j.status == 2)
        let json = try DRS.json(j.stdout)
        #expect(json["usable"] as? Bool == false)
        #expect(!(json["problems"] as! [Any]).isEmpty)
    }

    @Test func missingFileIsUnusable() throws {
        let r = try DRS.run(["validate", "/nonexistent/p2.json"])
        #expect(r.status == 2)
        #expect(r.stdout.contains("文件不存在"))
    }

    @Test func worstFileDecidesTheExitCode() throws {
        let clean = try DRS.file("c.json", Self.clean)
        let bad = try DRS.file("b.json", #"{"form":"P2","year":2025,"values":{"15":{"cur":"120"}}}"#)
        let broken = try DRS.file("x.json", "{")
        #expect(try DRS.run(["validate", clean, bad]).status == 1)
        let all = try DRS.run(["validate", "--format", "json", clean, bad, broken])
        #expect(all.status == 2)
        #expect(all.stdout.split(separator: "\n").count == 3)
    }

    @Test func yearOverYearWarningsAreExplained() throws {
        let text = #"{"form":"P2","year":2025,"values":{"01":{"cur":"300","prev":"100"}},"lastYear":{"01":{"cur":"100"}},"explanations":{}}"#
        let r = try DRS.run(["validate", try DRS.file("yoy.json", text)])
        #expect(r.status == 0)
        #expect(r.stdout.contains("变化+200.0%，超过±50%"))
        #expect(r.stdout.contains("需填写说明"))
        let explained = text.replacingOccurrences(of: #""explanations":{}"#, with: #""explanations":{"01":"新建政务云"}"#)
        #expect(try DRS.run(["validate", try DRS.file("yoy2.json", explained)]).stdout.contains("已说明：新建政务云"))
        let strict = try DRS.run(["validate", "--yoy-threshold", "250", try DRS.file("yoy3.json", text)])
        #expect(!strict.stdout.contains("变化+200.0%"))
    }

    @Test func basicInformationFormsAreChecked() throws {
        let text = #"""
        {"form":"E1","year":2025,"answers":{"109":"91350100M000100Y44","102":"测试企业","191":"7",
          "105":{"regionCode":"110108"},"Q05":{"day":"10","month":"20","year":"30","long":"30"},"211":"10","203":{"email":"a@b"}}}
        """#
        let r = try DRS.run(["validate", try DRS.file("e1.json", text)])
        #expect(r.status == 1)
        for expected in ["第18位（校验码）应为「3」", "单位规模」的选项「7」不存在", "应为12位数字", "占比之和应为100%", "不是有效的电子邮箱"] {
            #expect(r.stdout.contains(expected), "missing \(expected) in \(r.stdout)")
        }
    }
}
