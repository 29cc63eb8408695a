import XCTest
@testable import XLSXReader

/// Workbook XML written by hand: what other producers (Excel, WPS, LibreOffice, scripts) put in files.
final class ParsingTests: XCTestCase {
    typealias P = XLSXCellPosition

    func testCellTypes() throws {
        let document = try MiniWorkbook(sheetData: """
            <row r="1">\
            <c r="A1" t="s"><v>1</v></c>\
            <c r="B1" t="inlineStr"><is><t>行内</t></is></c>\
            <c r="C1" t="str"><v>公式文本</v></c>\
            <c r="D1" t="b"><v>1</v></c>\
            <c r="E1" t="e"><v>#DIV/0!</v></c>\
            <c r="F1" t="d"><v>2026-03-31T00:00:00</v></c>\
            <c r="G1" t="n"><v>1.5E-3</v></c>\
            <c r="H1"><v>-12</v></c>\
            <c r="I1" s="1"/>\
            <c r="J1"><v></v></c>\
            <c r="K1" t="s"><v> 0 </v></c>\
            </row>
            """, sharedStrings: "<sst xmlns=\"\(MiniWorkbook.main)\"><si><t>零</t></si><si><t>一</t></si></sst>").read()
        let s = document.sheets[0]
        XCTAssertEqual(s[1, 1], .text("一"))
        XCTAssertEqual(s[1, 2], .text("行内"))
        XCTAssertEqual(s[1, 3], .text("公式文本"))
        XCTAssertEqual(s[1, 4], .boolean(true))
        XCTAssertEqual(s[1, 5], .error("#DIV/0!"))
        XCTAssertEqual(s[1, 6], .date("2026-03-31T00:00:00"))
        XCTAssertEqual(s[1, 7], .number("1.5E-3"))
        XCTAssertEqual(s[1, 8], .number("-12"))
        XCTAssertNil(s[1, 9], "a styled empty cell")
        XCTAssertNil(s[1, 10], "an empty value")
        XCTAssertEqual(s[1, 11], .text("零"))
        XCTAssertEqual(s.cells.count, 9)
    }

    func testFormulas() throws {
        let s = try MiniWorkbook(sheetData: """
            <row r="1">\
            <c r="A1"><f>SUM(B1:B9)</f><v>45</v></c>\
            <c r="B1" t="str"><f>A2&amp;"元"</f><v>3元</v></c>\
            <c r="C1" t="b"><f>A1&gt;0</f><v>1</v></c>\
            <c r="D1" t="e"><f>1/0</f><v>#DIV/0!</v></c>\
            <c r="E1"><f>NOW()</f></c>\
            <c r="F1" t="str"><f>""</f><v></v></c>\
            <c r="G1" t="s"><f>X1</f><v>0</v></c>\
            <c r="H1"><f t="array" ref="H1:H2">{1;2}</f><v>1</v></c>\
            </row>
            """, sharedStrings: "<sst xmlns=\"\(MiniWorkbook.main)\"><si><t>共享</t></si></sst>").read().sheets[0]
        XCTAssertEqual(s[1, 1], .formula("SUM(B1:B9)", cached: "45"))
        XCTAssertEqual(s[1, 2], .formula("A2&\"元\"", cached: "3元"))
        XCTAssertEqual(s[1, 3], .formula("A1>0", cached: "1"))
        XCTAssertEqual(s[1, 4], .formula("1/0", cached: "#DIV/0!"))
        XCTAssertEqual(s[1, 5], .formula("NOW()", cached: nil))
        XCTAssertEqual(s[1, 6], .formula("\"\"", cached: ""), "an empty text result")
        XCTAssertEqual(s[1, 7], .formula("X1", cached: "共享"))
        XCTAssertEqual(s[1, 8], .formula("{1;2}", cached: "1"))
    }

    func testSharedFormulas() throws {
        let s = try MiniWorkbook(sheetData: """
            <row r="2">\
            <c r="B2"><f t="shared" ref="B2:B4" si="0">A2*2+$A$1+SUM(A$2:A2)+Sheet2!A2+'其他 表'!$B3</f><v>1</v></c>\
            <c r="C2"><f t="shared" ref="C2:E2" si="1">C1+SUM(A:A)+ROW(3:3)&amp;"A1"&amp;LOG10(B1)</f><v>2</v></c>\
            <c r="D2"><f t="shared" si="1"/><v>3</v></c>\
            <c r="E2"><f t="shared" si="1"/><v>4</v></c>\
            </row>\
            <row r="3"><c r="B3"><f t="shared" si="0"/><v>5</v></c></row>\
            <row r="4"><c r="B4"><f t="shared" si="0"></f><v>6</v></c></row>
            """).read().sheets[0]
        XCTAssertEqual(s[2, 2], .formula("A2*2+$A$1+SUM(A$2:A2)+Sheet2!A2+'其他 表'!$B3", cached: "1"))
        XCTAssertEqual(s[3, 2], .formula("A3*2+$A$1+SUM(A$2:A3)+Sheet2!A3+'其他 表'!$B4", cached: "5"))
        XCTAssertEqual(s[4, 2], .formula("A4*2+$A$1+SUM(A$2:A4)+Sheet2!A4+'其他 表'!$B5", cached: "6"))
        XCTAssertEqual(s[2, 3], .formula("C1+SUM(A:A)+ROW(3:3)&\"A1\"&LOG10(B1)", cached: "2"))
        XCTAssertEqual(s[2, 4], .formula("D1+SUM(B:B)+ROW(3:3)&\"A1\"&LOG10(C1)", cached: "3"))
        XCTAssertEqual(s[2, 5], .formula("E1+SUM(C:C)+ROW(3:3)&\"A1\"&LOG10(D1)", cached: "4"))
    }

    func testFormulaShifter() {
        XCTAssertEqual(FormulaShifter.shift("A1+B$2+$C3+$D$4", rows: 1, columns: 1), "B2+C$2+$C4+$D$4")
        XCTAssertEqual(FormulaShifter.shift("A1", rows: -1, columns: 0), "#REF!")
        XCTAssertEqual(FormulaShifter.shift("XFD1+A1048576", rows: 0, columns: 1), "#REF!+B1048576")
        XCTAssertEqual(FormulaShifter.shift("SUM(1:2)+Table1[[#This Row],[A1]]+TRUE", rows: 2, columns: 0), "SUM(3:4)+Table1[[#This Row],[A1]]+TRUE")
        XCTAssertEqual(FormulaShifter.shift("1E+5+A1*2.5", rows: 1, columns: 0), "1E+5+A2*2.5")
        XCTAssertEqual(FormulaShifter.shift("'It''s A1'!A1&\"say \"\"A1\"\"\"", rows: 1, columns: 0), "'It''s A1'!A2&\"say \"\"A1\"\"\"")
        XCTAssertEqual(FormulaShifter.shift("数据_A1+A1", rows: 0, columns: 1), "数据_A1+B1")
        XCTAssertEqual(FormulaShifter.shift("anything", rows: 0, columns: 0), "anything")
    }

    func testCellsWithoutReferences() throws {
        let s = try MiniWorkbook(sheetData: """
            <row><c><v>1</v></c><c><v>2</v></c><c t="inlineStr"><is><t>三</t></is></c></row>\
            <row><c t="b"><v>0</v></c></row>\
            <row r="7"><c r="C7"><v>3</v></c><c><v>4</v></c></row>\
            <row><c r="B8"><v>5</v></c><c/><c><v>6</v></c></row>
            """).read().sheets[0]
        XCTAssertEqual(s.cells, [
            P(row: 1, column: 1): .number("1"), P(row: 1, column: 2): .number("2"), P(row: 1, column: 3): .text("三"),
            P(row: 2, column: 1): .boolean(false),
            P(row: 7, column: 3): .number("3"), P(row: 7, column: 4): .number("4"),
            P(row: 8, column: 2): .number("5"), P(row: 8, column: 4): .number("6"),
        ])
    }

    func testXMLSyntax() throws {
        let sheet = """
            \u{FEFF}<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <!-- written by hand -->
            <x:worksheet xmlns:x="\(MiniWorkbook.main)" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">
              <x:sheetPr><x:tabColor rgb="FF00FF00"/></x:sheetPr>
              <x:sheetData>
                <x:row r='1' spans='1:5'>
                  <x:c s='0' t='inlineStr' r='A1'><x:is><x:t xml:space='preserve'>  空格  </x:t></x:is></x:c>
                  <x:c
                     r = "B1"
                     t = "inlineStr" ><x:is><x:t>&#20013;&#x6587; &lt;&gt;&amp;&quot;&apos; ok</x:t></x:is></x:c>
                  <x:c r="C1" t="inlineStr"><x:is><x:t><![CDATA[<不是标签> & 不是实体]]></x:t></x:is></x:c>
                  <x:c r="D1" t="inlineStr"><x:is><x:t>一&#13;&#10;二\r\n三</x:t></x:is></x:c>
                  <?some-processing instruction?>
                  <x:c r="E1"><!-- a comment --><x:v>4<!-- inside -->2</x:v></x:c>
                </x:row>
              </x:sheetData>
              <x:extLst><x:ext uri="{x}"><x:c><x:v>99</x:v></x:c></x:ext></x:extLst>
            </x:worksheet>
            """
        var workbook = MiniWorkbook(sheets: [("前缀", sheet)])
        workbook["xl/workbook.xml"] = Array("""
            <?xml version="1.0"?><x:workbook xmlns:x="\(MiniWorkbook.main)" xmlns:rel="\(MiniWorkbook.rel)">\
            <x:sheets><x:sheet rel:id='rId1' sheetId='1' name='前缀 &amp; &quot;引号&quot;'/></x:sheets></x:workbook>
            """.utf8)
        let document = try workbook.read()
        let s = document.sheets[0]
        XCTAssertEqual(s.name, "前缀 & \"引号\"")
        XCTAssertEqual(s[1, 1], .text("  空格  "))
        XCTAssertEqual(s[1, 2], .text("中文 <>&\"' ok"))
        XCTAssertEqual(s[1, 3], .text("<不是标签> & 不是实体"))
        XCTAssertEqual(s[1, 4], .text("一\r\n二\n三"), "character references kept, literal line ends normalised")
        XCTAssertEqual(s[1, 5], .number("42"))
        XCTAssertEqual(s.cells.count, 5)
    }

    func testSharedStrings() throws {
        let sst = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <sst xmlns="\(MiniWorkbook.main)" count="5" uniqueCount="5">\
            <si><t>简单</t></si>\
            <si><r><rPr><b/><sz val="11"/></rPr><t>富</t></r><r><t xml:space="preserve"> 文本 </t></r></si>\
            <si><t>漢字</t><rPh sb="0" eb="2"><t>カンジ</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>\
            <si><t>a_x000D__x000A_b_x005F_x0041_c_xD83D__xDE00__xZZZZ_</t></si>\
            <si><t/></si>\
            </sst>
            """
        let s = try MiniWorkbook(sheetData: (0..<5).map { "<row><c t=\"s\"><v>\($0)</v></c></row>" }.joined(), sharedStrings: sst)
            .read(deflate: true).sheets[0]
        XCTAssertEqual(s[1, 1], .text("简单"))
        XCTAssertEqual(s[2, 1], .text("富 文本 "))
        XCTAssertEqual(s[3, 1], .text("漢字"))
        XCTAssertEqual(s[4, 1], .text("a\r\nb_x0041_c😀_xZZZZ_"))
        XCTAssertEqual(s[5, 1], .text(""))
    }

    func testDateFormats() throws {
        let styles = """
            <styleSheet xmlns="\(MiniWorkbook.main)">\
            <numFmts count="5">\
            <numFmt numFmtId="164" formatCode="yyyy/m/d"/>\
            <numFmt numFmtId="165" formatCode="0.00"/>\
            <numFmt numFmtId="166" formatCode="[h]:mm"/>\
            <numFmt numFmtId="167" formatCode="&quot;d&quot;0;[Red]\\-0"/>\
            <numFmt numFmtId="14" formatCode="0"/>\
            </numFmts>\
            <cellStyleXfs count="1"><xf numFmtId="22"/></cellStyleXfs>\
            <cellXfs count="8">\
            <xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="167"/>\
            <xf numFmtId="22"/><xf numFmtId="14"/><xf numFmtId="57"/>\
            </cellXfs>\
            <dxfs count="1"><dxf><numFmt numFmtId="168" formatCode="yyyy"/></dxf></dxfs>\
            </styleSheet>
            """
        let s = try MiniWorkbook(sheetData: "<row>" + (0..<9).map { "<c s=\"\($0)\"><v>45000.5</v></c>" }.joined() + "</row>", styles: styles)
            .read().sheets[0]
        XCTAssertEqual((1...9).map { s[1, $0]! }, [
            .number("45000.5"), .date("45000.5"), .number("45000.5"), .date("45000.5"), .number("45000.5"),
            .date("45000.5"), .number("45000.5"), .date("45000.5"), .number("45000.5"),
        ], "custom formats; a custom code overriding a built-in id; an unknown style index")
    }

    func testDateFormatCodes() {
        func isDate(_ code: String) -> Bool { StylesPart.isDateFormat(Array(code.utf8)) }
        for code in ["yyyy-mm-dd", "d-mmm-yy", "h:mm AM/PM", "[h]:mm:ss", "[mm]:ss", "mm:ss.0", "yyyy\"年\"m\"月\"d\"日\"",
                     "[$-F800]dddd, mmmm dd, yyyy", "[DBNum1][$-804]yyyy\"年\"m\"月\"", "[$-409]h:mm:ss AM/PM;@",
                     "yyyy", "yy\"年\"", "dd", "D", "HH", "ss.00"] {
            XCTAssertTrue(isDate(code), code)
        }
        for code in ["General", "0", "0.00", "#,##0.00_);[Red](#,##0.00)", "0.00%", "0.00E+00", "\"年\"0", "[Red]0", "@",
                     "#,##0 \"吨\"", "\\d0", "_m0", "*y0", "[$¥-804]#,##0.00", "[>=100][Red]0;[Blue]0"] {
            XCTAssertFalse(isDate(code), code)
        }
        XCTAssertEqual((0...60).filter(StylesPart.isBuiltInDateFormat),
                       Array(14...22) + Array(27...36) + Array(45...47) + Array(50...58))
    }

    func testMergedCells() throws {
        let sheet = """
            <worksheet xmlns="\(MiniWorkbook.main)"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>\
            <mergeCells count="3"><mergeCell ref="A1:C2"/><mergeCell ref="$D$5:$E$9"/><mergeCell ref="H3:F1"/></mergeCells>\
            <mergeCells><mergeCell ref="Z1:Z2"/></mergeCells></worksheet>
            """
        let s = try MiniWorkbook(sheets: [("合并", sheet)]).read().sheets[0]
        XCTAssertEqual(s.merges, [
            XLSXRange(first: P(row: 1, column: 1), last: P(row: 2, column: 3)),
            XLSXRange(first: P(row: 5, column: 4), last: P(row: 9, column: 5)),
            XLSXRange(first: P(row: 1, column: 6), last: P(row: 3, column: 8)),
            XLSXRange(first: P(row: 1, column: 26), last: P(row: 2, column: 26)),
        ])
    }

    func testSheetsFollowTheWorkbookOrderAndRelationships() throws {
        var workbook = MiniWorkbook(sheets: [("甲", "<row><c><v>1</v></c></row>"), ("乙", "<row><c><v>2</v></c></row>"),
                                             ("丙", "<row><c><v>3</v></c></row>")],
                                    sheetStates: [nil, "hidden", "veryHidden"],
                                    definedNames: "<definedNames><definedName name=\"_xlnm.Print_Titles\" localSheetId=\"1\">乙!$1:$2</definedName>"
                                        + "<definedName name=\"总\">甲!$A$1</definedName></definedNames>")
        // Relationships in another order, one target absolute and one with `..`, file names changed.
        workbook["xl/worksheets/sheet1.xml"] = nil
        workbook["xl/worksheets/sheet2.xml"] = nil
        workbook["xl/worksheets/sheet3.xml"] = nil
        workbook["xl/other/first.xml"] = Array("<worksheet xmlns=\"\(MiniWorkbook.main)\"><sheetData><row><c><v>1</v></c></row></sheetData></worksheet>".utf8)
        workbook["xl/worksheets/Second Sheet.xml"] = Array("<worksheet xmlns=\"\(MiniWorkbook.main)\"><sheetData><row><c><v>2</v></c></row></sheetData></worksheet>".utf8)
        workbook["xl/worksheets/sheet3.xml"] = Array("<worksheet xmlns=\"\(MiniWorkbook.main)\"><sheetData><row><c><v>3</v></c></row></sheetData></worksheet>".utf8)
        workbook["xl/_rels/workbook.xml.rels"] = Array("""
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId3" Type="\(MiniWorkbook.rel)/worksheet" Target="./worksheets/../worksheets/SHEET3.xml"/>\
            <Relationship Id="rId9" Type="\(MiniWorkbook.rel)/hyperlink" Target="https://example.com/" TargetMode="External"/>\
            <Relationship Id="rId1" Type="\(MiniWorkbook.rel)/worksheet" Target="/xl/other/first.xml"/>\
            <Relationship Id="rId2" Type="\(MiniWorkbook.rel)/worksheet" Target="worksheets/Second%20Sheet.xml"/>\
            </Relationships>
            """.utf8)
        let document = try workbook.read(deflate: true)
        XCTAssertEqual(document.sheets.map(\.name), ["甲", "乙", "丙"])
        XCTAssertEqual(document.sheets.map(\.visibility), [.visible, .hidden, .veryHidden])
        XCTAssertEqual(document.sheets.map { $0[1, 1] }, [.number("1"), .number("2"), .number("3")])
        XCTAssertEqual(document.definedNames, ["总": "甲!$A$1"])
        XCTAssertEqual(document.sheets[1].definedNames, ["_xlnm.Print_Titles": "乙!$1:$2"])
        XCTAssertEqual(document.sheet(named: "丙")?.visibility, .veryHidden)
    }

    func testWorkbookElsewhereThroughThePackageRelationships() throws {
        var workbook = MiniWorkbook(sheets: [("表", "<row><c><v>1</v></c></row>")])
        let main = workbook["xl/workbook.xml"]
        let rels = workbook["xl/_rels/workbook.xml.rels"]
        workbook["xl/workbook.xml"] = nil
        workbook["xl/_rels/workbook.xml.rels"] = nil
        workbook["xl/book.xml"] = main
        workbook["xl/_rels/book.xml.rels"] = rels
        workbook["_rels/.rels"] = Array("""
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/book.xml"/>\
            </Relationships>
            """.utf8)
        XCTAssertEqual(try workbook.read().sheets[0][1, 1], .number("1"))
    }

    func testChartSheetsHaveNoCells() throws {
        var workbook = MiniWorkbook(sheets: [("数据", "<row><c><v>1</v></c></row>"), ("图表", "")])
        workbook["xl/worksheets/sheet2.xml"] = nil
        workbook["xl/chartsheets/sheet1.xml"] = Array("<chartsheet xmlns=\"\(MiniWorkbook.main)\"/>".utf8)
        workbook["xl/_rels/workbook.xml.rels"] = Array("""
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(MiniWorkbook.rel)/worksheet" Target="worksheets/sheet1.xml"/>\
            <Relationship Id="rId2" Type="\(MiniWorkbook.rel)/chartsheet" Target="chartsheets/sheet1.xml"/>\
            </Relationships>
            """.utf8)
        let document = try workbook.read()
        XCTAssertEqual(document.sheets.map(\.name), ["数据", "图表"])
        XCTAssertEqual(document.sheets[1].cells, [:])
    }

    func testUTF16Part() throws {
        var workbook = MiniWorkbook(sheets: [("表", "<row><c t=\"inlineStr\"><is><t>十六位</t></is></c></row>")])
        let text = String(decoding: workbook["xl/worksheets/sheet1.xml"]!, as: UTF8.self)
        workbook["xl/worksheets/sheet1.xml"] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        XCTAssertEqual(try workbook.read().sheets[0][1, 1], .text("十六位"))
    }

    func testBrokenXMLIsCorrupt() {
        let broken = [
            "<row><c><v>1</v></row>",  // mismatched end tag
            "<row><c><v>1</v></c>",  // unclosed
            "<row><c r=\"A1><v>1</v></c></row>",  // unterminated attribute
            "<row><c r=A1><v>1</v></c></row>",  // unquoted attribute
            "<row><c><v>&nbsp;</v></c></row>",  // unknown entity
            "<row><c><v>&#0;</v></c></row>",  // bad character reference
            "<row><c><v>&amp</v></c></row>",  // unterminated reference
            "<row><c r=\"1A\"><v>1</v></c></row>",  // bad cell reference
            "<row><c t=\"x\"><v>1</v></c></row>",  // unknown cell type
            "<row><c t=\"b\"><v>2</v></c></row>",  // bad boolean
            "<row><c t=\"s\"><v>5</v></c></row>",  // no such shared string
            "<row r=\"0\"></row>",  // bad row number
        ]
        for xml in broken {
            let error = assertRefused(.corrupt) { () throws(XLSXReadError) in try MiniWorkbook(sheetData: xml).read() }
            XCTAssertTrue(error?.message.hasPrefix("文件已损坏：工作表“Sheet1”") ?? false, xml)
            XCTAssertEqual(error?.part, "xl/worksheets/sheet1.xml")
        }
        let malformed = assertRefused(.corrupt) { () throws(XLSXReadError) in try MiniWorkbook(sheetData: "<row><c><v>1</v></row>").read() }
        XCTAssertEqual(malformed?.message, "文件已损坏：工作表“Sheet1”的 XML 格式错误。请在 Excel 或 WPS 中打开后另存为 .xlsx 再上传。")
        XCTAssertEqual(malformed?.detail, "byte 104: mismatched end tag")
        // Nesting deeper than any real part (the scanner's stack would otherwise grow with the file).
        assertRefused(.corrupt) { () throws(XLSXReadError) in
            try MiniWorkbook(sheetData: String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300)).read()
        }
        XCTAssertNoThrow(try MiniWorkbook(sheetData: String(repeating: "<a>", count: 200) + String(repeating: "</a>", count: 200)).read())
        assertRefused(.corrupt) { () throws(XLSXReadError) in
            try MiniWorkbook(sheets: [("x", "<!DOCTYPE lolz [<!ENTITY lol \"lol\">]><worksheet xmlns=\"\(MiniWorkbook.main)\"/>")]).read()
        }
        assertRefused(.corrupt) { () throws(XLSXReadError) in
            try MiniWorkbook(sheets: [("x", "<worksheet xmlns=\"\(MiniWorkbook.main)\"/><worksheet/>")]).read()
        }
        var workbook = MiniWorkbook(sheetData: "")
        workbook["xl/workbook.xml"] = Array("<workbook><sheets><sheet name=\"x\" r:id=\"rId1\"></sheets></workbook>".utf8)
        assertRefused(.corrupt) { () throws(XLSXReadError) in try workbook.read() }
    }
}
