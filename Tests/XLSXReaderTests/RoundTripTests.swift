import XCTest
import XLSXReader
import XLSXWriter

/// Workbooks written by XLSXWriter and by openpyxl, read back.
final class RoundTripTests: XCTestCase {
    static func writerWorkbook(compression: ZipCompression) -> Workbook {
        var sheet = Sheet(name: "汇总表/2025", setup: SheetSetup(columns: [ColumnFormat(1, width: 30)], frozen: FrozenPanes(rows: 3)))
        sheet.append([.text("全国数据资源调查汇总表", style: .title)], height: 28)
        sheet.merge(CellRange("A1:C1")!)
        sheet.append([.text("指标", style: .header), .text("数值 & 说明", style: .header), .empty(style: .header)])
        sheet.merge(CellRange("B2:C2")!)
        sheet.append([.text("数据量（TB）", style: .text), .number("1234.567890", style: .number()), .number("12", style: .number(decimals: 2))])
        sheet.append([.text("<不适用>", style: .text), .empty(style: .notApplicable), .number("-0.5")])
        sheet.append([.text(" 前后空格 ", style: .textWrapped), .integer(-42, style: .number(decimals: 0)), .boolean(true)])
        sheet.append([])
        sheet.append([.text("第一行\n第二行\t制表符 \"引号\" 'apos' 😀", style: .note), .boolean(false)])
        let markers = Sheet(name: "_markers", setup: SheetSetup(visibility: .hidden), rows: [Sheet.Row(["drs", "v1"])])
        let hidden = Sheet(name: "深度隐藏", setup: SheetSetup(visibility: .veryHidden), rows: [Sheet.Row([.integer(7)])])
        return Workbook(properties: DocumentProperties(title: "汇总表", created: "2026-03-31T16:05:30+08:00"),
                        sheets: [sheet, markers, hidden],
                        definedNames: [DefinedName("数据区", refersTo: CellRange("A3:C5")!.reference(inSheet: "汇总表_2025")),
                                       DefinedName("_drs_version", refersTo: "'_markers'!$B$1", hidden: true)],
                        options: WriterOptions(compression: compression))
    }

    func testXLSXWriterOutput() throws {
        for compression in [ZipCompression.stored, .deflate] {
            let bytes = try Self.writerWorkbook(compression: compression).bytes()
            let document = try XLSXFile.read(bytes)
            XCTAssertEqual(document.sheets.map(\.name), ["汇总表_2025", "_markers", "深度隐藏"])
            XCTAssertEqual(document.sheets.map(\.visibility), [.visible, .hidden, .veryHidden])
            XCTAssertFalse(document.date1904)
            XCTAssertEqual(document.definedNames["数据区"], "'汇总表_2025'!$A$3:$C$5")
            XCTAssertEqual(document.definedNames["_drs_version"], "'_markers'!$B$1")
            let sheet = document.sheets[0]
            XCTAssertEqual(sheet[1, 1], .text("全国数据资源调查汇总表"))
            XCTAssertEqual(sheet[2, 2], .text("数值 & 说明"))
            XCTAssertEqual(sheet[3, 1], .text("数据量（TB）"))
            XCTAssertEqual(sheet[3, 2], .number("1234.567890"))
            XCTAssertEqual(sheet[3, 3], .number("12"))
            XCTAssertEqual(sheet[4, 1], .text("<不适用>"))
            XCTAssertNil(sheet[4, 2], "an empty styled cell has no value")
            XCTAssertEqual(sheet[4, 3], .number("-0.5"))
            XCTAssertEqual(sheet[5, 1], .text(" 前后空格 "))
            XCTAssertEqual(sheet[5, 2], .number("-42"))
            XCTAssertEqual(sheet[5, 3], .boolean(true))
            XCTAssertEqual(sheet[7, 1], .text("第一行\n第二行\t制表符 \"引号\" 'apos' 😀"))
            XCTAssertEqual(sheet[7, 2], .boolean(false))
            XCTAssertEqual(sheet.cells.count, 13)
            XCTAssertEqual(Set(sheet.merges), [XLSXRange(first: .init(row: 1, column: 1), last: .init(row: 1, column: 3)),
                                                XLSXRange(first: .init(row: 2, column: 2), last: .init(row: 2, column: 3))])
            XCTAssertEqual(document.sheets[1][1, 1], .text("drs"))
            XCTAssertEqual(document.sheets[1][1, 2], .text("v1"))
            XCTAssertEqual(document.sheets[2][1, 1], .number("7"))
        }
    }

    func testXLSXWriterStreamedManyRows() throws {
        let writer = try XLSXStreamWriter(sink: ByteArraySink(), properties: DocumentProperties(created: "2026-03-31T08:00:00Z"),
                                          options: WriterOptions(compression: .deflate, flushThreshold: 4096))
        try writer.beginSheet("明细")
        for r in 1...3_000 {
            try writer.appendRow([.text("单位\(r)"), .number("\(r).25"), .integer(r * 7), r % 2 == 0 ? .boolean(true) : .empty])
        }
        try writer.beginSheet("第二张")
        try writer.appendRow(["x"])
        try writer.finish()
        let document = try XLSXFile.read(writer.sink.bytes)
        let sheet = try XCTUnwrap(document.sheet(named: "明细"))
        XCTAssertEqual(sheet.cells.count, 3_000 * 3 + 1_500)
        for r in [1, 2, 1_234, 3_000] {
            XCTAssertEqual(sheet[r, 1], .text("单位\(r)"))
            XCTAssertEqual(sheet[r, 2], .number("\(r).25"))
            XCTAssertEqual(sheet[r, 3], .number("\(r * 7)"))
            XCTAssertEqual(sheet[r, 4], r % 2 == 0 ? .boolean(true) : nil)
        }
        XCTAssertEqual(document.sheets[1][1, 1], .text("x"))
    }

    /// The openpyxl workbook's first sheet, as both fixtures hold it.
    func checkFeatures(_ document: XLSXDocument) {
        XCTAssertEqual(document.sheets.map(\.name), ["汇总表", "隐藏表", "深度隐藏", "Data 2025 & more"])
        XCTAssertEqual(document.sheets.map(\.visibility), [.visible, .hidden, .veryHidden, .visible])
        XCTAssertEqual(document.definedNames, ["数据区": "'汇总表'!$A$3:$D$6", "_drs_version": "'隐藏表'!$B$1"])
        let s = document.sheets[0]
        XCTAssertEqual(s.definedNames, ["本表局部": "'汇总表'!$B$3"])
        XCTAssertEqual(s[1, 1], .text("全国数据资源调查汇总表"))
        XCTAssertEqual(s[2, 1], .text("指标"))
        XCTAssertEqual(s[2, 8], .text("普通加粗结尾"), "rich text runs concatenated")
        XCTAssertEqual(s[3, 1], .text("数据量（TB）"))
        XCTAssertEqual(s[3, 2], .number("1234.5"), "#,##0.00 is not a date")
        XCTAssertEqual(s[3, 3], .date("46022"), "yyyy-mm-dd")
        XCTAssertEqual(s[3, 4], .text("含 <特殊> & \"字符\" 'ok'"))
        XCTAssertEqual(s[3, 5], .boolean(false))
        XCTAssertEqual(s[3, 6], .number("1e-07"))
        XCTAssertEqual(s[3, 7], .number("12345678901234"))
        XCTAssertEqual(s[4, 2], .number("42"), "0.00% is not a date")
        XCTAssertEqual(s[4, 3], .date("46024.12783564815"), "yyyy\"年\"m\"月\"d\"日\" h:mm")
        XCTAssertEqual(s[4, 4], .text("  前后空格  "))
        XCTAssertEqual(s[5, 2], .number("-0.125"), "[Red]0.00;[Blue]-0.00;\"零\" is not a date")
        XCTAssertEqual(s[5, 3], .date("0.5625"), "h:mm:ss")
        XCTAssertEqual(s[5, 4], .text("第一行\n第二行"))
        XCTAssertEqual(s[6, 2], .formula("SUM(B3:B5)", cached: nil))
        XCTAssertEqual(s[6, 4], .boolean(true))
        XCTAssertEqual(s[7, 1], .text("合并区域"))
        XCTAssertEqual(s[100, 27], .text("远处的单元格"))
        XCTAssertEqual(s.merges, [XLSXRange(first: .init(row: 1, column: 1), last: .init(row: 1, column: 4)),
                                  XLSXRange(first: .init(row: 7, column: 1), last: .init(row: 8, column: 2))])
        XCTAssertEqual(document.sheets[1].cells, [.init(row: 1, column: 1): .text("drs"), .init(row: 1, column: 2): .text("v1")])
        XCTAssertEqual(document.sheets[2].cells, [.init(row: 1, column: 1): .number("1")])
        let data = document.sheets[3]
        XCTAssertEqual(data[1, 1], .formula("汇总表!B3*2", cached: nil))
        XCTAssertEqual(data[2, 1], .formula("IF(A1>0,\"正\",\"负\")", cached: nil))
        XCTAssertEqual(data[1, 2], .date("61"))
        XCTAssertEqual(data.cells.count, 3)
    }

    func testOpenpyxlInlineStrings() throws {
        let document = try XLSXFile.read(try Fixture.bytes("openpyxl-features.xlsx"))
        checkFeatures(document)
        XCTAssertEqual(document.sheets[0].cells.count, 26)
    }

    func testOpenpyxlWithSharedStrings() throws {
        let document = try XLSXFile.read(try Fixture.bytes("openpyxl-shared.xlsx"))
        checkFeatures(document)
        let s = document.sheets[0]
        XCTAssertEqual(s[200, 1], .text("東京"), "phonetic run left out")
        XCTAssertEqual(s[200, 2], .text("回车\r换行 _x0041_ 与 中文"), "_x000D_ and _x005F_ undone, character references")
        XCTAssertEqual(s.cells.count, 28)
        // Same cells as the inline-string version apart from the two extra.
        let inline = try XLSXFile.read(try Fixture.bytes("openpyxl-features.xlsx"))
        var cells = s.cells
        cells[.init(row: 200, column: 1)] = nil
        cells[.init(row: 200, column: 2)] = nil
        XCTAssertEqual(cells, inline.sheets[0].cells)
        XCTAssertEqual(Array(document.sheets[1...]), Array(inline.sheets[1...]))
    }

    func testOpenpyxl1904DateSystem() throws {
        let document = try XLSXFile.read(try Fixture.bytes("openpyxl-1904.xlsx"))
        XCTAssertTrue(document.date1904)
        XCTAssertEqual(document.sheets.map(\.name), ["1904"])
        // 2026-03-31 is day 44,650 counted from 1904-01-01.
        XCTAssertEqual(document.sheets[0][1, 1], .date("44650"))
    }
}
