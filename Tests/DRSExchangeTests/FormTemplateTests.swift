import DRSCore
@testable import DRSExchange
import Testing
import XLSXReader
import XLSXWriter

@Suite("Excel templates: layout and markers")
struct FormTemplateTests {
    static let formIDs = ["P1", "P2", "P3", "P4", "P5", "E1", "E2", "E3", "E4", "E5", "E6", "E7", "I1"]

    @Test func theCatalogHasTheThirteenForms() {
        #expect(Shipped.catalog.orderedForms.map(\.form.id) == Self.formIDs)
    }

    /// The keys a form's input cells must have: every layout cell, and for basic-information forms
    /// every answer (text and choices too).
    static func expectedInputKeys(_ form: CompiledForm) -> [String] {
        switch form.form.kind {
        case .basicInfo: AnswerField.all(form.form).flatMap(\.fields).map(\.path)
        case .indicators, .grid: form.layout.cells.map(\.key.description)
        }
    }

    @Test(arguments: formIDs)
    func markersCoverEveryInputCellExactlyOnce(_ id: String) throws {
        let form = Shipped.form(id)
        let template = FormTemplate(form: form, catalog: Shipped.catalog, unitName: "测试单位", creditCode: unitCode, year: 2025)
        let markers = template.markers
        let inputKeys = markers.filter { $0.kind == .cell }.map(\.key)
        let expected = Self.expectedInputKeys(form)
        #expect(inputKeys.count == Set(inputKeys).count, "an input key is marked twice")
        #expect(Set(inputKeys) == Set(expected))
        #expect(inputKeys.count == expected.count)
        // Every numeric layout cell (basic-information fields: `Q05.day:value`) is an input cell.
        let keySet = Set(inputKeys)
        for cell in form.layout.cells {
            let key = form.form.kind == .basicInfo ? cell.key.code : cell.key.description
            #expect(keySet.contains(key), "\(id): \(cell.key) has no input cell")
        }
        // No two markers share a place, all on the form's sheet, all valid addresses.
        let places = markers.map { "\($0.sheet)!\($0.address)" }
        #expect(places.count == Set(places).count, "two markers share a cell")
        #expect(markers.allSatisfy { $0.sheet == form.form.tableNumber && CellAddress($0.address) != nil })
        // The template's own merges never cover an input cell.
        let sheet = template.workbook().sheets[0]
        for m in markers where m.kind == .cell || m.kind == .explanation {
            let a = CellAddress(m.address)!
            #expect(!sheet.merges.contains { $0.rows.contains(a.row) && $0.columns.contains(a.column) }, "\(id): \(m.key) is merged")
        }
    }

    @Test(arguments: formIDs)
    func everyTemplateIsAnXLSXFile(_ id: String) throws {
        let template = FormTemplate(form: Shipped.form(id), catalog: Shipped.catalog, year: 2025)
        let bytes = try template.bytes(created: "2026-01-05T09:00:00+08:00")
        #expect(bytes.count > 2000)
        #expect(Array(bytes.prefix(2)) == [0x50, 0x4B])  // PK
        let workbook = template.workbook()
        #expect(workbook.sheets.map(\.name) == [Shipped.form(id).form.tableNumber, "_drs"])
        #expect(workbook.sheets[1].setup.visibility == .veryHidden)
        #expect(workbook.sheets[0].setup.visibility == .visible)
    }

    @Test func markersSheetNamesTheTemplate() throws {
        let template = FormTemplate(form: Shipped.form("E2"), catalog: Shipped.catalog, creditCode: unitCode, year: 2025)
        let doc = Simulated.document(template)
        let markers = doc[sheet: "_drs"]
        #expect(markers.visibility == .veryHidden)
        #expect(markers[1, 1] == .text("drs-template"))
        #expect(markers[2, 1] == .text("format") && markers[2, 2] == .text("1"))
        #expect(markers[3, 2] == .text("E2") && markers[3, 3] == .text("企业2表"))
        #expect(markers[4, 2] == .text("2026"))
        #expect(markers[6, 2] == .text("2025"))
        #expect(markers[7, 2] == .text(unitCode))
        #expect(markers[8, 2] == .text("企业2表"))
        let (info, lines) = try MarkerSheet.read(doc)
        #expect(info == template.info)
        #expect(lines == template.markers)
        #expect(info.layout == MarkerSheet.fingerprint(lines))
    }

    @Test func indicatorsLayoutE2() throws {
        let form = Shipped.form("E2")
        let template = FormTemplate(form: form, catalog: Shipped.catalog, unitName: "中国某某集团有限公司", creditCode: unitCode, year: 2025)
        let doc = Simulated.document(template)
        let sheet = doc[sheet: "企业2表"]
        #expect(sheet[1, 1] == .text("中央企业数据资源调查表"))
        let texts = Set(sheet.cells.values.compactMap { if case .text(let s) = $0 { s } else { nil } })
        for line in ["表\u{3000}\u{3000}号：企业2表", "制定机关：国家数据局", "批准机关：国家统计局", "批准文号：国统制〔2026〕37号",
                     "有效期至：2029年2月", "统一社会信用代码：\(unitCode)", "单位详细名称：中国某某集团有限公司", "调查年份：2025年"] {
            #expect(texts.contains(line), "missing \(line)")
        }
        // Column heads: 指标名称, 代码, 计量单位, the form's columns, 情况说明; then 甲 乙 丙 1 2 3 4.
        let heads = (1...8).map { sheet[8, $0] }
        #expect(heads == ["指标名称", "代码", "计量单位", "截至本年", "本年实际", "上年同期", "下年预估", "情况说明"].map { .text($0) })
        #expect((1...7).map { sheet[9, $0] } == ["甲", "乙", "丙", "1", "2", "3", "4"].map { .text($0) })
        // Part and section headings, with who fills them.
        #expect(texts.contains("产品数据情况（运营商企业无需填写）"))
        #expect(texts.contains("企业数据情况"))
        #expect(texts.contains("二、数据存储"))
        #expect(texts.contains("运营商企业（仅运营商企业填写）"))
        // Sub-items are indented.
        #expect(texts.contains("\u{3000}\u{3000}设备设施采集数据总量"))
        // 26 has no 下年预估: grey.
        let closed = template.markers.filter { $0.kind == .closed }
        #expect(closed.contains { $0.key == "26:next" && $0.label.contains("没有“下年预估”栏") })
        #expect(!template.markers.contains { $0.kind == .cell && $0.key == "26:next" })
        // 31省销售量 (02): the row itself is grey, one sub-row per province with cur and prev open.
        #expect(closed.contains { $0.key == "02:cur" })
        let beijing = XLSXDocument.position(template, "02:cur@110000")
        #expect(sheet[beijing.row, 2] == .text("110000"))
        #expect(sheet[beijing.row, 1] == .text("\u{3000}\u{3000}北京市"))
        #expect(closed.contains { $0.key == "02:cum@110000" })
        #expect(template.markers.filter { $0.kind == .row && $0.key.hasPrefix("02@") }.count == 31)
        // The 代码 cell of each indicator row is marked.
        let row11 = template.markers.first { $0.kind == .row && $0.key == "11" }!
        #expect(row11.expected == "11" && row11.address.hasPrefix("B"))
        let cur11 = CellAddress(template.markers.first { $0.key == "11:cur" }!.address)!
        #expect(cur11.row == CellAddress(row11.address)!.row && cur11.column == 5)
        // The explanation cell of the row.
        #expect(template.markers.contains { $0.kind == .explanation && $0.key == "11" && $0.address == "H\(cur11.row)" })
        // The signature block.
        #expect(texts.contains { $0.hasPrefix("单位负责人：") && $0.contains("统计负责人：") && $0.contains("填表人：") })
        #expect(texts.contains { $0.hasPrefix("联系电话：") && $0.contains("报出日期：") })
        #expect(texts.contains("填报说明："))
    }

    @Test func greyCellsHaveTheNotApplicableStyleAndInputsTheNumberStyle() {
        let template = FormTemplate(form: Shipped.form("E2"), catalog: Shipped.catalog)
        let sheet = template.workbook().sheets[0]
        func cell(_ address: String) -> Cell {
            let a = CellAddress(address)!
            let row = sheet.rows[a.row - 1].cells
            return a.column <= row.count ? row[a.column - 1] : .empty
        }
        for m in template.markers where m.kind == .closed { #expect(cell(m.address).style == .notApplicable, "\(m.key)") }
        for m in template.markers where m.kind == .cell { #expect(cell(m.address).style == .number(), "\(m.key)") }
    }

    @Test func gridE4IsIndicatorsBySectionsPerYear() {
        let form = Shipped.form("E4")
        let template = FormTemplate(form: form, catalog: Shipped.catalog, year: 2025)
        let doc = Simulated.document(template)
        let sheet = doc[sheet: "企业4表"]
        let texts = Set(sheet.cells.values.compactMap { if case .text(let s) = $0 { s } else { nil } })
        #expect(texts.contains("本年实际（2025年）") && texts.contains("上年同期（2024年）"))
        // Same row for one indicator across sections; the sections in code-list order across.
        let a = XLSXDocument.position(template, "01:cur@A"), t = XLSXDocument.position(template, "01:cur@T")
        #expect(a.row == t.row && t.column == a.column + 19)
        #expect(sheet[a.row, 2] == .text("01"))
        // The header above holds the section names and printed column numbers.
        let headA = template.markers.first { $0.kind == .head && $0.key == "cur/A" }!
        #expect(headA.expected == "农、林、牧、渔业")
        #expect(template.markers.first { $0.kind == .head && $0.key == "cur/T#" }!.expected == "20")
        // The 上年同期 block lies below the 本年实际 block.
        let prev = XLSXDocument.position(template, "01:prev@A")
        #expect(prev.row > XLSXDocument.position(template, "20:cur@A").row && prev.column == a.column)
        #expect(template.markers.filter { $0.kind == .cell }.count == 20 * 20 * 2)
    }

    @Test func gridP5IsRegionsByIndicatorsPerYear() {
        let form = Shipped.form("P5")
        let template = FormTemplate(form: form, catalog: Shipped.catalog, year: 2025)
        let sheet = Simulated.document(template)[sheet: "公共5表"]
        let total = XLSXDocument.position(template, "01:cur@000000")
        #expect(sheet[total.row, 1] == .text("全国") && sheet[total.row, 2] == .text("000000"))
        let beijing = XLSXDocument.position(template, "01:cur@110000")
        #expect(beijing.row == total.row + 1 && beijing.column == total.column)
        #expect(XLSXDocument.position(template, "04:cur@000000") == XLSXCellPosition(row: total.row, column: total.column + 3))
        let bingtuan = XLSXDocument.position(template, "01:cur@660000")
        #expect(sheet[bingtuan.row, 2] == .text("660000"))
        #expect(template.markers.filter { $0.kind == .cell }.count == 4 * 33 * 2)
        #expect(template.markers.first { $0.kind == .head && $0.key == "cur/01" }!.expected == "已备案网络系统总数（个）")
    }

    @Test func basicInformationIsItemAndAnswer() {
        let form = Shipped.form("E1")
        let template = FormTemplate(form: form, catalog: Shipped.catalog, unitName: "某某科技有限公司", creditCode: unitCode, year: 2025)
        let sheet = Simulated.document(template)[sheet: "企业1表"]
        #expect((1...4).map { sheet[8, $0] } == ["代码", "项目", "填报内容", "填写说明"].map { .text($0) })
        // 109 and 102 are filled from the unit.
        let code = XLSXDocument.position(template, "109")
        #expect(sheet[code.row, code.column] == .text(unitCode))
        #expect(sheet[code.row, 1] == .text("109"))
        let name = XLSXDocument.position(template, "102")
        #expect(sheet[name.row, name.column] == .text("某某科技有限公司"))
        // A group: heading row with a grey answer cell, then one row per field keyed 105.regionCode.
        #expect(template.markers.contains { $0.kind == .closed && $0.key == "105" })
        let region = XLSXDocument.position(template, "105.regionCode")
        #expect(sheet[region.row, 1] == .text("105.regionCode"))
        #expect(sheet[region.row, 2] == .text("\u{3000}\u{3000}区划代码"))
        // Options listed in the note.
        let q07 = XLSXDocument.position(template, "Q07")
        guard case .text(let note)? = sheet[q07.row, 4] else { Issue.record("no note"); return }
        #expect(note.contains("多选") && note.contains("1 存货") && note.contains("4 无") && note.contains("选“4 无”时不能再选其他项"))
        let q04 = XLSXDocument.position(template, "Q04")
        guard case .text(let note4)? = sheet[q04.row, 4] else { Issue.record("no note"); return }
        #expect(note4.contains("选“4 其他”时请写作 4:具体内容"))
        let industry = XLSXDocument.position(template, "103.industryCode")
        guard case .text(let note5)? = sheet[industry.row, 4] else { Issue.record("no note"); return }
        #expect(note5.contains("调查单位免填"))
    }

    @Test func prefilledFiguresAreWrittenAsNumbers() {
        let form = Shipped.form("P2")
        let prefill = values(form, ["01:prev": "1234.5", "15:prev": "12.25"])
        let template = FormTemplate(form: form, catalog: Shipped.catalog, year: 2025, prefill: prefill, explanations: ["01": "新建政务云"])
        let doc = Simulated.document(template)
        let p = XLSXDocument.position(template, "01:prev")
        #expect(doc[sheet: "公共2表"][p.row, p.column] == .number("1234.5"))
        let e = XLSXDocument.position(template, "01", kind: .explanation)
        #expect(doc[sheet: "公共2表"][e.row, e.column] == .text("新建政务云"))
        let empty = XLSXDocument.position(template, "01:cur")
        #expect(doc[sheet: "公共2表"][empty.row, empty.column] == nil)
    }

    @Test func theLayoutDoesNotDependOnUnitYearOrPrefill() {
        let form = Shipped.form("E6")
        let blank = FormTemplate(form: form, catalog: Shipped.catalog)
        let full = FormTemplate(form: form, catalog: Shipped.catalog, unitName: "某某", creditCode: unitCode, year: 2026,
                                prefill: SampleSubmissions.clean(form, seed: 3, units: Shipped.units))
        #expect(blank.markers == full.markers)
        #expect(blank.info.layout == full.info.layout)
        #expect(FormTemplate(form: Shipped.form("E7"), catalog: Shipped.catalog).info.layout != blank.info.layout)
    }

    @Test func suggestedFileName() {
        let t = FormTemplate(form: Shipped.form("E2"), catalog: Shipped.catalog, creditCode: unitCode, year: 2025)
        #expect(t.suggestedFileName == "企业2表_2025_\(unitCode).xlsx")
    }
}
