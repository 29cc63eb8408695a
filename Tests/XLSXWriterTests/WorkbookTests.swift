import Foundation
import XCTest
@testable import XLSXWriter
#if canImport(FoundationXML)
import FoundationXML
#endif

final class WorkbookTests: XCTestCase {
    static let created = "2026-03-31T16:05:30+08:00"

    /// A small official-looking table: title, header with merges, body, note, a hidden marker sheet.
    static func sampleWorkbook(compression: ZipCompression = .deflate) -> Workbook {
        var sheet = Sheet(name: "汇总表/2025", setup: SheetSetup(
            columns: [ColumnFormat(1, width: 30), ColumnFormat(2...3, width: 14.5)],
            frozen: FrozenPanes(rows: 3, columns: 1),
            page: .officialTable(headerRows: 2...3)))
        sheet.append([.text("全国数据资源调查汇总表", style: .title)], height: 28)
        sheet.merge(CellRange("A1:C1")!)
        sheet.append([.text("指标", style: .header), .text("数值 & 说明", style: .header), .empty(style: .header)])
        sheet.merge(CellRange("B2:C2")!)
        sheet.merge(CellRange("A2:A3")!)
        sheet.append([.empty(style: .header), .text("本年", style: .header), .text("上年", style: .header)])
        sheet.append([.text("数据量（TB）", style: .text), .number("1234.567890", style: .number()), .number("12", style: .number(decimals: 2))])
        sheet.append([.text("<不适用>", style: .text), .empty(style: .notApplicable), .number("1,234", style: .number())])
        sheet.append([.text(" 前后空格 ", style: .textWrapped), .integer(-42, style: .number(decimals: 0)), .boolean(true)])
        sheet.append([])
        sheet.append([.text("注：数据来源于调查平台。", style: .note)])
        let markers = Sheet(name: "_markers", setup: SheetSetup(visibility: .hidden), rows: [Sheet.Row(["drs", "v1"])])
        return Workbook(properties: DocumentProperties(title: "汇总表 <2025>", created: created), sheets: [sheet, markers],
                        definedNames: [DefinedName("数据区", refersTo: CellRange("A4:C6")!.reference(inSheet: "汇总表_2025"))],
                        options: WriterOptions(compression: compression))
    }

    func testPackageParts() throws {
        for compression in [ZipCompression.stored, .deflate] {
            let bytes = try Self.sampleWorkbook(compression: compression).bytes()
            let zip = try TinyZipReader(bytes)
            XCTAssertEqual(zip.entries.map(\.name), [
                "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "[Content_Types].xml", "_rels/.rels",
                "docProps/core.xml", "docProps/app.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
            ])
            for entry in zip.entries { try assertWellFormed(entry.data, entry.name) }
            let types = try XCTUnwrap(zip.text("[Content_Types].xml"))
            XCTAssertTrue(types.contains("<Override PartName=\"/xl/worksheets/sheet2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"))
            XCTAssertTrue(types.contains("/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\""))
            let workbook = try XCTUnwrap(zip.text("xl/workbook.xml"))
            XCTAssertTrue(workbook.contains("<sheet name=\"汇总表_2025\" sheetId=\"1\" r:id=\"rId1\"/>"))
            XCTAssertTrue(workbook.contains("<sheet name=\"_markers\" sheetId=\"2\" state=\"hidden\" r:id=\"rId2\"/>"))
            XCTAssertTrue(workbook.contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'汇总表_2025'!$2:$3</definedName>"))
            XCTAssertTrue(workbook.contains("<definedName name=\"数据区\">'汇总表_2025'!$A$4:$C$6</definedName>"))
            let rels = try XCTUnwrap(zip.text("xl/_rels/workbook.xml.rels"))
            XCTAssertTrue(rels.contains("Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\""))
            let core = try XCTUnwrap(zip.text("docProps/core.xml"))
            XCTAssertTrue(core.contains("<dc:title>汇总表 &lt;2025&gt;</dc:title>"))
            XCTAssertTrue(core.contains("<dc:creator>数据资源调查平台</dc:creator>"))
            XCTAssertTrue(core.contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-03-31T08:05:30Z</dcterms:created>"))

            let sheet = try XCTUnwrap(zip.text("xl/worksheets/sheet1.xml"))
            for fragment in [
                "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>",
                "<sheetView tabSelected=\"1\" workbookViewId=\"0\"><pane xSplit=\"1\" ySplit=\"3\" topLeftCell=\"B4\" activePane=\"bottomRight\" state=\"frozen\"/>",
                "<cols><col min=\"1\" max=\"1\" width=\"30.0\" customWidth=\"1\"/><col min=\"2\" max=\"3\" width=\"14.5\" customWidth=\"1\"/></cols>",
                "<row r=\"1\" ht=\"28.0\" customHeight=\"1\"><c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t>全国数据资源调查汇总表</t></is></c></row>",
                "<c r=\"B2\" s=\"3\" t=\"inlineStr\"><is><t>数值 &amp; 说明</t></is></c><c r=\"C2\" s=\"3\"/>",
                // Decimal text verbatim; style: number with as many decimals as given (6) → 9 + 6.
                "<c r=\"B4\" s=\"15\"><v>1234.567890</v></c><c r=\"C4\" s=\"11\"><v>12</v></c>",
                // Not a plain decimal: written as text.
                "<c r=\"B5\" s=\"7\"/><c r=\"C5\" s=\"9\" t=\"inlineStr\"><is><t>1,234</t></is></c>",
                "<c r=\"A6\" s=\"6\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> 前后空格 </t></is></c><c r=\"B6\" s=\"9\"><v>-42</v></c><c r=\"C6\" t=\"b\"><v>1</v></c>",
                "</row><row r=\"8\">",  // the empty row 7 is left out
                "<mergeCells count=\"3\"><mergeCell ref=\"A1:C1\"/><mergeCell ref=\"B2:C2\"/><mergeCell ref=\"A2:A3\"/></mergeCells>",
                "<printOptions horizontalCentered=\"1\"/>",
                "<pageSetup paperSize=\"9\" orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/>",
            ] {
                XCTAssertTrue(sheet.contains(fragment), "missing \(fragment)")
            }
            let hidden = try XCTUnwrap(zip.text("xl/worksheets/sheet2.xml"))
            XCTAssertFalse(hidden.contains("tabSelected"))
            XCTAssertTrue(hidden.contains("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>drs</t></is></c>"))
            XCTAssertTrue(try XCTUnwrap(zip.text("xl/styles.xml")).contains("<cellXfs count=\"25\">"))
        }
    }

    /// Same input, same bytes; and the in-memory workbook writes exactly what streaming writes.
    func testDeterministicAndSameAsStreaming() throws {
        let workbook = Self.sampleWorkbook()
        let first = try workbook.bytes()
        XCTAssertEqual(first, try workbook.bytes())
        let writer = try XLSXStreamWriter(sink: ByteArraySink(), properties: workbook.properties)
        try writer.defineName(workbook.definedNames[0])
        for sheet in workbook.sheets {
            try writer.beginSheet(sheet.name, setup: sheet.setup)
            for row in sheet.rows { try writer.appendRow(row.cells, height: row.height) }
            for range in sheet.merges { try writer.merge(range) }  // after the rows this time
        }
        try writer.finish()
        XCTAssertEqual(writer.sink.bytes, first)
        XCTAssertEqual(writer.sheetNames, ["汇总表_2025", "_markers"])
    }

    func testSheetNamesAreSanitisedAndUnique() throws {
        let writer = try XLSXStreamWriter(sink: ByteArraySink(), properties: DocumentProperties(created: Self.created))
        XCTAssertEqual(try writer.beginSheet("数据"), "数据")
        XCTAssertEqual(try writer.beginSheet("数据"), "数据 (2)")
        XCTAssertEqual(try writer.beginSheet("a/b"), "a_b")
        XCTAssertEqual(try writer.beginSheet(""), "Sheet4")
        try writer.finish()
    }

    func testFirstVisibleSheetIsActive() throws {
        var workbook = Workbook(properties: DocumentProperties(created: Self.created))
        workbook.sheets = [Sheet(name: "隐藏", setup: SheetSetup(visibility: .veryHidden)), Sheet(name: "可见")]
        let zip = try TinyZipReader(try workbook.bytes())
        XCTAssertTrue(try XCTUnwrap(zip.text("xl/workbook.xml")).contains("<workbookView xWindow=\"0\" yWindow=\"0\" windowWidth=\"28800\" windowHeight=\"15000\" firstSheet=\"1\" activeTab=\"1\"/>"))
        XCTAssertTrue(try XCTUnwrap(zip.text("xl/workbook.xml")).contains("state=\"veryHidden\""))
        XCTAssertTrue(try XCTUnwrap(zip.text("xl/worksheets/sheet2.xml")).contains("tabSelected=\"1\""))
        XCTAssertFalse(try XCTUnwrap(zip.text("xl/worksheets/sheet1.xml")).contains("tabSelected"))
    }

    func testRefusals() throws {
        XCTAssertThrowsError(try XLSXStreamWriter(sink: CountingSink(), properties: DocumentProperties(created: "2026-03-31"))) {
            XCTAssertEqual($0 as? XLSXError, .invalidTimestamp("2026-03-31"))
        }
        let writer = try XLSXStreamWriter(sink: CountingSink(), properties: DocumentProperties(created: Self.created))
        XCTAssertThrowsError(try writer.appendRow(["x"])) { XCTAssertEqual($0 as? XLSXError, .noOpenSheet) }
        XCTAssertThrowsError(try writer.finish()) { XCTAssertEqual($0 as? XLSXError, .noSheets) }
        XCTAssertThrowsError(try writer.beginSheet("x", setup: SheetSetup(columns: [ColumnFormat(1...3, width: 5), ColumnFormat(3, width: 5)])))
        XCTAssertThrowsError(try writer.beginSheet("x", setup: SheetSetup(columns: [ColumnFormat(1, width: 256)])))
        XCTAssertThrowsError(try writer.beginSheet("x", setup: SheetSetup(frozen: FrozenPanes(rows: -1))))
        try writer.beginSheet("表")
        try writer.merge(CellRange("A1:B2")!)
        XCTAssertThrowsError(try writer.merge(CellRange("B2:C3")!)) {
            XCTAssertEqual($0 as? XLSXError, .overlappingMerges(CellRange("A1:B2")!, CellRange("B2:C3")!))
        }
        try writer.merge(CellRange("D4")!)  // one cell: nothing to merge, ignored
        try writer.merge(CellRange("D4")!)
        XCTAssertThrowsError(try writer.merge(CellRange(rows: 0...1, columns: 1...2))) {
            XCTAssertEqual($0 as? XLSXError, .invalidRange("A0:B1"))
        }
        try writer.merge(CellRange("A3:B3")!)
        try writer.merge(CellRange(rows: 100...5_000, columns: 1...1))
        XCTAssertThrowsError(try writer.merge(CellRange("A4000:C4000")!))
        try writer.merge(CellRange("B4000:C4000")!)
        XCTAssertThrowsError(try writer.appendRow(Array(repeating: Cell.empty, count: 16_385))) {
            XCTAssertEqual($0 as? XLSXError, .tooManyColumns(count: 16_385))
        }
        XCTAssertThrowsError(try writer.appendRow(["x"], height: 500))
        XCTAssertEqual(writer.nextRow, 1, "refused rows are not written")
        XCTAssertThrowsError(try writer.defineName(DefinedName("A1", refersTo: "1")))
        try writer.defineName(DefinedName("名称", refersTo: "1"))
        XCTAssertThrowsError(try writer.defineName(DefinedName("名称", refersTo: "2")))
        try writer.defineName(DefinedName("名称", refersTo: "2", sheetIndex: 0))
        try writer.defineName(DefinedName("其他", refersTo: "2", sheetIndex: 5))
        XCTAssertThrowsError(try writer.finish()) { XCTAssertEqual($0 as? XLSXError, .invalidSheetIndex(5)) }
    }

    func testNoVisibleSheetAndFinished() throws {
        let writer = try XLSXStreamWriter(sink: CountingSink(), properties: DocumentProperties(created: Self.created))
        try writer.beginSheet("隐藏", setup: SheetSetup(visibility: .hidden))
        XCTAssertThrowsError(try writer.finish()) { XCTAssertEqual($0 as? XLSXError, .noVisibleSheet) }
        try writer.beginSheet("可见")
        try writer.finish()
        XCTAssertThrowsError(try writer.beginSheet("再来")) { XCTAssertEqual($0 as? XLSXError, .finished) }
    }

    func testRowLimit() throws {
        let writer = try XLSXStreamWriter(sink: CountingSink(), properties: DocumentProperties(created: Self.created))
        try writer.beginSheet("满")
        for _ in 1..<SheetLimits.maxRows { try writer.appendRow([]) }
        try writer.appendRow(["最后一行"])
        XCTAssertThrowsError(try writer.appendRow([])) { XCTAssertEqual($0 as? XLSXError, .tooManyRows(row: 1_048_577)) }
        try writer.finish()
    }

    func testLongTextIsCutToTheCellLimit() throws {
        let long = String(repeating: "数", count: 40_000)
        let bytes = try Workbook(properties: DocumentProperties(created: Self.created), sheets: [Sheet(name: "长", rows: [Sheet.Row([.text(long)])])]).bytes()
        let sheet = try XCTUnwrap(try TinyZipReader(bytes).text("xl/worksheets/sheet1.xml"))
        XCTAssertTrue(sheet.contains("<t>" + String(repeating: "数", count: 32_767) + "</t>"))
    }

    func testFailingSinkStopsTheWriter() throws {
        struct Refusing: ByteSink {
            struct Full: Error {}
            var budget = 1_000
            mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
                budget -= bytes.count
                if budget < 0 { throw Full() }
            }
        }
        let writer = try XLSXStreamWriter(sink: Refusing(), properties: DocumentProperties(created: Self.created),
                                          options: WriterOptions(compression: .stored, flushThreshold: 100))
        try writer.beginSheet("表")
        XCTAssertThrowsError(try { for i in 0..<1_000 { try writer.appendRow([.integer(i)]) } }()) { XCTAssertTrue($0 is Refusing.Full) }
        XCTAssertThrowsError(try writer.appendRow([])) { XCTAssertEqual($0 as? XLSXError, .failed) }
        XCTAssertThrowsError(try writer.finish()) { XCTAssertEqual($0 as? XLSXError, .failed) }
    }

    func assertWellFormed(_ data: [UInt8], _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertTrue(Self.isWellFormed(data), "\(name) is not well-formed", file: file, line: line)
    }

    static func isWellFormed(_ data: [UInt8]) -> Bool {
        XMLParser(data: Data(data)).parse()
    }

    func testTheWellFormednessCheckWorks() {
        XCTAssertTrue(Self.isWellFormed(Array("<a x=\"&amp;\">数</a>".utf8)))
        XCTAssertFalse(Self.isWellFormed(Array("<a>&</a>".utf8)))
        XCTAssertFalse(Self.isWellFormed(Array("<a>\u{1}</a>".utf8)))
        XCTAssertFalse(Self.isWellFormed(Array("<a>1 < 2</a>".utf8)))
    }
}

final class StreamingTests: XCTestCase {
    /// A sink that keeps nothing: it counts, checks the bytes arrive in many bounded chunks while the
    /// rows are appended, and keeps the CRC of everything (to compare two runs).
    struct WatchingSink: ByteSink {
        var count = 0
        var chunks = 0
        var largest = 0
        var crc = CRC32()
        mutating func write(_ bytes: UnsafeRawBufferPointer) {
            count += bytes.count
            chunks += 1
            largest = max(largest, bytes.count)
            crc.update(bytes)
        }
    }

    func testTwoHundredThousandRowsInBoundedMemory() throws {
        for compression in [ZipCompression.stored, .deflate] {
            let threshold = 32 * 1024
            let writer = try XLSXStreamWriter(sink: WatchingSink(), properties: DocumentProperties(created: WorkbookTests.created),
                                              options: WriterOptions(compression: compression, flushThreshold: threshold))
            try writer.beginSheet("明细", setup: SheetSetup(frozen: FrozenPanes(rows: 1)))
            try writer.appendRow(["单位名称", "统一社会信用代码", "数据量", "是否填报"].map { Cell.text($0, style: .header) })
            var seenMidway = 0
            for i in 0..<200_000 {
                try writer.appendRow([
                    .text("第\(i)家单位（数据资源）", style: .text), .text("91110000MA0\(i)", style: .textCentered),
                    .number("\(i).\(i % 1000)", style: .number()), .boolean(i % 2 == 0),
                ])
                if i == 100_000 { seenMidway = writer.sink.count }
            }
            try writer.finish()
            // The writer never held more than the threshold plus one row of sheet XML …
            XCTAssertLessThan(writer.peakBufferedBytes, threshold + 512)
            XCTAssertGreaterThanOrEqual(writer.peakBufferedBytes, threshold)
            // … and the sink received the sheet while the rows were being appended, in bounded chunks.
            XCTAssertGreaterThan(seenMidway, writer.sink.count / 3)
            XCTAssertGreaterThan(writer.sink.chunks, 200)
            XCTAssertLessThanOrEqual(writer.sink.largest, threshold * 9 / 8 + 1024)
            XCTAssertEqual(UInt64(writer.sink.count), writer.bytesWritten)
            XCTAssertEqual(writer.rowsWritten, 200_001)
        }
    }

    /// A whole streamed sheet read back: every row present, in order.
    func testStreamedSheetReadsBack() throws {
        let writer = try XLSXStreamWriter(sink: ByteArraySink(), properties: DocumentProperties(created: WorkbookTests.created),
                                          options: WriterOptions(compression: .deflate, flushThreshold: 4096))
        try writer.beginSheet("表")
        for i in 1...20_000 { try writer.appendRow([.integer(i), .number("\(i).5"), .text("行\(i)")]) }
        try writer.finish()
        let zip = try TinyZipReader(writer.sink.bytes)
        let sheet = try XCTUnwrap(zip.text("xl/worksheets/sheet1.xml"))
        XCTAssertEqual(sheet.components(separatedBy: "<row ").count - 1, 20_000)
        XCTAssertTrue(sheet.contains("<row r=\"20000\"><c r=\"A20000\"><v>20000</v></c><c r=\"B20000\"><v>20000.5</v></c><c r=\"C20000\" t=\"inlineStr\"><is><t>行20000</t></is></c></row></sheetData>"))
    }
}
