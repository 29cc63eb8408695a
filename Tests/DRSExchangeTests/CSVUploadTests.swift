import DRSCore
@testable import DRSExchange
import Testing

@Suite("CSV upload")
struct CSVUploadTests {
    let catalog = Shipped.catalog

    func read(_ text: String, form: String? = nil, year: Int? = 2025, unit: String? = nil) -> UploadResult {
        CSVUpload.read(text, catalog: catalog, expecting: (form, year, unit))
    }

    func problems(_ text: String, form: String? = nil, year: Int? = 2025) -> [String] {
        let result = read(text, form: form, year: year)
        #expect(!result.isUsable)
        return result.problems.map(\.description)
    }

    @Test(arguments: ["P2", "P3", "P4", "P5", "E2", "E3", "E4", "E5", "E6", "E7", "I1"])
    func roundTripOfEveryNumericForm(_ id: String) throws {
        let form = Shipped.form(id)
        let figures = SampleSubmissions.clean(form, seed: 11, profile: UnitProfile(stateOwned: true, internetPlatform: true), units: Shipped.units)
        let text = CSVUpload.csv(form: form, values: figures, explanations: ["01": "说明，含逗号与\"引号\""], year: 2025, creditCode: unitCode)
        let result = read(text, form: id, year: nil)
        #expect(result.problems.isEmpty, "\(result.problems.prefix(3))")
        let s = try #require(result.submission)
        #expect(s.values == figures)
        #expect(s.formID == id && s.year == 2025 && s.unit == unitCode)
        #expect(s.explanations == ["01": "说明，含逗号与\"引号\""])
    }

    @Test func theFormatAsDocumented() throws {
        let text = """
        表号,指标代码,栏目,分组,数值
        企业2表,01,本年实际,,"1,234.5"
        企业2表,02,本年实际,110000,1500
        E2,02,cur,310000,800
        E2,2,prev,北京市,１２
        企业2表,11,截至本年,,
        企业2表,29,cur,,45%
        企业2表,11,说明,,新建数据中心投产

        """
        let s = try #require(read(text, form: "E2").submission)
        #expect(Shipped.form("E2").cellMap(s.values) == ["01:cur": "1234.5", "02:cur@110000": "1500", "02:cur@310000": "800",
                                                        "02:prev@110000": "12", "29:cur": "45"])
        #expect(s.explanations == ["11": "新建数据中心投产"])
    }

    @Test func headerInEnglishAnyOrderWithBOMAndCRLF() throws {
        let text = "\u{FEFF}value,member,column,code,form,year\r\n5,A,cur,01,E4,2025\r\n7,T,prev,20,企业4表,2025\r\n"
        let s = try #require(read(text, year: nil).submission)
        #expect(s.formID == "E4" && s.year == 2025)
        #expect(Shipped.form("E4").cellMap(s.values) == ["01:cur@A": "5", "20:prev@T": "7"])
        let bytes = Array(text.utf8)
        #expect(CSVUpload.read(bytes: bytes, catalog: catalog, expecting: (nil, nil, nil)).isUsable)
        #expect(CSVUpload.read(bytes: [0xB1, 0xED, 0xBA, 0xC5], catalog: catalog, expecting: (nil, nil, nil)).problems.first?.code == "not_utf8")
    }

    @Test func basicInformationRoundTrip() throws {
        let form = Shipped.form("E1")
        let answers: [String: JSONValue] = [
            "109": .string(unitCode),
            "105": .object([("province", .string("福建省")), ("regionCode", .string("350102001001"))]),
            "191": .string("2"),
            "Q04": .array([.string("1"), .object([("code", .string("4")), ("text", .string("边缘节点"))])]),
        ]
        let figures = values(form, ["Q05.day:value": "10", "193.operatingProfit:value": "-3"])
        let text = CSVUpload.csv(form: form, values: figures, answers: answers)
        #expect(text.contains("企业1表,105.regionCode,,,350102001001\r\n"))
        let s = try #require(read(text, form: "E1").submission)
        for (code, answer) in answers { #expect(s.answers[code] == answer, "\(code)") }
        #expect(s.answers["Q05"] == .object([("day", .string("10"))]))
        #expect(s.values == figures)
    }

    @Test func badLinesAreNamed() {
        let text = """
        表号,指标代码,栏目,分组,数值
        企业2表,01,本年实际,,100
        企业2表,01,截至本年,,"12,3a"
        企业2表,99,本年实际,,1
        企业2表,11,本月,,1
        企业2表,26,下年预估,,1
        企业2表,02,本年实际,,1
        企业2表,02,本年实际,999999,1
        企业2表,11,本年实际,110000,1
        企业2表,01,cur,,5
        企业2表,12,cur,,-1
        企业2表,13,cur,,1.1234567
        企业2表,14,cur,,1e20
        企业3表,01,cur,,1
        企业2表,15,cur,1
        """
        #expect(problems(text, form: "E2") == [
            "第3行：「12,3a」不是数字",
            "第4行：未知的指标代码「99」（企业2表的指标代码为 01–91）",
            "第5行：未知的栏目「本月」（栏目：cum 截至本年、cur 本年实际、prev 上年同期、next 下年预估，或“说明”）",
            "第6行：指标26（物联感知数据存储总量）没有“下年预估”栏（可填栏目：cum 截至本年、cur 本年实际、prev 上年同期）",
            "第7行：指标02（31省销售量）按分组填报，应填写分组代码（如 110000、120000）",
            "第8行：指标02（31省销售量）没有分组「999999」",
            "第9行：指标11（数据生产总量）不分组，分组应为空，而不是「110000」",
            "第10行：单元格 01:cur（产品全国销售量·本年实际）与第2行重复",
            "第11行：「-1」是负数，本项不能填负数",
            "第12行：「1.1234567」小数位数过多（最多6位）",
            "第13行：「1e20」数值过大（绝对值不能超过10的15次方）",
            "第14行：这一行是企业3表的数据，此处应上传企业2表",
            "第15行：应有5列（与表头相同），实有4列；含逗号的数值请加英文双引号，如 \"1,234.5\"",
        ])
    }

    @Test func oneFormPerFile() {
        let text = "表号,指标代码,栏目,分组,数值\nP2,01,cur,,1\nP3,01,cur,,1\n"
        #expect(problems(text) == ["第3行：表号「P3」与第2行的公共2表不同：一个文件只能包含一张表"])
    }

    @Test func unknownForm() {
        #expect(problems("表号,指标代码,栏目,分组,数值\n企业9表,01,cur,,1\n").first?.hasPrefix("第2行：未知的表号「企业9表」") == true)
    }

    @Test func header() {
        #expect(problems("表号,代码,数量\nE2,01,1\n") == [
            "第1行：未知的列名「数量」（可用：表号、指标代码、栏目、分组、数值、年份、统一社会信用代码）",
            "第1行：表头缺少“栏目”列（表头应为：表号,指标代码,栏目,分组,数值）",
            "第1行：表头缺少“数值”列（表头应为：表号,指标代码,栏目,分组,数值）",
        ])
        #expect(problems("") == ["文件为空，应有表头行“表号,指标代码,栏目,分组,数值”和数据行"])
        #expect(problems("表号,指标代码,栏目,分组,数值\n") == ["文件中没有数据行"])
    }

    @Test func quotes() {
        #expect(problems("表号,指标代码,栏目,分组,数值\nP2,01,cur,,\"1,5\nP2,02,cur,,1\n") == ["第2行：引号没有闭合（从本行开始的字段缺少右引号）"])
        #expect(problems("表号,指标代码,栏目,分组,数值\nP2,01,cur,,1\"5\n").first == "第2行：引号位置不对：含引号的字段应整体用英文双引号括起，字段内的引号写作两个（\"\"）")
        // A quoted field with a line break: the next record's line is counted right.
        let text = "表号,指标代码,栏目,分组,数值\nP2,01,说明,,\"第一行\n第二行\"\nP2,02,cur,,x\n"
        #expect(problems(text) == ["第4行：「x」不是数字"])
    }

    @Test func yearAndUnit() {
        let base = "表号,指标代码,栏目,分组,数值,年份,统一社会信用代码\n"
        #expect(problems(base + "P2,01,cur,,1,2026,\(unitCode)\n", year: 2025) == ["第2行：年份2026与本次上传的2025年不符"])
        #expect(problems(base + "P2,01,cur,,1,2024,\(unitCode)\n", year: nil) == ["第2行：2024年不在2026版制度适用的调查年份 2025–2027 内"])
        #expect(problems(base + "P2,01,cur,,1,2025,\(unitCode)\nP2,02,cur,,1,2026,\(unitCode)\n", year: nil)
            == ["第3行：年份2026与第2行的2025不同：一个文件只能包含一个年份"])
        #expect(problems("表号,指标代码,栏目,分组,数值\nP2,01,cur,,1\n", year: nil) == ["文件未注明调查年份（可加“年份”列），上传时也未指定"])
        let other = CreditCode.completing("91110000M00010000")
        let result = CSVUpload.read(base + "P2,01,cur,,1,2025,\(unitCode)\n", catalog: catalog, expecting: (nil, nil, other))
        #expect(result.problems.map(\.description) == ["第2行：统一社会信用代码 \(unitCode) 与当前单位 \(other) 不符"])
    }

    @Test func basicInformationLines() {
        let text = """
        表号,指标代码,栏目,分组,数值
        企业1表,105,,,北京
        企业1表,Q99,,,1
        企业1表,Q05.day,本年实际,,1
        企业1表,Q05.month,,,abc
        """
        #expect(problems(text) == [
            "第2行：项目105（单位所在地区划及详细地址）按分项填写，指标代码应为 105.province、105.prefecture、105.county、105.township、105.village、105.street、105.regionCode、105.urbanRuralCode",
            "第3行：未知的项目代码「Q99」（企业1表的项目：109、102、105、103、191、192、193、201、202、203、211、Q01、Q02、Q03、Q04、Q05、Q06、Q07、Q08、Q09、Q10、Q11、Q12、Q13、Q14、Q15、Q16）",
            "第4行：企业1表是基本情况表，栏目应为空，而不是「本年实际」",
            "第5行：「abc」不是数字",
        ])
    }
}

/// Issue #11, finding 7: uploads are read within `UploadLimits`, a record at a time.
@Suite("CSV upload limits")
struct CSVUploadLimitTests {
    let catalog = Shipped.catalog

    @Test func everyShippedFormFitsTheRowLimitWithRoomToSpare() {
        for form in catalog.catalog.forms {
            let compiled = Shipped.form(form.id)
            // One line per cell and per 情况说明, plus the header.
            let lines = compiled.layout.count + form.allIndicators.count + 1
            #expect(lines * 2 < UploadLimits.maximumRows, "\(form.id): \(lines) lines")
        }
    }

    @Test func problemsBeyondTheFirstHundredAreCountedNotListed() {
        var text = "表号,指标代码,栏目,分组,数值\n"
        for _ in 0..<500 { text += "P2,99,cur,,1\n" }   // an unknown code on every line
        let result = CSVUpload.read(text, catalog: catalog, expecting: ("P2", 2025, nil))
        #expect(!result.isUsable)
        #expect(result.problems.count == UploadLimits.maximumProblemsListed)
        #expect(result.problemCount == 500)
        #expect(result.truncationNote == "共 500 处问题，仅列出前 100 处")
        #expect(result.problems.first?.line == 2)
    }

    @Test func readingStopsAtTheRowLimitAndSaysSoFirst() {
        var text = "表号,指标代码,栏目,分组,数值\n"
        for _ in 0..<(UploadLimits.maximumRows + 10) { text += "P2,01,cur,,1\n" }
        let result = CSVUpload.read(text, catalog: catalog, expecting: ("P2", 2025, nil))
        #expect(result.problems.first?.code == "too_many_rows")
        #expect(result.problems.first?.line == UploadLimits.maximumRows + 1)
        #expect(result.problems.count == UploadLimits.maximumProblemsListed)
    }

    @Test func aLongFieldOrAWideLineStopsReadingWithTheLine() {
        let wide = CSVUpload.read("表号,指标代码,栏目,分组,数值\n" + String(repeating: ",", count: 100_000), catalog: catalog)
        #expect(wide.problems.map(\.code) == ["too_many_fields"])
        #expect(wide.problems.first?.line == 2)
        let long = CSVUpload.read("表号,指标代码,栏目,分组,数值\nP2,01,cur,,\"" + String(repeating: "长", count: 100_000) + "\"\n", catalog: catalog)
        #expect(long.problems.map(\.code) == ["field_too_long"])
        let messages = CSVUpload.read("表号,指标代码,栏目,分组,数值\n" + String(repeating: "x", count: 30_000) + ",01,cur,,1\n", catalog: catalog)
        #expect(messages.problems.allSatisfy { $0.message.count <= UploadLimits.maximumMessageCharacters + 1 }, "a quoted field is cut short")
    }

    @Test func aFileOverTheByteLimitIsRefusedUnread() {
        let bytes = [UInt8](repeating: UInt8(ascii: "1"), count: UploadLimits.maximumFileBytes + 1)
        #expect(CSVUpload.read(bytes: bytes, catalog: catalog).problems.map(\.code) == ["file_too_large"])
    }
}
