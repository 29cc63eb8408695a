import XCTest
@testable import XLSXWriter

final class CRC32Tests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(CRC32.checksum([UInt8]()), 0)
        XCTAssertEqual(CRC32.checksum(Array("a".utf8)), 0xE8B7_BE43)
        XCTAssertEqual(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)), 0x414F_A339)
        XCTAssertEqual(CRC32.checksum([UInt8](repeating: 0, count: 32)), 0x190A_55AD)
        XCTAssertEqual(CRC32.checksum([UInt8](repeating: 0xFF, count: 32)), 0xFF6C_AB0B)
    }

    /// Sliced (8 bytes a step) and byte-at-a-time agree, however the input is split.
    func testIncrementalMatchesWholeAndBitwise() {
        var generator = SplitMix(seed: 42)
        let data = (0..<10_007).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        var bitwise: UInt32 = 0xFFFF_FFFF
        for byte in data {
            bitwise ^= UInt32(byte)
            for _ in 0..<8 { bitwise = bitwise & 1 != 0 ? (bitwise >> 1) ^ 0xEDB8_8320 : bitwise >> 1 }
        }
        bitwise = ~bitwise
        XCTAssertEqual(CRC32.checksum(data), bitwise)
        for split in [1, 3, 7, 8, 9, 4096, 10_006] {
            var crc = CRC32()
            crc.update(Array(data[..<split]))
            crc.update(Array(data[split...]))
            XCTAssertEqual(crc.value, bitwise, "split at \(split)")
        }
    }
}

final class DeflateTests: XCTestCase {
    func roundTrip(_ data: [UInt8], chunk: Int, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let encoder = try DeflateEncoder()
        var out: [UInt8] = []
        var start = 0
        while start < data.count {
            let end = min(start + chunk, data.count)
            try data[start..<end].withUnsafeBytes { try encoder.compress($0, into: &out) }
            start = end
        }
        try encoder.finish(into: &out)
        XCTAssertEqual(try Inflater.inflate(out), data, file: file, line: line)
        return out.count
    }

    func testRoundTrips() throws {
        var generator = SplitMix(seed: 7)
        let random = (0..<100_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let xml = Array(String(repeating: "<row r=\"1\"><c r=\"A1\" s=\"4\" t=\"inlineStr\"><is><t>数据资源</t></is></c></row>", count: 3_000).utf8)
        let zeros = [UInt8](repeating: 0, count: 300_000)
        // Repeats 32,000 bytes back (within zlib's reach: the window less 262 bytes of look-ahead).
        let block = (0..<32_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let farRepeats = block + block + block
        for chunk in [1, 5, 100, 65_536, 1 << 20] {
            _ = try roundTrip([], chunk: chunk)
            _ = try roundTrip([42], chunk: chunk)
            _ = try roundTrip(Array(random.prefix(chunk == 1 ? 3_000 : 100_000)), chunk: chunk)
            _ = try roundTrip(Array(xml.prefix(chunk == 1 ? 20_000 : xml.count)), chunk: chunk)
        }
        XCTAssertLessThan(try roundTrip(zeros, chunk: 65_536), 3_000)
        XCTAssertLessThan(try roundTrip(xml, chunk: 65_536), xml.count / 20)
        XCTAssertLessThan(try roundTrip(farRepeats, chunk: 65_536), farRepeats.count / 2)
        XCTAssertLessThan(try roundTrip(farRepeats, chunk: 4_096), farRepeats.count / 2)
        XCTAssertLessThanOrEqual(try roundTrip(random, chunk: 65_536), random.count * 9 / 8 + 64)
    }
}

final class ZipTests: XCTestCase {
    func archive(_ compression: ZipCompression, entries: [(String, [UInt8])], zip64Limit: UInt64 = 0xFFFF_FFFF, entryCountLimit: Int = 0xFFFF) throws -> [UInt8] {
        var zip = ZipWriter(sink: ByteArraySink(), compression: compression, zip64Limit: zip64Limit, entryCountLimit: entryCountLimit)
        for (name, data) in entries {
            try zip.beginEntry(name)
            // Fed in uneven pieces, as the sheet writer does.
            var start = 0, step = 1
            while start < data.count {
                let end = min(start + step, data.count)
                try zip.write(Array(data[start..<end]))
                start = end
                step = step * 3 + 1
            }
            try zip.endEntry()
        }
        try zip.finish()
        return zip.sink.bytes
    }

    let sample: [(String, [UInt8])] = [
        ("a.txt", Array("123456789".utf8)),
        ("目录/数据资源.xml", Array(String(repeating: "<c>统计</c>", count: 5_000).utf8)),
        ("empty", []),
    ]

    func testStructureStoredAndDeflated() throws {
        for compression in [ZipCompression.stored, .deflate] {
            let bytes = try archive(compression, entries: sample)
            let reader = try TinyZipReader(bytes)
            XCTAssertEqual(reader.entries.map(\.name), sample.map(\.0))
            XCTAssertEqual(reader.entryCountInEndRecord, 3)
            XCTAssertFalse(reader.usedZip64EndRecord)
            for (entry, (_, data)) in zip(reader.entries, sample) {
                XCTAssertEqual(entry.data, data)
                XCTAssertEqual(entry.crc, CRC32.checksum(data))
                XCTAssertEqual(entry.flags, 0x0808, "data descriptor and UTF-8 names")
                XCTAssertEqual(entry.method, compression == .stored ? 0 : 8)
                XCTAssertFalse(entry.hasZip64Extra)
                XCTAssertEqual(entry.versionNeeded, 20)
            }
            XCTAssertEqual(reader.entries[0].crc, 0xCBF4_3926)
            if compression == .deflate { XCTAssertLessThan(reader.entries[1].compressedSize, 2_000) }
        }
    }

    /// With the thresholds lowered, every size and offset at or above them goes through the ZIP64
    /// fields, and the reader still finds everything (the same code paths as a > 4 GiB sheet).
    func testZip64FieldsWhenSizesAndOffsetsExceedTheLimit() throws {
        for compression in [ZipCompression.stored, .deflate] {
            let bytes = try archive(compression, entries: sample + [("after", Array("tail".utf8))], zip64Limit: 100, entryCountLimit: 3)
            let zip = try TinyZipReader(bytes)
            XCTAssertTrue(zip.usedZip64EndRecord)
            XCTAssertEqual(zip.entryCountInEndRecord, 4)
            XCTAssertEqual(zip.entries.map(\.name), ["a.txt", "目录/数据资源.xml", "empty", "after"])
            XCTAssertFalse(zip.entries[0].hasZip64Extra, "small and at offset 0")
            XCTAssertTrue(zip.entries[1].hasZip64Extra, "large")
            XCTAssertTrue(zip.entries[2].hasZip64Extra, "offset beyond the limit")
            XCTAssertEqual(zip.entries[2].versionNeeded, 45)
            XCTAssertEqual(zip.entries[1].data, sample[1].1)
            XCTAssertEqual(zip.entries[3].data, Array("tail".utf8))
        }
    }

    func testMoreThan65535Entries() throws {
        let count = 65_540
        var zip = ZipWriter(sink: ByteArraySink(), compression: .stored)
        for n in 0..<count { try zip.addEntry("f\(n)", [UInt8(n & 0xFF)]) }
        try zip.finish()
        let bytes = zip.sink.bytes
        // The plain end record says 0xFFFF; the ZIP64 record has the count.
        XCTAssertEqual(Array(bytes[(bytes.count - 14)..<(bytes.count - 10)]), [0xFF, 0xFF, 0xFF, 0xFF])
        let reader = try TinyZipReader(bytes)
        XCTAssertTrue(reader.usedZip64EndRecord)
        XCTAssertEqual(reader.entries.count, count)
        XCTAssertEqual(reader.entries[65_539].name, "f65539")
        XCTAssertEqual(reader.entries[65_539].data, [UInt8(65_539 & 0xFF)])
    }

    func testDeterministicDosTimeFromCreated() throws {
        let t = try XCTUnwrap(ISO8601Timestamp("2026-03-31T16:05:30+08:00"))
        let dos = dosDateTime(t)
        XCTAssertEqual(dos.time, UInt16(16 << 11 | 5 << 5 | 15))
        XCTAssertEqual(dos.date, UInt16((2026 - 1980) << 9 | 3 << 5 | 31))
        XCTAssertNil(ISO8601Timestamp("2026-02-30T00:00:00Z"))
        XCTAssertNil(ISO8601Timestamp("2026-03-31 16:05:30"))
        XCTAssertNil(ISO8601Timestamp("2026-03-31T16:05:30"))
        XCTAssertNotNil(ISO8601Timestamp("2024-02-29T23:59:59.123Z"))
        XCTAssertNil(ISO8601Timestamp("1899-12-31T00:00:00Z"))
        // core.xml gets the instant in UTC, whole seconds.
        let utc = { (s: String) in ISO8601Timestamp(s)?.utc }
        XCTAssertEqual(utc("2026-03-31T16:05:30+08:00"), "2026-03-31T08:05:30Z")
        XCTAssertEqual(utc("2026-01-01T02:00:00+08:00"), "2025-12-31T18:00:00Z")
        XCTAssertEqual(utc("2024-02-29T23:30:00-01:00"), "2024-03-01T00:30:00Z")
        XCTAssertEqual(utc("2023-12-31T23:59:59.999-05:30"), "2024-01-01T05:29:59Z")
        XCTAssertEqual(utc("2026-03-31T08:00:00Z"), "2026-03-31T08:00:00Z")
    }
}

/// A deterministic pseudo-random generator for test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
