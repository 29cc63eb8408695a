import Foundation
import XCTest
@testable import XLSXReader
import XLSXWriter

/// Crafted ZIP containers: every offset, length and count the central directory and the local
/// headers declare is a lie somewhere here. Each must be refused with a typed error — never a crash,
/// never a read outside the uploaded bytes (issue #11, finding 2).
final class ZipHostileTests: XCTestCase {
    static let sheet = "<row><c><v>1</v></c></row>"

    /// Offsets of the records in `bytes` (a ZipBuilder archive without comment).
    struct Layout {
        var eocd: Int
        var directory: Int
        /// Central directory records, in order.
        var records: [Int] = []
        /// Local headers, in order.
        var locals: [Int] = []

        init(_ b: [UInt8]) {
            func u32(_ k: Int) -> Int { Int(b[k]) | Int(b[k + 1]) << 8 | Int(b[k + 2]) << 16 | Int(b[k + 3]) << 24 }
            eocd = b.count - 22
            while u32(eocd) != 0x0605_4B50 { eocd -= 1 }
            directory = u32(eocd + 16)
            // ZIP64: the directory offset is in the ZIP64 end record (low 32 bits are enough here).
            if directory == 0xFFFF_FFFF { directory = u32(u32(eocd - 20 + 8) + 48) }
            var k = directory
            while k + 46 <= eocd && b[k] == 0x50 && b[k + 1] == 0x4B && b[k + 2] == 0x01 && b[k + 3] == 0x02 {
                records.append(k)
                var local = u32(k + 42)
                // ZIP64 (ZipBuilder's field: size, compressed size, offset).
                if local == 0xFFFF_FFFF { local = u32(k + 46 + (Int(b[k + 28]) | Int(b[k + 29]) << 8) + 4 + 16) }
                locals.append(local)
                k += 46 + (Int(b[k + 28]) | Int(b[k + 29]) << 8) + (Int(b[k + 30]) | Int(b[k + 31]) << 8) + (Int(b[k + 32]) | Int(b[k + 33]) << 8)
            }
        }
    }

    static func put16(_ b: inout [UInt8], _ at: Int, _ v: Int) {
        b[at] = UInt8(truncatingIfNeeded: v)
        b[at + 1] = UInt8(truncatingIfNeeded: v >> 8)
    }

    static func put32(_ b: inout [UInt8], _ at: Int, _ v: UInt32) {
        for k in 0..<4 { b[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) }
    }

    static func put64(_ b: inout [UInt8], _ at: Int, _ v: UInt64) {
        for k in 0..<8 { b[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) }
    }

    /// Reads `bytes` and every entry of its directory; returns the first refusal, if any.
    static func readEverything(_ bytes: [UInt8]) -> XLSXReadError? {
        do {
            _ = try XLSXFile.read(bytes)
            let zip = try ZipArchive(bytes, limits: .standard)
            var total = 0
            for entry in zip.entries { _ = try zip.read(entry, totalRead: &total, limits: .standard) }
            return nil
        } catch {
            return error
        }
    }

    func refusedAsCorrupt(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        assertRefused(.corrupt, file: file, line: line) { () throws(XLSXReadError) in try XLSXFile.read(bytes) }
    }

    // MARK: Local headers

    /// A local header in the last bytes of the file whose name would run past the end: the name was
    /// compared before its length was checked against the buffer.
    /// Before: a trap in debug builds, an unchecked read past the buffer in release builds.
    func testLocalHeaderNameRunningPastTheEnd() throws {
        let long = "worksheets/" + String(repeating: "长", count: 20_000) + ".xml"
        let name = "xl/" + long
        var workbook = MiniWorkbook(sheetData: Self.sheet)
        for (k, part) in workbook.parts.enumerated() {
            if part.0 == "xl/worksheets/sheet1.xml" { workbook.parts[k].0 = name }
            if part.0 == "xl/_rels/workbook.xml.rels" {
                workbook.parts[k].1 = Array(String(decoding: part.1, as: UTF8.self).replacingOccurrences(of: "worksheets/sheet1.xml", with: long).utf8)
            }
        }
        XCTAssertNoThrow(try XLSXFile.read(workbook.bytes()))
        var zip = workbook.zip()
        // A fake local header (30 bytes, name length = the real name's) as the archive comment.
        var fake: [UInt8] = []
        fake.u32(0x0403_4B50)
        fake += [UInt8](repeating: 0, count: 22)
        fake.u16(UInt16(name.utf8.count))
        fake.u16(0)
        zip.comment = fake
        var bytes = zip.bytes()
        let layout = Layout(bytes)
        let record = try XCTUnwrap(layout.records.first { Int(bytes[$0 + 28]) | Int(bytes[$0 + 29]) << 8 == name.utf8.count })
        Self.put32(&bytes, record + 42, UInt32(bytes.count - 30))
        refusedAsCorrupt(bytes)
    }

    func testLocalHeaderOffsetsPastTheEnd() {
        let good = MiniWorkbook(sheetData: Self.sheet).bytes()
        let layout = Layout(good)
        for offset: UInt32 in [UInt32(good.count - 29), UInt32(good.count - 1), UInt32(good.count), UInt32(good.count + 1_000), 0x7FFF_FFFF, 0xFFFF_FFFE] {
            var bytes = good
            Self.put32(&bytes, layout.records[4] + 42, offset)
            refusedAsCorrupt(bytes)
        }
    }

    func testLocalNameAndExtraLengthsPastTheEnd() {
        let good = MiniWorkbook(sheetData: Self.sheet).bytes()
        let layout = Layout(good)
        let last = layout.locals[layout.locals.count - 1]
        // The last entry's local extra field reaching past the file; its data then starts beyond it.
        for extra in [0xFFFF, good.count - last] {
            var bytes = good
            Self.put16(&bytes, last + 28, extra)
            XCTAssertNotNil(Self.readEverything(bytes), "extra \(extra)")
        }
        var bytes = good
        Self.put16(&bytes, last + 26, 0xFFFF)
        XCTAssertNotNil(Self.readEverything(bytes))
    }

    func testCompressedSizesPastTheEnd() {
        for deflate in [false, true] {
            let good = MiniWorkbook(sheetData: Self.sheet).bytes(deflate: deflate)
            let layout = Layout(good)
            for size: UInt32 in [UInt32(good.count), 0x7FFF_FFFF, 0xFFFF_FFFE] {
                var bytes = good
                Self.put32(&bytes, layout.records[4] + 20, size)
                if !deflate { Self.put32(&bytes, layout.records[4] + 24, size) }
                XCTAssertNotNil(Self.readEverything(bytes), "\(deflate) \(size)")
            }
        }
    }

    // MARK: Central directory

    func testDirectoryNameExtraAndCommentLengthsPastTheDirectory() {
        let good = MiniWorkbook(sheetData: Self.sheet).bytes()
        let layout = Layout(good)
        for field in [28, 30, 32] {
            for record in [layout.records[0], layout.records[layout.records.count - 1]] {
                var bytes = good
                Self.put16(&bytes, record + field, 0xFFFF)
                refusedAsCorrupt(bytes)
            }
        }
    }

    func testDirectoryExtraFieldLengthsPastTheirField() {
        var zip = MiniWorkbook(sheetData: Self.sheet).zip()
        zip.zip64 = true
        let good = zip.bytes()
        let layout = Layout(good)
        // The ZIP64 field's own length: beyond the extra field, and too short for the values it must hold.
        for length in [0xFFFF, 25, 8, 0] {
            var bytes = good
            let nameLength = Int(bytes[layout.records[4] + 28]) | Int(bytes[layout.records[4] + 29]) << 8
            Self.put16(&bytes, layout.records[4] + 46 + nameLength + 2, length)
            XCTAssertNotNil(Self.readEverything(bytes), "length \(length)")
        }
    }

    func testZIP64ValuesBeyondAnyFile() {
        var zip = MiniWorkbook(sheetData: Self.sheet).zip()
        zip.zip64 = true
        let good = zip.bytes()
        let layout = Layout(good)
        let nameLength = Int(good[layout.records[4] + 28]) | Int(good[layout.records[4] + 29]) << 8
        let values = layout.records[4] + 46 + nameLength + 4
        // size, compressed size, offset: each set to values that are negative as Int64, or huge.
        for field in 0..<3 {
            for value: UInt64 in [UInt64.max, 1 << 63, (1 << 62) + 1, UInt64(Int.max), UInt64(good.count)] {
                var bytes = good
                Self.put64(&bytes, values + 8 * field, value)
                XCTAssertNotNil(Self.readEverything(bytes), "field \(field) value \(value)")
            }
        }
    }

    func testZIP64EndRecordBeyondAnyFile() {
        var zip = MiniWorkbook(sheetData: Self.sheet).zip()
        zip.zip64 = true
        let good = zip.bytes()
        let eocd = good.count - 22
        let locator = eocd - 20
        let record = locator - 56
        // Locator → record offset.
        for value: UInt64 in [UInt64.max, 1 << 63, UInt64(good.count), UInt64(locator - 55)] {
            var bytes = good
            Self.put64(&bytes, locator + 8, value)
            refusedAsCorrupt(bytes)
        }
        // Record → entry count, directory size, directory offset.
        for field in [32, 40, 48] {
            for value: UInt64 in [UInt64.max, 1 << 63, (1 << 62) + 1, UInt64(good.count)] {
                var bytes = good
                Self.put64(&bytes, record + field, value)
                XCTAssertNotNil(Self.readEverything(bytes), "field \(field) value \(value)")
            }
        }
    }

    func testEndRecordFieldsPastTheEnd() {
        let good = MiniWorkbook(sheetData: Self.sheet).bytes()
        let eocd = good.count - 22
        for (field, value) in [(12, UInt32(0xFFFF_FFFF)), (16, 0xFFFF_FFFF), (12, UInt32(good.count)), (16, UInt32(eocd - 1))] {
            var bytes = good
            Self.put32(&bytes, eocd + field, value)
            refusedAsCorrupt(bytes)
        }
        // More entries than the directory holds (refused as corrupt, or beyond the entry limit).
        for count in [6, 200, 0xFFFF] {
            var bytes = good
            Self.put16(&bytes, eocd + 10, count)
            XCTAssertNotNil(Self.readEverything(bytes), "count \(count)")
        }
    }

    // MARK: Overlapping entries

    /// Two directory records pointing at one local header (the overlapping-entries ZIP bomb).
    func testEntriesSharingData() {
        var zip = MiniWorkbook(sheetData: Self.sheet).zip()
        zip.stored("xl/worksheets/sheet1.xml.copy", "x")
        var bytes = zip.bytes()
        let layout = Layout(bytes)
        Self.put32(&bytes, layout.records[5] + 42, UInt32(layout.locals[4]))
        let error = assertRefused(.corrupt) { () throws(XLSXReadError) in try XLSXFile.read(bytes) }
        XCTAssertTrue(error?.message.contains("重叠") ?? false, error?.message ?? "")
    }

    /// An entry whose declared data runs into the next entry, or into the central directory.
    func testEntryDataOverlappingTheNextEntryOrTheDirectory() {
        let good = MiniWorkbook(sheetData: Self.sheet).bytes()
        let layout = Layout(good)
        var bytes = good
        let gap = UInt32(layout.locals[2] - layout.locals[1])
        Self.put32(&bytes, layout.records[1] + 20, gap)
        Self.put32(&bytes, layout.records[1] + 24, gap)
        refusedAsCorrupt(bytes)
        bytes = good
        let last = layout.records.count - 1
        let reach = UInt32(layout.directory - layout.locals[last])
        Self.put32(&bytes, layout.records[last] + 20, reach)
        Self.put32(&bytes, layout.records[last] + 24, reach)
        XCTAssertNotNil(Self.readEverything(bytes))
    }

    // MARK: Everything at once

    /// Every byte of the headers, records and end record set to values that break lengths and
    /// offsets; then every truncation. Nothing may crash; the archive must be refused or read.
    func testEveryHeaderByteMutated() {
        for zip64 in [false, true] {
            var zip = MiniWorkbook(sheetData: Self.sheet).zip(deflate: true)
            zip.zip64 = zip64
            let good = zip.bytes()
            let layout = Layout(good)
            var positions: [Int] = Array(layout.directory..<good.count)
            for local in layout.locals { positions += Array(local..<min(local + 30, good.count)) }
            for at in positions {
                for value: UInt8 in [0x00, 0x7F, 0x80, 0xFF] {
                    var bytes = good
                    bytes[at] = value
                    _ = Self.readEverything(bytes)
                }
            }
            for cut in 0..<good.count {
                XCTAssertNotNil(Self.readEverything(Array(good[0..<cut])), "cut at \(cut)")
            }
        }
    }
}
