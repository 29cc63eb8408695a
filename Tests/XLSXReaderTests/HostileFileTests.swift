import Foundation
import XCTest
@testable import XLSXReader
import XLSXWriter

/// Uploads to refuse: what they are refused as, with which message, and at what cost.
final class HostileFileTests: XCTestCase {
    static func writerBytes(_ compression: ZipCompression = .deflate) throws -> [UInt8] {
        try RoundTripTests.writerWorkbook(compression: compression).bytes()
    }

    // MARK: Not a workbook

    func testNotAZip() {
        for bytes in [[], Array("PK".utf8), Array("name,value\n数据量,12\n".utf8), Array("%PDF-1.7\n".utf8) + [UInt8](repeating: 0, count: 500),
                      [UInt8](repeating: 0x50, count: 3)] {
            let error = assertRefused(.notXLSX) { () throws(XLSXReadError) in try XLSXFile.read(bytes) }
            XCTAssertEqual(error?.message, "文件不是 Excel 工作簿（.xlsx），请选择正确的文件后上传。")
        }
    }

    func testOtherZipsAreNotWorkbooks() {
        var empty = ZipBuilder()
        assertRefused(.notXLSX) { () throws(XLSXReadError) in try XLSXFile.read(empty.bytes()) }
        empty.stored("photo.jpg", [0xFF, 0xD8, 0xFF])
        assertRefused(.notXLSX) { () throws(XLSXReadError) in try XLSXFile.read(empty.bytes()) }
        var ods = ZipBuilder()
        ods.stored("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        ods.stored("content.xml", "<office:document-content/>")
        assertRefused(.notXLSX) { () throws(XLSXReadError) in try XLSXFile.read(ods.bytes()) }
        var docx = MiniWorkbook(sheets: [])
        docx["xl/workbook.xml"] = nil
        docx["word/document.xml"] = Array("<w:document/>".utf8)
        assertRefused(.notXLSX) { () throws(XLSXReadError) in try XLSXFile.read(docx.bytes()) }
    }

    func testOLECompoundFile() {
        let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 4096)
        let error = assertRefused(.encrypted) { () throws(XLSXReadError) in try XLSXFile.read(ole) }
        XCTAssertEqual(error?.message, "文件已加密或是旧版 Excel（.xls）格式，请另存为 .xlsx 后上传")
        // Even when larger than the size limit: the format is the more useful answer.
        assertRefused(.encrypted) { () throws(XLSXReadError) in try XLSXFile.read(ole, limits: XLSXReadLimits(maxFileSize: 100)) }
    }

    func testEncryptedZipEntries() throws {
        var zip = MiniWorkbook(sheetData: "<row><c><v>1</v></c></row>").zip()
        zip.entries[4].flags |= 1
        let error = assertRefused(.encrypted) { () throws(XLSXReadError) in try XLSXFile.read(zip.bytes()) }
        XCTAssertEqual(error?.part, "xl/worksheets/sheet1.xml")
        XCTAssertTrue(error?.message.contains("加密") ?? false)
        // Strong encryption (bit 6) as well.
        zip.entries[4].flags = 0x0840
        assertRefused(.encrypted) { () throws(XLSXReadError) in try XLSXFile.read(zip.bytes()) }
    }

    // MARK: Macros and binary workbooks

    func testMacroWorkbookFixture() throws {
        let error = assertRefused(.macroEnabled) { () throws(XLSXReadError) in try XLSXFile.read(try! Fixture.bytes("macro.xlsm")) }
        XCTAssertTrue(error?.message.hasPrefix("含宏的工作簿（.xlsm）不予接收") ?? false, error?.message ?? "")
    }

    func testMacroSigns() {
        // A VBA project alone, under any case.
        var vba = MiniWorkbook(sheetData: "")
        vba["xl/VBAProject.bin"] = [1, 2, 3]
        assertRefused(.macroEnabled) { () throws(XLSXReadError) in try vba.read() }
        // The macro-enabled content type alone.
        let typed = MiniWorkbook(sheets: [("表", "")], workbookContentType: "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
        assertRefused(.macroEnabled) { () throws(XLSXReadError) in try typed.read() }
        // A macro-enabled template.
        let template = MiniWorkbook(sheets: [("表", "")], workbookContentType: "application/vnd.ms-excel.template.macroEnabled.main+xml")
        assertRefused(.macroEnabled) { () throws(XLSXReadError) in try template.read() }
        // Excel 4.0 macro sheets.
        var xlm = MiniWorkbook(sheetData: "")
        xlm["xl/macrosheets/sheet1.xml"] = Array("<xm:macrosheet/>".utf8)
        assertRefused(.macroEnabled) { () throws(XLSXReadError) in try xlm.read() }
        // A binary workbook.
        var xlsb = MiniWorkbook(sheetData: "")
        xlsb["xl/workbook.bin"] = [0]
        let error = assertRefused(.unsupported) { () throws(XLSXReadError) in try xlsb.read() }
        XCTAssertTrue(error?.message.contains(".xlsb") ?? false)
    }

    // MARK: Broken files

    func testTruncatedFiles() throws {
        for compression in [ZipCompression.stored, .deflate] {
            let bytes = try Self.writerBytes(compression)
            for cut in [bytes.count - 1, bytes.count - 22, bytes.count / 2, 100, 31] {
                let error = assertRefused(.corrupt) { () throws(XLSXReadError) in try XLSXFile.read(Array(bytes[0..<cut])) }
                XCTAssertTrue(error?.message.hasPrefix("文件已损坏") ?? false, "\(cut): \(error?.message ?? "")")
            }
        }
        // The end records kept but data missing from the middle: offsets point past the data.
        let bytes = try Self.writerBytes()
        let tail = 2_000
        let spliced = Array(bytes[0..<1_000]) + Array(bytes[(bytes.count - tail)...])
        assertRefused(.corrupt) { () throws(XLSXReadError) in try XLSXFile.read(spliced) }
    }

    func testWrongCRC() throws {
        var zip = MiniWorkbook(sheetData: "<row><c><v>1</v></c></row>").zip(deflate: true)
        zip.entries[4].crc ^= 0x0000_0100
        let error = assertRefused(.corrupt) { () throws(XLSXReadError) in try XLSXFile.read(zip.bytes()) }
        XCTAssertEqual(error?.part, "xl/worksheets/sheet1.xml")
        XCTAssertTrue(error?.message.contains("CRC-32") ?? false)
        // One data byte changed in a stored entry of XLSXWriter's output.
        var bytes = try Self.writerBytes(.stored)
        let marker = Array("全国数据资源调查汇总表".utf8)
        let at = try XCTUnwrap((0..<(bytes.count - marker.count)).first { bytes[$0..<($0 + marker.count)].elementsEqual(marker) })
        bytes[at] ^= 0x01
        assertRefused(.corrupt) { () throws(XLSXReadError) in try XLSXFile.read(bytes) }
    }

    func testBrokenDeflateData() throws {
        var zip = MiniWorkbook(sheetData: "<row><c><v>1</v></c></row>").zip(deflate: true)
        zip.entries[4].data[0] |= 0b110  // block type 11
        let error = assertRefused(.corrupt) { () throws(XLSXReadError) in try XLSXFile.read(zip.bytes()) }
        XCTAssertTrue(error?.message.contains("压缩数据无效") ?? false)
        // The directory declaring fewer bytes than the data decodes to.
        zip = MiniWorkbook(sheetData: "<row><c><v>1</v></c></row>").zip(deflate: true)
        zip.entries[4].size -= 1
        assertRefused(.corrupt) { () throws(XLSXReadError) in try XLSXFile.read(zip.bytes()) }
        // … or more.
        zip.entries[4].size += 2
        assertRefused(.corrupt) { () throws(XLSXReadError) in try XLSXFile.read(zip.bytes()) }
    }

    func testMissingParts() {
        var workbook = MiniWorkbook(sheetData: "")
        workbook["xl/workbook.xml"] = nil
        var error = assertRefused(.corrupt) { () throws(XLSXReadError) in try workbook.read() }
        XCTAssertTrue(error?.message.contains("xl/workbook.xml") ?? false)

        workbook = MiniWorkbook(sheetData: "")
        workbook["xl/_rels/workbook.xml.rels"] = nil
        error = assertRefused(.corrupt) { () throws(XLSXReadError) in try workbook.read() }
        XCTAssertTrue(error?.message.contains("xl/_rels/workbook.xml.rels") ?? false)

        workbook = MiniWorkbook(sheetData: "")
        workbook["xl/worksheets/sheet1.xml"] = nil
        assertRefused(.corrupt) { () throws(XLSXReadError) in try workbook.read() }

        workbook = MiniWorkbook(sheetData: "")
        workbook["xl/workbook.xml"] = Array("<workbook><sheets><sheet name=\"x\" r:id=\"rId7\"/></sheets></workbook>".utf8)
        assertRefused(.corrupt) { () throws(XLSXReadError) in try workbook.read() }
    }

    // MARK: Bombs and limits

    /// The hand-made bomb: 1 + 258 × matches zero bytes.
    static func bomb(matches: Int, declaredSize: UInt64? = nil) -> [UInt8] {
        var workbook = MiniWorkbook(sheetData: "")
        workbook["xl/worksheets/sheet1.xml"] = nil
        var zip = workbook.zip(deflate: true)
        let compressed = TestDeflate.zeroBomb(matches: matches)
        zip.raw("xl/worksheets/sheet1.xml", compressed: compressed, size: declaredSize ?? UInt64(1 + 258 * matches), crc: 0)
        return zip.bytes()
    }

    /// Runs `body`, returning seconds taken and how much the peak resident memory grew (nil if unknown).
    func measure(_ body: () -> Void) -> (seconds: Double, peakGrowth: Int?) {
        let reset = PeakMemory.reset()
        let before = PeakMemory.current()
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard reset, let before, let after = PeakMemory.current() else {
            print("\(name): \(seconds) s (peak memory not measurable here)")
            return (seconds, nil)
        }
        print("\(name): \(String(format: "%.3f", seconds)) s, peak resident memory +\((after - before) >> 10) KiB")
        return (seconds, after - before)
    }

    func testGigabyteBombIsRefusedWithoutInflating() throws {
        let matches = (1 << 30) / 258  // 1 GB of zeros
        let bytes = Self.bomb(matches: matches)
        XCTAssertLessThan(bytes.count, 1_100_000, "1 GB in about 1 MB")
        var error: XLSXReadError?
        let cost = measure { error = assertRefused(.limitExceeded(.compressionRatio)) { () throws(XLSXReadError) in try XLSXFile.read(bytes) } }
        XCTAssertEqual(error?.part, "xl/worksheets/sheet1.xml")
        XCTAssertTrue(error?.message.contains("压缩比异常（超过 200:1），疑似压缩炸弹") ?? false, error?.message ?? "")
        XCTAssertLessThan(cost.seconds, 1)
        if let growth = cost.peakGrowth { XCTAssertLessThan(growth, 32 << 20, "peak memory grew by \(growth) bytes") }

        // Without the ratio limit it is the part size.
        var limits = XLSXReadLimits.standard
        limits.maxCompressionRatio = .max
        error = assertRefused(.limitExceeded(.partSize)) { () throws(XLSXReadError) in try XLSXFile.read(bytes, limits: limits) }
        XCTAssertTrue(error?.message.contains("解压后过大（超过 50 MB）") ?? false, error?.message ?? "")
        // And with a part limit of 2 GB, the total.
        limits.maxPartSize = 2 << 30
        assertRefused(.limitExceeded(.totalUncompressedSize)) { () throws(XLSXReadError) in try XLSXFile.read(bytes, limits: limits) }
    }

    func testBombLyingAboutItsSizeStopsAtTheDeclaredSize() throws {
        // The directory claims 8 MB (a ratio of about 8:1); the data holds 1 GB. The inflater stops at
        // the first byte past 8 MB.
        let bytes = Self.bomb(matches: (1 << 30) / 258, declaredSize: 8 << 20)
        var error: XLSXReadError?
        let cost = measure { error = assertRefused(.corrupt) { () throws(XLSXReadError) in try XLSXFile.read(bytes) } }
        XCTAssertTrue(error?.message.contains("大小与目录记录不符") ?? false, error?.message ?? "")
        XCTAssertLessThan(cost.seconds, 2)
        if let growth = cost.peakGrowth { XCTAssertLessThan(growth, 48 << 20, "peak memory grew by \(growth) bytes") }
    }

    func testZlibBombFixture() throws {
        // openpyxl's workbook with 60 MB of white space in its sheet, deflated by zlib to ~60 KB.
        let bytes = try Fixture.bytes("bomb-60mb.xlsx")
        XCTAssertLessThan(bytes.count, 100_000)
        assertRefused(.limitExceeded(.compressionRatio)) { () throws(XLSXReadError) in try XLSXFile.read(bytes) }
        var limits = XLSXReadLimits.standard
        limits.maxCompressionRatio = 2_000
        assertRefused(.limitExceeded(.partSize)) { () throws(XLSXReadError) in try XLSXFile.read(bytes, limits: limits) }
        // Allowed, it is a valid workbook: zlib's 60 MB inflated and checked.
        limits.maxPartSize = 64 << 20
        let document = try XLSXFile.read(bytes, limits: limits)
        XCTAssertEqual(document.sheets[0][1, 1], .text("ok"))
    }

    func testTotalUncompressedSize() throws {
        let row = "<row><c><v>1</v></c></row>"
        let sheets = (1...3).map { ("表\($0)", String(repeating: row, count: 400_000 / row.utf8.count)) }
        let workbook = MiniWorkbook(sheets: sheets)
        let limits = XLSXReadLimits(maxTotalUncompressedSize: 1 << 20)
        let error = assertRefused(.limitExceeded(.totalUncompressedSize)) { () throws(XLSXReadError) in try workbook.read(limits: limits) }
        XCTAssertEqual(error?.part, "xl/worksheets/sheet3.xml")
        XCTAssertEqual(error?.message, "文件解压后过大（超过 1 MB），不予接收。")
        XCTAssertEqual(try workbook.read(limits: XLSXReadLimits(maxTotalUncompressedSize: 2 << 20)).sheets[2].cells.count, 15_384)
    }

    func testFileSize() throws {
        let bytes = try Self.writerBytes()
        let error = assertRefused(.limitExceeded(.fileSize)) { () throws(XLSXReadError) in
            try XLSXFile.read(bytes, limits: XLSXReadLimits(maxFileSize: bytes.count - 1))
        }
        XCTAssertTrue(error?.message.hasPrefix("文件过大") ?? false)
        XCTAssertEqual(XLSXReadError.limit(.fileSize, .standard).message, "文件过大（超过 20 MB），请删去无关的工作表、图片后重新上传。")
        XCTAssertNoThrow(try XLSXFile.read(bytes, limits: XLSXReadLimits(maxFileSize: bytes.count)))
    }

    func testEntryCount() throws {
        var zip = MiniWorkbook(sheetData: "").zip()
        for k in 0..<10_000 { zip.stored("xl/media/image\(k).png", []) }
        let error = assertRefused(.limitExceeded(.entries)) { () throws(XLSXReadError) in try XLSXFile.read(zip.bytes()) }
        XCTAssertEqual(error?.message, "文件包含的部件过多（超过 10000 个），不予接收。")
        XCTAssertNoThrow(try XLSXFile.read(zip.bytes(), limits: XLSXReadLimits(maxEntries: 10_005)))
    }

    func testRowsAndColumns() throws {
        assertRefused(.limitExceeded(.rows)) { () throws(XLSXReadError) in
            try MiniWorkbook(sheetData: "<row r=\"1048577\"><c><v>1</v></c></row>").read()
        }
        assertRefused(.limitExceeded(.rows)) { () throws(XLSXReadError) in
            try MiniWorkbook(sheetData: "<row><c r=\"A1048577\"><v>1</v></c></row>").read()
        }
        let error = assertRefused(.limitExceeded(.columns)) { () throws(XLSXReadError) in
            try MiniWorkbook(sheetData: "<row><c r=\"XFE1\"><v>1</v></c></row>").read()
        }
        XCTAssertEqual(error?.message, "工作表“Sheet1”的列号超过 16384，不予接收。")
        assertRefused(.limitExceeded(.columns)) { () throws(XLSXReadError) in
            try MiniWorkbook(sheetData: "<row><c r=\"ZZZZZZZZZZZZZZZ1\"><v>1</v></c></row>").read()
        }
        XCTAssertNoThrow(try MiniWorkbook(sheetData: "<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row>").read())
        // Caller's limits, cells without references, merges.
        let limits = XLSXReadLimits(maxRows: 10, maxColumns: 3)
        assertRefused(.limitExceeded(.rows)) { () throws(XLSXReadError) in
            try MiniWorkbook(sheetData: String(repeating: "<row><c><v>1</v></c></row>", count: 11)).read(limits: limits)
        }
        assertRefused(.limitExceeded(.columns)) { () throws(XLSXReadError) in
            try MiniWorkbook(sheetData: "<row>" + String(repeating: "<c><v>1</v></c>", count: 4) + "</row>").read(limits: limits)
        }
        assertRefused(.limitExceeded(.rows)) { () throws(XLSXReadError) in
            try MiniWorkbook(sheets: [("x", "<worksheet><sheetData/><mergeCells><mergeCell ref=\"A1:A11\"/></mergeCells></worksheet>")]).read(limits: limits)
        }
    }

    func testSharedStringCount() throws {
        let sst = "<sst xmlns=\"\(MiniWorkbook.main)\" uniqueCount=\"2000000000\">" + String(repeating: "<si><t>x</t></si>", count: 4) + "</sst>"
        let workbook = MiniWorkbook(sheetData: "<row><c t=\"s\"><v>3</v></c></row>", sharedStrings: sst)
        let error = assertRefused(.limitExceeded(.sharedStrings)) { () throws(XLSXReadError) in
            try workbook.read(limits: XLSXReadLimits(maxSharedStrings: 3))
        }
        XCTAssertEqual(error?.message, "文件中的共享字符串超过 3 个，不予接收。")
        XCTAssertEqual(try workbook.read(limits: XLSXReadLimits(maxSharedStrings: 4)).sheets[0][1, 1], .text("x"))
    }

    func testCellCount() throws {
        let workbook = MiniWorkbook(sheets: [("a", String(repeating: "<row><c><v>1</v></c><c><v>2</v></c></row>", count: 30)),
                                             ("b", "<row r=\"5\"><c><v>1</v></c></row>")])
        assertRefused(.limitExceeded(.cells)) { () throws(XLSXReadError) in try workbook.read(limits: XLSXReadLimits(maxCells: 60)) }
        XCTAssertNoThrow(try workbook.read(limits: XLSXReadLimits(maxCells: 61)))
    }
}
