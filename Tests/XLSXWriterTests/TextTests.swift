import XCTest
@testable import XLSXWriter

final class XMLEscapingTests: XCTestCase {
    func testMarkupCharacters() {
        XCTAssertEqual(XMLEscaping.text("a & b < c > d \"e\" 'f'"), "a &amp; b &lt; c &gt; d &quot;e&quot; 'f'")
        XCTAssertEqual(XMLEscaping.text("数据资源调查"), "数据资源调查")
        XCTAssertEqual(XMLEscaping.text(""), "")
        XCTAssertEqual(XMLEscaping.text("&&"), "&amp;&amp;")
        XCTAssertEqual(XMLEscaping.attribute("汇总表 \"甲\" & <乙>"), "汇总表 &quot;甲&quot; &amp; &lt;乙&gt;")
    }

    func testControlCharactersAndLineBreaks() {
        // XML 1.0 forbids C0 controls other than tab, LF, CR: dropped.
        XCTAssertEqual(XMLEscaping.text("a\u{0}b\u{1}c\u{8}d\u{B}e\u{C}f\u{1F}g"), "abcdefg")
        XCTAssertEqual(XMLEscaping.text("tab\tline\nend"), "tab\tline\nend")
        // CR LF and lone CR become LF (a parser would normalise them anyway).
        XCTAssertEqual(XMLEscaping.text("a\r\nb\rc"), "a\nb\nc")
        // U+FFFE and U+FFFF are not XML characters; U+FFFD and other EF-led characters stay.
        XCTAssertEqual(XMLEscaping.text("x\u{FFFE}y\u{FFFF}z\u{FFFD}\u{FF01}"), "xyz\u{FFFD}\u{FF01}")
        // In attributes, tab and newline are character references (or normalisation turns them into spaces).
        XCTAssertEqual(XMLEscaping.attribute("a\tb\nc\r\nd"), "a&#9;b&#10;c&#10;d")
    }

    func testOOXMLUnderscoreEscapeInCellText() {
        // `_x0041_` in a cell would be read back as "A" by Excel: its underscore is escaped.
        XCTAssertEqual(XMLEscaping.text("_x0041_", cellText: true), "_x005F_x0041_")
        XCTAssertEqual(XMLEscaping.text("a_x00e9_b_x12_", cellText: true), "a_x005F_x00e9_b_x12_")
        XCTAssertEqual(XMLEscaping.text("snake_case_x", cellText: true), "snake_case_x")
        XCTAssertEqual(XMLEscaping.text("_x0041_", cellText: false), "_x0041_")
    }

    func testPlainDecimals() {
        for good in ["0", "-0", "1234.567890", "-12.5", "007", "1000000000000000.000001"] {
            XCTAssertTrue(Cell.isPlainDecimal(good), good)
        }
        for bad in ["", "-", ".5", "5.", "1e5", "+1", " 1", "1,234", "1.2.3", "NaN", "１２", "0x10", "12 "] {
            XCTAssertFalse(Cell.isPlainDecimal(bad), bad)
        }
        XCTAssertFalse(Cell.isPlainDecimal(String(repeating: "9", count: 301)))
    }
}

final class CellAddressTests: XCTestCase {
    func testColumnLetters() {
        let cases = [(1, "A"), (2, "B"), (26, "Z"), (27, "AA"), (28, "AB"), (52, "AZ"), (53, "BA"), (702, "ZZ"), (703, "AAA"), (16_384, "XFD")]
        for (number, name) in cases {
            XCTAssertEqual(CellAddress.columnName(number), name)
            XCTAssertEqual(CellAddress.columnNumber(name), number)
            XCTAssertEqual(CellAddress.columnNumber(name.lowercased()), number)
        }
        for n in 1...SheetLimits.maxColumns {
            XCTAssertEqual(CellAddress.columnNumber(CellAddress.columnName(n)), n)
            // The row writer computes letters on its own: the same.
            var buffer = XMLBuffer()
            RowEncoder.appendColumn(n, &buffer)
            XCTAssertEqual(String(decoding: buffer.bytes, as: UTF8.self), CellAddress.columnName(n))
        }
        XCTAssertNil(CellAddress.columnNumber("XFE"))
        XCTAssertNil(CellAddress.columnNumber(""))
        XCTAssertNil(CellAddress.columnNumber("A1"))
    }

    func testAddressesAndRanges() throws {
        XCTAssertEqual(CellAddress(row: 14, column: 2).description, "B14")
        XCTAssertEqual(CellAddress(row: 14, column: 2).absolute, "$B$14")
        XCTAssertEqual(CellAddress("B14"), CellAddress(row: 14, column: 2))
        XCTAssertEqual(CellAddress("$xfd$1048576"), CellAddress(row: 1_048_576, column: 16_384))
        for bad in ["", "B", "14", "B0", "B01", "XFE1", "A1048577", "1A", "A 1", "A1:B2"] {
            XCTAssertNil(CellAddress(bad), bad)
        }
        let range = try XCTUnwrap(CellRange("F3:A1"))
        XCTAssertEqual(range.description, "A1:F3")
        XCTAssertEqual(range.absolute, "$A$1:$F$3")
        XCTAssertEqual(range.rows, 1...3)
        XCTAssertEqual(range.columns, 1...6)
        XCTAssertEqual(CellRange(rows: 5...9, columns: 2...3).description, "B5:C9")
        XCTAssertEqual(CellRange("C3")?.description, "C3")
        XCTAssertEqual(range.reference(inSheet: "汇总'表"), "'汇总''表'!$A$1:$F$3")
        XCTAssertTrue(range.overlaps(CellRange("F3:G4")!))
        XCTAssertFalse(range.overlaps(CellRange("G1:G4")!))
    }
}

final class SheetNameTests: XCTestCase {
    func testSanitize() {
        XCTAssertEqual(SheetName.sanitize("汇总表"), "汇总表")
        XCTAssertEqual(SheetName.sanitize("a[b]c:d*e?f/g\\h"), "a_b_c_d_e_f_g_h")
        XCTAssertEqual(SheetName.sanitize("'引号'"), "引号")
        XCTAssertEqual(SheetName.sanitize("  空格  "), "空格")
        XCTAssertEqual(SheetName.sanitize("控制\u{0}\u{1F}字符\n"), "控制字符")
        XCTAssertEqual(SheetName.sanitize(""), "Sheet")
        XCTAssertEqual(SheetName.sanitize("''", fallback: "表1"), "表1")
        XCTAssertEqual(SheetName.sanitize("History"), "Sheet")
        // 31 characters at most (UTF-16 units), never splitting a character.
        let long = String(repeating: "数", count: 40)
        XCTAssertEqual(SheetName.sanitize(long), String(repeating: "数", count: 31))
        let emoji = String(repeating: "a", count: 30) + "😀b"
        XCTAssertEqual(SheetName.sanitize(emoji), String(repeating: "a", count: 30))
        XCTAssertEqual(SheetName.sanitize("全国数据资源调查（2025年度）汇总表：按省份、按行业、按规模分组统计"), "全国数据资源调查（2025年度）汇总表：按省份、按行业、按规模")
    }

    func testUniqueIgnoresCase() {
        XCTAssertEqual(SheetName.unique("表", among: []), "表")
        XCTAssertEqual(SheetName.unique("Data", among: ["data"]), "Data (2)")
        XCTAssertEqual(SheetName.unique("Data", among: ["data", "DATA (2)"]), "Data (3)")
        let long = String(repeating: "数", count: 31)
        let unique = SheetName.unique(long, among: [long])
        XCTAssertEqual(unique, String(repeating: "数", count: 27) + " (2)")
        XCTAssertEqual(unique.utf16.count, 31)
    }

    func testDefinedNameValidity() {
        for good in ["数据区", "_markers", "Print_Area2", "a.b", "\\x", "ABCD1234", "R1C1x"] {
            XCTAssertTrue(DefinedName.isValidName(good), good)
        }
        for bad in ["", "1abc", "A1", "xfd100", "R", "c", "R1C1", "R2", "C3", "a b", "a-b"] {
            XCTAssertFalse(DefinedName.isValidName(bad), bad)
        }
    }
}
