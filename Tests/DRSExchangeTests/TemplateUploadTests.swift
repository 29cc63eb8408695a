import DRSCore
@testable import DRSExchange
import Testing
import XLSXReader
import XLSXWriter

@Suite("Excel templates: reading a filled template back")
struct TemplateUploadTests {
    let catalog = Shipped.catalog
    static let numericForms = ["P2", "P3", "P4", "P5", "E2", "E3", "E4", "E5", "E6", "E7", "I1"]

    func template(_ id: String, year: Int? = 2025, unit: String? = unitCode, prefill: CellValues? = nil) -> FormTemplate {
        FormTemplate(form: Shipped.form(id), catalog: catalog, unitName: "测试单位", creditCode: unit, year: year, prefill: prefill)
    }

    func read(_ doc: XLSXDocument, form: String? = nil, year: Int? = 2025, unit: String? = unitCode) -> UploadResult {
        TemplateUpload.read(doc, catalog: catalog, expecting: (form, year, unit))
    }

    /// The single problem of an unusable upload.
    func onlyProblem(_ result: UploadResult, sourceLocation: SourceLocation = #_sourceLocation) -> UploadProblem? {
        #expect(!result.isUsable, sourceLocation: sourceLocation)
        #expect(result.submission == nil, sourceLocation: sourceLocation)
        #expect(result.problems.count == 1, "\(result.problems)", sourceLocation: sourceLocation)
        return result.problems.first
    }

    // MARK: Round trips

    @Test(arguments: numericForms)
    func roundTripOfEveryNumericForm(_ id: String) throws {
        let form = Shipped.form(id)
        let figures = SampleSubmissions.clean(form, seed: 7, profile: UnitProfile(telecomOperator: false, stateOwned: true, internetPlatform: true),
                                              units: Shipped.units)
        #expect(figures.filledCount > 0)
        let result = read(Simulated.document(template(id, prefill: figures)), form: id)
        #expect(result.problems.isEmpty, "\(result.problems.prefix(3))")
        let submission = try #require(result.submission)
        #expect(submission.formID == id)
        #expect(submission.year == 2025)
        #expect(submission.unit == unitCode)
        #expect(submission.values == figures)
        #expect(form.cellMap(submission.values) == form.cellMap(figures))
    }

    @Test func figuresTypedAsTextNumbersAndFullWidth() throws {
        let t = template("E2")
        var doc = Simulated.document(t)
        doc.fill(t, [
            "11:cum": .text("1,234.5"),
            "11:cur": .number("300"),
            "11:prev": .text("１２３４．５"),
            "12:cur": .number("12.300000000000001"),   // what Excel writes for a typed 12.3
            "13:cur": .number("1.5E3"),
            "29:cur": .text("45%"),
            "02:cur@110000": .number("15"),
            "02:prev@650000": .text(" 7 "),
            "14:cur": .text("   "),                      // blank: empty
        ])
        doc.fill(t, ["11": .text("新建数据中心投产，数据生产量大幅增加")], kind: .explanation)
        let result = read(doc, form: "E2")
        #expect(result.problems.isEmpty, "\(result.problems)")
        let s = try #require(result.submission)
        let form = Shipped.form("E2")
        #expect(form.cellMap(s.values) == ["11:cum": "1234.5", "11:cur": "300", "11:prev": "1234.5", "12:cur": "12.3", "13:cur": "1500",
                                           "29:cur": "45", "02:cur@110000": "15", "02:prev@650000": "7"])
        #expect(s.explanations == ["11": "新建数据中心投产，数据生产量大幅增加"])
    }

    @Test func anEmptyTemplateIsAnEmptySubmission() throws {
        let result = read(Simulated.document(template("P3")), form: "P3")
        let s = try #require(result.submission)
        #expect(s.values.filledCount == 0)
        #expect(s.explanations.isEmpty && s.answers.isEmpty)
    }

    @Test func basicInformationRoundTrip() throws {
        let form = Shipped.form("E1")
        let answers: [String: JSONValue] = [
            "109": .string(unitCode),
            "102": .string("某某科技有限公司"),
            "105": .object([("province", .string("福建省")), ("regionCode", .string("350102001001")), ("urbanRuralCode", .string("111"))]),
            "191": .string("2"),
            "192": .object([("total", .string("120")), ("female", .string("45"))]),
            "193": .object([("operatingProfit", .string("-1500.5"))]),
            "202": .string("2015-06"),
            "Q04": .array([.string("1"), .object([("code", .string("4")), ("text", .string("边缘节点"))])]),
            "Q05": .object([("day", .string("10")), ("month", .string("20")), ("year", .string("40")), ("long", .string("30"))]),
            "Q07": .array([.string("4")]),
        ]
        let t = FormTemplate(form: form, catalog: catalog, creditCode: unitCode, year: 2025, answers: answers)
        let result = read(Simulated.document(t), form: "E1")
        #expect(result.problems.isEmpty, "\(result.problems)")
        let s = try #require(result.submission)
        #expect(s.answers.count == answers.count)
        for (code, answer) in answers { #expect(s.answers[code] == answer, "\(code): \(String(describing: s.answers[code]))") }
        #expect(form.cellMap(s.values) == ["192.total:value": "120", "192.female:value": "45", "193.operatingProfit:value": "-1500.5",
                                           "Q05.day:value": "10", "Q05.month:value": "20", "Q05.year:value": "40", "Q05.long:value": "30"])
        // The answers read back pass the format checks of the core.
        let violations = BasicInfoChecker.check(s.answers, form: form, codeLists: catalog.catalog.codeLists)
        #expect(!violations.contains { $0.message.contains("选项") || $0.message.contains("年月") }, "\(violations.map(\.message))")
    }

    @Test func basicInformationAsPeopleTypeIt() throws {
        let t = FormTemplate(form: Shipped.form("E1"), catalog: catalog, year: 2025)
        var doc = Simulated.document(t)
        doc.fill(t, [
            "191": .number("2"),                      // a choice typed as a number
            "211": .text("企业"),                     // a choice typed as its label
            "Q01": .text("2 否"),                     // as listed in the note
            "Q04": .text("1、3，4：边缘节点"),          // several, one with its text, full-width colon
            "Q06": .text("1 2 5"),
            "202": .date("42156"),                    // 2015-06-01 typed as a date
            "203.areaCode": .number("591"),           // 0591 after Excel dropped the zero
            "203.postcode": .number("10000"),         // 010000
            "103.industryCode": .number("111"),       // 0111
            "105.regionCode": .number("1.10108001001E+11"),
            "Q05.day": .text("25%"),
        ])
        let result = read(doc, form: "E1", unit: nil)
        #expect(result.problems.isEmpty, "\(result.problems)")
        let s = try #require(result.submission)
        #expect(s.answers["191"] == .string("2"))
        #expect(s.answers["211"] == .string("10"))
        #expect(s.answers["Q01"] == .string("2"))
        #expect(s.answers["Q04"] == .array([.string("1"), .string("3"), .object([("code", .string("4")), ("text", .string("边缘节点"))])]))
        #expect(s.answers["Q06"] == .array([.string("1"), .string("2"), .string("5")]))
        #expect(s.answers["202"] == .string("2015-06"))
        #expect(s.answers["203"] == .object([("areaCode", .string("0591")), ("postcode", .string("010000"))]))
        #expect(s.answers["103"] == .object([("industryCode", .string("0111"))]))
        #expect(s.answers["105"] == .object([("regionCode", .string("110108001001"))]))
        #expect(s.answers["Q05"] == .object([("day", .string("25"))]))
        #expect(s.unit == nil)
    }

    @Test func datesOfA1904Workbook() throws {
        let t = FormTemplate(form: Shipped.form("E1"), catalog: catalog, year: 2025)
        var doc = Simulated.document(t)
        doc.date1904 = true
        doc.fill(t, ["202": .date("40694")])  // 2015-06-01 counted from 1904-01-01
        let s = try #require(read(doc, form: "E1", unit: nil).submission)
        #expect(s.answers["202"] == .string("2015-06"))
        doc.fill(t, ["202": .date("2015-06-01")])  // a `t="d"` cell
        #expect(try #require(read(doc, form: "E1", unit: nil).submission).answers["202"] == .string("2015-06"))
    }

    @Test func publicBasicInformationRoundTrip() throws {
        let answers: [String: JSONValue] = [
            "109": .string(unitCode), "S01": .string("1"),
            "S03": .array([.string("1"), .object([("code", .string("6")), ("text", .string("基金会"))])]),
            "S04": .object([("industry1", .string("软件")), ("industryCodes", .array([.string("65"), .string("64")]))]),
            "S05": .object([("answer", .string("1")), ("description", .string("开展了全省数据资源调查"))]),
        ]
        let t = FormTemplate(form: Shipped.form("P1"), catalog: catalog, creditCode: unitCode, year: 2025, answers: answers)
        let s = try #require(read(Simulated.document(t), form: "P1").submission)
        for (code, answer) in answers { #expect(s.answers[code] == answer, "\(code)") }
    }

    // MARK: Identity of the template

    @Test func identify() throws {
        let info = try #require(TemplateUpload.identify(Simulated.document(template("E4"))))
        #expect(info.formID == "E4" && info.edition == "2026" && info.year == 2025 && info.creditCode == unitCode && info.sheet == "企业4表")
        #expect(TemplateUpload.identify(XLSXDocument(sheets: [XLSXSheet(name: "Sheet1")])) == nil)
    }

    @Test func aWorkbookWithoutMarkersIsRefused() throws {
        var doc = Simulated.document(template("E2"))
        doc.sheets.removeAll { $0.name == "_drs" }
        let p = try #require(onlyProblem(read(doc)))
        #expect(p.code == "not_a_template")
        #expect(p.message.hasPrefix("不是本平台下载的模板，或已被改动到无法识别"))
        #expect(p.description == p.message)
    }

    @Test func unreadableMarkersAreRefused() throws {
        var doc = Simulated.document(template("E2"))
        doc[sheet: "_drs"].cells[XLSXCellPosition(row: 1, column: 1)] = .text("something else")
        var p = try #require(onlyProblem(read(doc)))
        #expect(p.code == "not_a_template" && p.message.hasPrefix("不是本平台下载的模板，或已被改动到无法识别"))

        doc = Simulated.document(template("E2"))
        doc[sheet: "_drs"].cells[XLSXCellPosition(row: 12, column: 4)] = .text("not an address")
        p = try #require(onlyProblem(read(doc)))
        #expect(p.code == "not_a_template")

        doc = Simulated.document(template("E2"))
        doc[sheet: "_drs"].cells[XLSXCellPosition(row: 2, column: 2)] = .text("9")
        p = try #require(onlyProblem(read(doc)))
        #expect(p.code == "unsupported_format")
    }

    @Test func redirectedMarkersAreRefused() throws {
        // Someone points 01:cum elsewhere in the hidden sheet: the lines no longer match their fingerprint.
        let t = template("P2")
        var doc = Simulated.document(t)
        let drs = doc[sheet: "_drs"]
        let line = try #require(drs.cells.first { $0.value == .text("01:cum") }?.key.row)
        doc[sheet: "_drs"].cells[XLSXCellPosition(row: line, column: 4)] = .text("Z99")
        let p = try #require(onlyProblem(read(doc)))
        #expect(p.code == "markers_altered")
        #expect(p.message.contains("不是本平台下载的模板，或已被改动到无法识别"))
    }

    @Test func wrongForm() throws {
        let p = try #require(onlyProblem(read(Simulated.document(template("E2")), form: "E3")))
        #expect(p.code == "wrong_form")
        #expect(p.message == "这是企业2表的模板，此处应上传企业3表")
    }

    @Test func wrongYear() throws {
        let p = try #require(onlyProblem(read(Simulated.document(template("E2", year: 2025)), year: 2026)))
        #expect(p.code == "wrong_year")
        #expect(p.message == "这是2025年的模板，此处应上传2026年的数据")
    }

    @Test func yearFromTheUploadWhenTheTemplateHasNone() throws {
        let doc = Simulated.document(template("E2", year: nil))
        #expect(try #require(read(doc, year: 2026).submission).year == 2026)
        let p = try #require(onlyProblem(read(doc, year: nil)))
        #expect(p.code == "missing_year")
        let q = try #require(onlyProblem(read(Simulated.document(template("E2", year: 2031)), year: nil)))
        #expect(q.code == "year_not_covered")
    }

    @Test func wrongUnit() throws {
        let other = CreditCode.completing("91110000M00010000")
        let p = try #require(onlyProblem(read(Simulated.document(template("E2")), unit: other)))
        #expect(p.code == "wrong_unit")
        #expect(p.message.contains(unitCode) && p.message.contains(other))
        // The same code typed in lower case is the same unit; a template without a unit fits any.
        #expect(read(Simulated.document(template("E2")), unit: unitCode.lowercased()).isUsable)
        #expect(try #require(read(Simulated.document(template("E2", unit: nil)), unit: other).submission).unit == other)
    }

    @Test func anotherCatalogEdition() throws {
        var doc = Simulated.document(template("E2"))
        doc[sheet: "_drs"].cells[XLSXCellPosition(row: 4, column: 2)] = .text("2023")
        let p = try #require(onlyProblem(read(doc)))
        #expect(p.code == "other_edition")
        #expect(p.message.contains("2023版") && p.message.contains("2026版") && p.message.contains("请重新下载模板"))
    }

    @Test func aChangedFormInTheSameEdition() throws {
        // The catalog was updated (E2 row 26 gets a 下年预估 column): an old template no longer fits.
        var changed = catalog.catalog
        let index = changed.forms.firstIndex { $0.id == "E2" }!
        var indicators = changed.forms[index].indicators!
        indicators[indicators.firstIndex { $0.code == "26" }!].columns.append("next")
        changed.forms[index].indicators = indicators
        let newCatalog = try CompiledCatalog(changed)
        let result = TemplateUpload.read(Simulated.document(template("E2")), catalog: newCatalog, expecting: ("E2", 2025, unitCode))
        let p = try #require(onlyProblem(result))
        #expect(p.code == "layout_changed")
        #expect(p.message.contains("请重新下载模板"))
    }

    @Test func aRenamedSheet() throws {
        var doc = Simulated.document(template("E2"))
        doc.sheets[0].name = "Sheet1"
        let p = try #require(onlyProblem(read(doc)))
        #expect(p.code == "sheet_missing" && p.message.contains("企业2表"))
    }

    // MARK: Rows and columns

    /// The sheet with row `row` deleted (everything below moves up).
    func deletingRow(_ row: Int, of sheet: XLSXSheet) -> XLSXSheet {
        var s = sheet
        s.cells = [:]
        for (p, v) in sheet.cells where p.row != row {
            s.cells[XLSXCellPosition(row: p.row > row ? p.row - 1 : p.row, column: p.column)] = v
        }
        s.merges = []
        return s
    }

    /// The sheet with an empty column inserted before `column`.
    func insertingColumn(_ column: Int, into sheet: XLSXSheet) -> XLSXSheet {
        var s = sheet
        s.cells = [:]
        for (p, v) in sheet.cells { s.cells[XLSXCellPosition(row: p.row, column: p.column >= column ? p.column + 1 : p.column)] = v }
        s.merges = []
        return s
    }

    @Test func aDeletedRowIsNamed() throws {
        let t = template("E2")
        var doc = Simulated.document(t)
        let row12 = XLSXDocument.position(t, "12:cur").row
        doc[sheet: "企业2表"] = deletingRow(row12, of: doc[sheet: "企业2表"])
        let result = read(doc)
        #expect(!result.isUsable)
        let first = try #require(result.problems.first)
        #expect(first.code == "row_moved")
        #expect(first.cell == "B\(row12)")
        #expect(first.description == "Sheet 企业2表 单元格 B\(row12)：此处应为“12 设备设施采集数据总量”的代码“12”，现为“13”：表格的行被移动、插入或删除，请恢复原样或重新下载模板")
        #expect(result.problems.count == TemplateUpload.maximumLayoutProblems + 1)
        #expect(result.problems.last?.code == "layout_moved_more")
    }

    @Test func swappedRowsAreNamed() throws {
        let t = template("P2")
        var doc = Simulated.document(t)
        let r1 = XLSXDocument.position(t, "16:cur").row, r2 = XLSXDocument.position(t, "17:cur").row
        var sheet = doc[sheet: "公共2表"]
        for c in 1...7 {
            let a = sheet.cells[XLSXCellPosition(row: r1, column: c)], b = sheet.cells[XLSXCellPosition(row: r2, column: c)]
            sheet.cells[XLSXCellPosition(row: r1, column: c)] = b
            sheet.cells[XLSXCellPosition(row: r2, column: c)] = a
        }
        doc[sheet: "公共2表"] = sheet
        let result = read(doc)
        #expect(result.problems.map(\.cell) == ["B\(r1)", "B\(r2)"])
        #expect(result.problems.allSatisfy { $0.code == "row_moved" })
        #expect(result.problems[0].message.contains("“16 公共数据开放总量”的代码“16”，现为“17”"))
    }

    @Test func anInsertedColumnIsNamed() throws {
        let t = template("P2")
        var doc = Simulated.document(t)
        doc[sheet: "公共2表"] = insertingColumn(5, into: doc[sheet: "公共2表"])
        let result = read(doc)
        let first = try #require(result.problems.first)
        #expect(first.code == "column_moved")
        #expect(first.cell == "E8")
        #expect(first.message.hasPrefix("此处应为表头“本年实际”，现为空白：表格的列被移动、插入或删除"))
    }

    @Test func aDeletedColumnIsNamed() throws {
        let t = template("E4")
        var doc = Simulated.document(t)
        var sheet = doc[sheet: "企业4表"]
        let column = XLSXDocument.position(t, "01:cur@C").column
        var moved: [XLSXCellPosition: XLSXCellValue] = [:]
        for (p, v) in sheet.cells where p.column != column {
            moved[XLSXCellPosition(row: p.row, column: p.column > column ? p.column - 1 : p.column)] = v
        }
        sheet.cells = moved
        sheet.merges = []
        doc[sheet: "企业4表"] = sheet
        let first = try #require(read(doc).problems.first)
        #expect(first.code == "column_moved")
        #expect(first.message.contains("此处应为表头“制造业”，现为“电力、热力、燃气及水生产和供应业”"))
    }

    @Test func aCodeRetypedAsANumberIsStillItsCode() throws {
        let t = template("P2")
        var doc = Simulated.document(t)
        let r = XLSXDocument.position(t, "01:cur").row
        doc[sheet: "公共2表"].cells[XLSXCellPosition(row: r, column: 2)] = .number("1")
        #expect(read(doc).isUsable)
    }

    // MARK: Cells

    func problem(in id: String, _ key: String, _ value: XLSXCellValue, kind: TemplateMarker.Kind = .cell) throws -> (UploadProblem, String) {
        let t = template(id)
        var doc = Simulated.document(t)
        doc.fill(t, [key: value], kind: kind)
        let p = try #require(onlyProblem(read(doc)))
        let address = t.markers.first { $0.kind == kind && $0.key == key }!.address
        #expect(p.cell == address)
        #expect(p.sheet == t.sheetName)
        return (p, address)
    }

    @Test func textThatIsNotANumber() throws {
        let (p, address) = try problem(in: "E2", "14:cur", .text("12,3a"))
        #expect(p.code == "not_a_number")
        #expect(p.description == "Sheet 企业2表 单元格 \(address)：「12,3a」不是数字")
        #expect(p.subject == "14 数据存储总空间·本年实际")
        #expect(p.inputProblem == InputProblem(path: "企业2表!\(address)", code: "not_a_number", message: "「12,3a」不是数字"))
    }

    @Test func misplacedGrouping() throws {
        let (p, _) = try problem(in: "E2", "14:cur", .text("1,23"))
        #expect(p.code == "misplaced_grouping")
        #expect(p.message == NumberInput.Problem.misplacedGrouping("1,23").message)
    }

    @Test func negativeNumbers() throws {
        let (p, address) = try problem(in: "P2", "01:cur", .number("-5"))
        #expect(p.code == "negative")
        #expect(p.description == "Sheet 公共2表 单元格 \(address)：「-5」是负数，本项不能填负数")
        // 营业利润 may be negative.
        let t = FormTemplate(form: Shipped.form("E1"), catalog: catalog, year: 2025)
        var doc = Simulated.document(t)
        doc.fill(t, ["193.operatingProfit": .number("-12.5")])
        #expect(read(doc, form: "E1", unit: nil).isUsable)
    }

    @Test func tooManyDecimals() throws {
        let (p, _) = try problem(in: "P2", "01:cur", .text("1.1234567"))
        #expect(p.code == "too_many_decimals")
        #expect(p.message == "「1.1234567」小数位数过多（最多6位）")
        let (q, _) = try problem(in: "P2", "01:cur", .number("0.1234567"))
        #expect(q.code == "too_many_decimals")
    }

    @Test func hugeNumbers() throws {
        let (p, _) = try problem(in: "P2", "01:cur", .number("1E+20"))
        #expect(p.code == "too_large")
        #expect(p.message == "「1E+20」数值过大（绝对值不能超过10的15次方）")
    }

    @Test func formulas() throws {
        let (p, address) = try problem(in: "E2", "11:cur", .formula("SUM(E20:E22)", cached: "42"))
        #expect(p.code == "formula")
        #expect(p.description == "Sheet 企业2表 单元格 \(address)：是公式，请复制后“选择性粘贴为数值”（公式：=SUM(E20:E22)）")
        let (q, _) = try problem(in: "E2", "11", .formula("A1", cached: nil), kind: .explanation)
        #expect(q.code == "formula")
    }

    @Test func datesInFigureCells() throws {
        let (p, _) = try problem(in: "E2", "11:cur", .date("45658"))
        #expect(p.code == "date")
        #expect(p.message == "是日期格式（显示为 2025-01-01），不是数值：请把单元格格式改为“常规”或“数值”后重新输入")
    }

    @Test func otherKindsOfCell() throws {
        let (p, _) = try problem(in: "E2", "11:cur", .boolean(true))
        #expect(p.message == "「TRUE」不是数字")
        let (q, _) = try problem(in: "E2", "11:cur", .error("#DIV/0!"))
        #expect(q.code == "error_value" && q.message == "是错误值 #DIV/0!，不是数字")
    }

    @Test func valuesInGreyCells() throws {
        let (p, address) = try problem(in: "E2", "26:next", .number("12"), kind: .closed)
        #expect(p.code == "not_applicable")
        #expect(p.description == "Sheet 企业2表 单元格 \(address)：灰色单元格不填（指标26（物联感知数据存储总量）没有“下年预估”栏），请删除其中的“12”")
        let (q, _) = try problem(in: "E2", "02:cur", .number("1500"), kind: .closed)
        #expect(q.message.contains("按分组分行填写"))
        // Dashes in a grey cell are fine.
        let t = template("E2")
        var doc = Simulated.document(t)
        doc.fill(t, ["26:next": .text("—"), "27:next": .text("---")], kind: .closed)
        #expect(read(doc).isUsable)
    }

    @Test func mergedCellsOverInputCells() throws {
        let t = template("P2")
        var doc = Simulated.document(t)
        let a = XLSXDocument.position(t, "01:cum"), b = XLSXDocument.position(t, "01:cur")
        doc[sheet: "公共2表"].merges.append(XLSXRange(first: a, last: b))
        let p = try #require(onlyProblem(read(doc)))
        #expect(p.code == "merged")
        #expect(p.cell == "D\(a.row):E\(a.row)")
        #expect(p.message == "合并单元格 D\(a.row):E\(a.row) 覆盖了填报单元格 D\(a.row)、E\(a.row)，请取消合并后重新填写")
    }

    @Test func everyBadCellIsListedInSheetOrder() throws {
        let t = template("P2")
        var doc = Simulated.document(t)
        doc.fill(t, ["20:cur": .text("abc"), "01:cur": .number("-1"), "05:prev": .formula("1+1", cached: "2"), "10:cum": .text("9")])
        let result = read(doc)
        #expect(result.problems.map(\.code) == ["negative", "formula", "not_a_number"])
        #expect(result.submission == nil)
    }

    @Test func gridsRoundTripWithTypedText() throws {
        let t = template("P5")
        var doc = Simulated.document(t)
        doc.fill(t, ["01:cur@000000": .number("3"), "01:cur@110000": .text("1"), "01:cur@660000": .text("２"), "04:prev@650000": .number("9")])
        let s = try #require(read(doc, form: "P5").submission)
        #expect(Shipped.form("P5").cellMap(s.values) == ["01:cur@000000": "3", "01:cur@110000": "1", "01:cur@660000": "2", "04:prev@650000": "9"])
    }
}
