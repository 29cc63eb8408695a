import Foundation
import XCTest
@testable import XLSXReader

/// Files made by `Fixtures/make_fixtures.py` (Python's zlib and openpyxl).
enum Fixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }
}

/// Asserts that `body` throws an `XLSXReadError` of `kind`; returns it.
@discardableResult
func assertRefused(_ kind: XLSXReadError.Kind, file: StaticString = #filePath, line: UInt = #line,
                   _ body: () throws(XLSXReadError) -> XLSXDocument) -> XLSXReadError? {
    do {
        _ = try body()
        XCTFail("expected \(kind), got a document", file: file, line: line)
        return nil
    } catch {
        XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
        return error
    }
}

// MARK: Building ZIP files

/// Writes ZIP archives for the tests, with every field under the test's control (so broken and
/// hostile archives can be made): local headers, central directory, end record, optionally ZIP64.
struct ZipBuilder {
    struct Entry {
        var name: String
        /// The bytes stored in the archive (compressed for method 8).
        var data: [UInt8]
        var method: UInt16
        var crc: UInt32
        /// Declared sizes (central directory and local header).
        var size: UInt64
        var compressedSize: UInt64
        var flags: UInt16 = 0x0800
        var localName: String?
    }

    var entries: [Entry] = []
    /// Writes ZIP64 extra fields for every entry and the ZIP64 end record and locator.
    var zip64 = false
    var comment: [UInt8] = []
    /// Bytes between the last entry and the central directory.
    var gap: [UInt8] = []

    mutating func stored(_ name: String, _ bytes: [UInt8]) {
        entries.append(Entry(name: name, data: bytes, method: 0, crc: CRC32.checksum(bytes), size: UInt64(bytes.count),
                             compressedSize: UInt64(bytes.count)))
    }

    mutating func stored(_ name: String, _ text: String) { stored(name, Array(text.utf8)) }

    /// DEFLATE with the fixed Huffman code (`TestDeflate.fixed`).
    mutating func deflated(_ name: String, _ bytes: [UInt8]) {
        let compressed = TestDeflate.fixed(bytes)
        entries.append(Entry(name: name, data: compressed, method: 8, crc: CRC32.checksum(bytes), size: UInt64(bytes.count),
                             compressedSize: UInt64(compressed.count)))
    }

    mutating func deflated(_ name: String, _ text: String) { deflated(name, Array(text.utf8)) }

    /// An entry with raw DEFLATE data made elsewhere and sizes/CRC as given.
    mutating func raw(_ name: String, compressed: [UInt8], size: UInt64, crc: UInt32) {
        entries.append(Entry(name: name, data: compressed, method: 8, crc: crc, size: size, compressedSize: UInt64(compressed.count)))
    }

    func bytes() -> [UInt8] {
        var out: [UInt8] = []
        var offsets: [UInt64] = []
        for e in entries {
            offsets.append(UInt64(out.count))
            let name = Array((e.localName ?? e.name).utf8)
            var extra: [UInt8] = []
            if zip64 {
                extra.u16(1)
                extra.u16(16)
                extra.u64(e.size)
                extra.u64(e.compressedSize)
            }
            out.u32(0x0403_4B50)
            out.u16(zip64 ? 45 : 20)
            out.u16(e.flags)
            out.u16(e.method)
            out.u16(0)
            out.u16(0x5C7F)
            out.u32(e.crc)
            out.u32(zip64 ? 0xFFFF_FFFF : UInt32(truncatingIfNeeded: e.compressedSize))
            out.u32(zip64 ? 0xFFFF_FFFF : UInt32(truncatingIfNeeded: e.size))
            out.u16(UInt16(name.count))
            out.u16(UInt16(extra.count))
            out += name
            out += extra
            out += e.data
        }
        out += gap
        let directoryStart = UInt64(out.count)
        for (e, offset) in zip(entries, offsets) {
            let name = Array(e.name.utf8)
            var extra: [UInt8] = []
            if zip64 {
                extra.u16(1)
                extra.u16(24)
                extra.u64(e.size)
                extra.u64(e.compressedSize)
                extra.u64(offset)
            }
            out.u32(0x0201_4B50)
            out.u16(zip64 ? 45 : 20)
            out.u16(zip64 ? 45 : 20)
            out.u16(e.flags)
            out.u16(e.method)
            out.u16(0)
            out.u16(0x5C7F)
            out.u32(e.crc)
            out.u32(zip64 ? 0xFFFF_FFFF : UInt32(truncatingIfNeeded: e.compressedSize))
            out.u32(zip64 ? 0xFFFF_FFFF : UInt32(truncatingIfNeeded: e.size))
            out.u16(UInt16(name.count))
            out.u16(UInt16(extra.count))
            out.u16(0)
            out.u16(0)
            out.u16(0)
            out.u32(0)
            out.u32(zip64 ? 0xFFFF_FFFF : UInt32(truncatingIfNeeded: offset))
            out += name
            out += extra
        }
        let directorySize = UInt64(out.count) - directoryStart
        if zip64 {
            let recordOffset = UInt64(out.count)
            out.u32(0x0606_4B50)
            out.u64(44)
            out.u16(45)
            out.u16(45)
            out.u32(0)
            out.u32(0)
            out.u64(UInt64(entries.count))
            out.u64(UInt64(entries.count))
            out.u64(directorySize)
            out.u64(directoryStart)
            out.u32(0x0706_4B50)
            out.u32(0)
            out.u64(recordOffset)
            out.u32(1)
        }
        out.u32(0x0605_4B50)
        out.u16(0)
        out.u16(0)
        out.u16(zip64 ? 0xFFFF : UInt16(min(entries.count, 0xFFFF)))
        out.u16(zip64 ? 0xFFFF : UInt16(min(entries.count, 0xFFFF)))
        out.u32(zip64 ? 0xFFFF_FFFF : UInt32(directorySize))
        out.u32(zip64 ? 0xFFFF_FFFF : UInt32(directoryStart))
        out.u16(UInt16(comment.count))
        out += comment
        return out
    }
}

extension [UInt8] {
    mutating func u16(_ v: UInt16) {
        append(UInt8(truncatingIfNeeded: v))
        append(UInt8(truncatingIfNeeded: v >> 8))
    }

    mutating func u32(_ v: UInt32) {
        for k in 0..<4 { append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(k)))) }
    }

    mutating func u64(_ v: UInt64) {
        for k in 0..<8 { append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
    }
}

// MARK: Writing DEFLATE data

/// An LSB-first bit writer, as DEFLATE packs bits.
struct BitWriter {
    var bytes: [UInt8] = []
    private var buffer: UInt64 = 0
    private var count = 0

    mutating func put(_ value: Int, _ bits: Int) {
        buffer |= UInt64(value) << UInt64(count)
        count += bits
        while count >= 8 {
            bytes.append(UInt8(truncatingIfNeeded: buffer))
            buffer >>= 8
            count -= 8
        }
    }

    /// A Huffman code: most significant bit first.
    mutating func code(_ code: Int, _ length: Int) {
        var reversed = 0
        for k in 0..<length where code & (1 << k) != 0 { reversed |= 1 << (length - 1 - k) }
        put(reversed, length)
    }

    var isAligned: Bool { count == 0 }
    var bitCount: Int { bytes.count * 8 + count }

    mutating func alignToByte() {
        if count > 0 { put(0, 8 - count) }
    }

    /// Appends whole zero bytes quickly (the writer must be byte-aligned).
    mutating func zeroBytes(_ n: Int) {
        precondition(count == 0)
        bytes.append(contentsOf: repeatElement(0, count: n))
    }
}

enum TestDeflate {
    /// Fixed-Huffman DEFLATE with greedy matching of runs and of the previous 4 bytes' repeats
    /// (simple, independent of the reader and of XLSXWriter).
    static func fixed(_ input: [UInt8], final: Bool = true) -> [UInt8] {
        var w = BitWriter()
        w.put(final ? 1 : 0, 1)
        w.put(1, 2)
        func literal(_ b: Int) {
            if b < 144 { w.code(0x30 + b, 8) } else { w.code(0x190 + b - 144, 9) }
        }
        func lengthSymbol(_ length: Int) {
            let bases = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
            let extras = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
            var i = bases.count - 1
            while bases[i] > length { i -= 1 }
            let symbol = 257 + i
            if symbol < 280 { w.code(symbol - 256, 7) } else { w.code(0xC0 + symbol - 280, 8) }
            if extras[i] > 0 { w.put(length - bases[i], extras[i]) }
        }
        func distanceSymbol(_ distance: Int) {
            let bases = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                         4097, 6145, 8193, 12289, 16385, 24577]
            let extras = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
            var i = bases.count - 1
            while bases[i] > distance { i -= 1 }
            w.code(i, 5)
            if extras[i] > 0 { w.put(distance - bases[i], extras[i]) }
        }
        var i = 0
        var last: [Int: Int] = [:]  // 4-byte hash → last position
        while i < input.count {
            var bestLength = 0, bestDistance = 0
            if i + 4 <= input.count {
                let key = Int(input[i]) | Int(input[i + 1]) << 8 | Int(input[i + 2]) << 16 | Int(input[i + 3]) << 24
                if let p = last[key], i - p <= 32768 {
                    var l = 0
                    while l < 258 && i + l < input.count && input[p + l] == input[i + l] { l += 1 }
                    if l >= 4 { bestLength = l; bestDistance = i - p }
                }
                last[key] = i
            }
            if bestLength > 0 {
                lengthSymbol(bestLength)
                distanceSymbol(bestDistance)
                i += bestLength
            } else {
                literal(Int(input[i]))
                i += 1
            }
        }
        w.code(0, 7)  // end of block
        w.alignToByte()
        return w.bytes
    }

    /// Stored blocks (BTYPE 00) of at most 65,535 bytes.
    static func stored(_ input: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var k = 0
        repeat {
            let n = min(65_535, input.count - k)
            let final = k + n == input.count
            out.append(final ? 1 : 0)
            out.u16(UInt16(n))
            out.u16(~UInt16(n))
            out += input[k..<(k + n)]
            k += n
        } while k < input.count
        return out
    }

    /// A dynamic-Huffman block of one zero literal then `matches` copies of (length 258,
    /// distance 1) at two bits each: 1 + 258 × matches zero bytes from about matches / 4 bytes.
    static func zeroBomb(matches: Int) -> [UInt8] {
        var w = BitWriter()
        w.put(1, 1)  // final
        w.put(2, 2)  // dynamic
        w.put(286 - 257, 5)  // HLIT
        w.put(2 - 1, 5)  // HDIST
        w.put(19 - 4, 4)  // HCLEN: all 19 (an even bit count so far, so matches reach a byte boundary)
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        let codeLengthLengths = [18: 1, 1: 2, 2: 2]
        for symbol in order { w.put(codeLengthLengths[symbol] ?? 0, 3) }
        // Code-length code: 18 → 0, 1 → 10, 2 → 11.
        func cl(_ symbol: Int) {
            switch symbol {
            case 18: w.code(0, 1)
            case 1: w.code(0b10, 2)
            default: w.code(0b11, 2)
            }
        }
        cl(2)  // literal 0: length 2
        cl(18); w.put(138 - 11, 7)  // literals 1…138: unused
        cl(18); w.put(117 - 11, 7)  // 139…255
        cl(2)  // 256 (end of block): length 2
        cl(18); w.put(28 - 11, 7)  // 257…284
        cl(1)  // 285 (length 258): length 1
        cl(1); cl(1)  // distances 0 and 1: length 1
        // Literal/length code: 285 → 0, 0 → 10, 256 → 11; distance 0 → 0.
        w.code(0b10, 2)  // the zero literal
        // Each match is two zero bits: align with single matches, then whole zero bytes (four
        // matches each), then the rest.
        var remaining = matches
        precondition(w.bitCount % 2 == 0)
        while remaining > 0 && !w.isAligned {
            w.put(0, 2)
            remaining -= 1
        }
        let bulk = remaining / 4
        w.zeroBytes(bulk)
        remaining -= bulk * 4
        while remaining > 0 {
            w.put(0, 2)
            remaining -= 1
        }
        w.code(0b11, 2)  // end of block
        w.alignToByte()
        return w.bytes
    }

}

// MARK: Workbooks by hand

/// The parts of a minimal workbook, to change before zipping.
struct MiniWorkbook {
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    var parts: [(String, [UInt8])] = []

    /// Sheets named, each with the inside of `<sheetData>` (or a whole worksheet when it starts
    /// with `<?xml` or `<worksheet`/`<x:worksheet`).
    init(sheets: [(name: String, xml: String)], sharedStrings: String? = nil, styles: String? = nil,
         workbookExtra: String = "", sheetStates: [String?] = [], definedNames: String = "",
         workbookContentType: String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml") {
        var types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"\(workbookContentType)\"/>"
        var workbook = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"\(Self.main)\" xmlns:r=\"\(Self.rel)\">\(workbookExtra)<sheets>"
        var rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        var sheetParts: [(String, [UInt8])] = []
        for (i, sheet) in sheets.enumerated() {
            let state = i < sheetStates.count ? sheetStates[i].map { " state=\"\($0)\"" } ?? "" : ""
            workbook += "<sheet name=\"\(sheet.name)\" sheetId=\"\(i + 1)\"\(state) r:id=\"rId\(i + 1)\"/>"
            rels += "<Relationship Id=\"rId\(i + 1)\" Type=\"\(Self.rel)/worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
            types += "<Override PartName=\"/xl/worksheets/sheet\(i + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            let trimmed = sheet.xml.drop(while: { $0 == " " || $0 == "\u{FEFF}" })
            let xml = trimmed.hasPrefix("<?xml") || trimmed.hasPrefix("<worksheet") || trimmed.hasPrefix("<x:worksheet")
                ? sheet.xml : "<worksheet xmlns=\"\(Self.main)\"><sheetData>\(sheet.xml)</sheetData></worksheet>"
            sheetParts.append(("xl/worksheets/sheet\(i + 1).xml", Array(xml.utf8)))
        }
        workbook += "</sheets>\(definedNames)</workbook>"
        if let sharedStrings {
            rels += "<Relationship Id=\"rIdS\" Type=\"\(Self.rel)/sharedStrings\" Target=\"sharedStrings.xml\"/>"
            sheetParts.append(("xl/sharedStrings.xml", Array(sharedStrings.utf8)))
        }
        if let styles {
            rels += "<Relationship Id=\"rIdY\" Type=\"\(Self.rel)/styles\" Target=\"styles.xml\"/>"
            sheetParts.append(("xl/styles.xml", Array(styles.utf8)))
        }
        rels += "</Relationships>"
        types += "</Types>"
        parts = [
            ("[Content_Types].xml", Array(types.utf8)),
            ("_rels/.rels", Array(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>").utf8)),
            ("xl/workbook.xml", Array(workbook.utf8)),
            ("xl/_rels/workbook.xml.rels", Array(rels.utf8)),
        ] + sheetParts
    }

    init(sheetData: String, sharedStrings: String? = nil, styles: String? = nil) {
        self.init(sheets: [("Sheet1", sheetData)], sharedStrings: sharedStrings, styles: styles)
    }

    subscript(name: String) -> [UInt8]? {
        get { parts.first { $0.0 == name }?.1 }
        set {
            parts.removeAll { $0.0 == name }
            if let newValue { parts.append((name, newValue)) }
        }
    }

    func zip(deflate: Bool = false) -> ZipBuilder {
        var z = ZipBuilder()
        for (name, bytes) in parts {
            if deflate { z.deflated(name, bytes) } else { z.stored(name, bytes) }
        }
        return z
    }

    func bytes(deflate: Bool = false) -> [UInt8] { zip(deflate: deflate).bytes() }

    func read(deflate: Bool = false, limits: XLSXReadLimits = .standard) throws(XLSXReadError) -> XLSXDocument {
        try XLSXFile.read(bytes(deflate: deflate), limits: limits)
    }
}

// MARK: Memory

/// Peak resident memory of this process since the last `reset()` (Linux: VmHWM, reset through
/// /proc/self/clear_refs); nil where unavailable.
enum PeakMemory {
    static func reset() -> Bool {
        #if os(Linux)
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
        #else
        return false
        #endif
    }

    /// Bytes.
    static func current() -> Int? { statusKilobytes("VmHWM:").map { $0 * 1024 } }

    /// Resident memory now (VmRSS), bytes.
    static func resident() -> Int? { statusKilobytes("VmRSS:").map { $0 * 1024 } }

    /// A line of /proc/self/status in kilobytes (`VmRSS:    1234 kB`).
    private static func statusKilobytes(_ field: String) -> Int? {
        #if os(Linux)
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        return status.split(separator: "\n").first { $0.hasPrefix(field) }.flatMap { Int($0.filter(\.isNumber)) }
        #else
        return nil
        #endif
    }
}
