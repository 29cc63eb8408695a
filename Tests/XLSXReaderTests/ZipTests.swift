import XCTest
@testable import XLSXReader
import XLSXWriter

/// The ZIP layer: end records, ZIP64, the central directory against local headers.
final class ZipTests: XCTestCase {
    static let sheet = "<row><c t=\"inlineStr\"><is><t>压缩包</t></is></c><c><v>3.14</v></c></row>"

    func check(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        do {
            let s = try XLSXFile.read(bytes).sheets[0]
            XCTAssertEqual(s[1, 1], .text("压缩包"), file: file, line: line)
            XCTAssertEqual(s[1, 2], .number("3.14"), file: file, line: line)
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
    }

    func testStoredAndDeflatedEntries() {
        check(MiniWorkbook(sheetData: Self.sheet).bytes(deflate: false))
        check(MiniWorkbook(sheetData: Self.sheet).bytes(deflate: true))
        // Stored blocks inside DEFLATE (method 8).
        var zip = ZipBuilder()
        for (name, bytes) in MiniWorkbook(sheetData: Self.sheet).parts {
            zip.raw(name, compressed: TestDeflate.stored(bytes), size: UInt64(bytes.count), crc: CRC32.checksum(bytes))
        }
        check(zip.bytes())
    }

    func testZIP64Records() {
        var zip = MiniWorkbook(sheetData: Self.sheet).zip(deflate: true)
        zip.zip64 = true
        let bytes = zip.bytes()
        // The classic end record holds only 0xFFFF / 0xFFFFFFFF.
        XCTAssertEqual(Array(bytes[(bytes.count - 12)..<(bytes.count - 2)]), [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        check(bytes)
        // The ZIP64 end record pointing nowhere.
        var broken = bytes
        broken[broken.count - 22 - 20 + 8] ^= 0x40
        assertRefused(.corrupt) { () throws(XLSXReadError) in try XLSXFile.read(broken) }
    }

    func testXLSXWriterZIP64() throws {
        // XLSXWriter writes the ZIP64 end record itself from 65,535 entries on; here it is simply
        // its ordinary data descriptors (sizes after the data, zeros in the local headers).
        let bytes = try RoundTripTests.writerWorkbook(compression: .deflate).bytes()
        XCTAssertEqual(bytes[6] & 0x08, 0x08, "general-purpose bit 3")
        XCTAssertEqual(Array(bytes[14..<26]), [UInt8](repeating: 0, count: 12), "no CRC or sizes in the local header")
        XCTAssertNoThrow(try XLSXFile.read(bytes))
    }

    func testCommentAndGap() {
        var zip = MiniWorkbook(sheetData: Self.sheet).zip(deflate: true)
        zip.comment = Array("注释 PK\u{05}\u{06} not an end record".utf8)
        zip.gap = [UInt8](repeating: 0xAB, count: 100)
        check(zip.bytes())
        zip.comment = [UInt8](repeating: 0x50, count: 65_535)
        check(zip.bytes())
    }

    func testCaseInsensitiveAndBackslashNames() {
        var zip = ZipBuilder()
        for (name, bytes) in MiniWorkbook(sheetData: Self.sheet).parts {
            let renamed = name == "xl/worksheets/sheet1.xml" ? "XL\\Worksheets\\Sheet1.XML" : name
            zip.stored(renamed, bytes)
        }
        check(zip.bytes())
    }

    func testDuplicateNames() {
        var zip = MiniWorkbook(sheetData: Self.sheet).zip()
        zip.stored("XL/worksheets/sheet1.xml", "<worksheet/>")
        let error = assertRefused(.corrupt) { () throws(XLSXReadError) in try XLSXFile.read(zip.bytes()) }
        XCTAssertTrue(error?.message.contains("重名") ?? false)
    }

    func testLocalHeaderMustMatchTheDirectory() {
        var zip = MiniWorkbook(sheetData: Self.sheet).zip()
        zip.entries[4].localName = "xl/worksheets/sheet9.xml"
        assertRefused(.corrupt) { () throws(XLSXReadError) in try XLSXFile.read(zip.bytes()) }
    }

    func testUnsupportedMethod() {
        var zip = MiniWorkbook(sheetData: Self.sheet).zip()
        zip.entries[4].method = 12  // bzip2
        let error = assertRefused(.unsupported) { () throws(XLSXReadError) in try XLSXFile.read(zip.bytes()) }
        XCTAssertTrue(error?.message.contains("压缩方式 12") ?? false)
        // Ignored parts may use anything.
        zip = MiniWorkbook(sheetData: Self.sheet).zip()
        zip.stored("xl/media/image1.emf", [1, 2, 3])
        zip.entries[zip.entries.count - 1].method = 14
        check(zip.bytes())
    }

    func testStoredSizeMismatch() {
        var zip = MiniWorkbook(sheetData: Self.sheet).zip()
        zip.entries[4].size += 1
        assertRefused(.corrupt) { () throws(XLSXReadError) in try XLSXFile.read(zip.bytes()) }
    }

    func testSpannedArchive() {
        var bytes = MiniWorkbook(sheetData: Self.sheet).bytes()
        bytes[bytes.count - 22 + 4] = 1  // number of this disk
        assertRefused(.unsupported) { () throws(XLSXReadError) in try XLSXFile.read(bytes) }
    }

    func testDirectoryOutOfRange() {
        var bytes = MiniWorkbook(sheetData: Self.sheet).bytes()
        bytes[bytes.count - 22 + 16] &+= 50  // central directory offset
        assertRefused(.corrupt) { () throws(XLSXReadError) in try XLSXFile.read(bytes) }
        bytes = MiniWorkbook(sheetData: Self.sheet).bytes()
        bytes[bytes.count - 22 + 10] &+= 1  // one entry more than the directory holds
        assertRefused(.corrupt) { () throws(XLSXReadError) in try XLSXFile.read(bytes) }
    }

    func testOnlyPartsReadCount() throws {
        // A big image does not count against the total: it is never decompressed.
        var zip = MiniWorkbook(sheetData: Self.sheet).zip()
        zip.raw("xl/media/image1.png", compressed: TestDeflate.zeroBomb(matches: 100_000), size: 1 + 258 * 100_000, crc: 0)
        check(zip.bytes())
    }
}
