import XCTest
@testable import XLSXReader

final class InflateTests: XCTestCase {
    struct Case {
        var name: String
        var size: Int
        var crc: UInt32
        var compressed: [UInt8]
    }

    /// `Fixtures/inflate-cases.bin`: raw DEFLATE streams made by Python's zlib.
    static func zlibCases() throws -> [Case] {
        let data = try Fixture.bytes("inflate-cases.bin")
        XCTAssertEqual(Array(data[0..<4]), Array("INFL".utf8))
        var k = 4
        func u32() -> Int {
            defer { k += 4 }
            return Int(data[k]) | Int(data[k + 1]) << 8 | Int(data[k + 2]) << 16 | Int(data[k + 3]) << 24
        }
        var cases: [Case] = []
        for _ in 0..<u32() {
            let nameLength = u32()
            let name = String(decoding: data[k..<(k + nameLength)], as: UTF8.self)
            k += nameLength
            let size = u32()
            let crc = UInt32(u32())
            let length = u32()
            cases.append(Case(name: name, size: size, crc: crc, compressed: Array(data[k..<(k + length)])))
            k += length
        }
        XCTAssertEqual(k, data.count)
        return cases
    }

    static func inflate(_ bytes: [UInt8], size: Int) throws(InflateError) -> [UInt8] {
        try bytes.withUnsafeBufferPointer { (b) throws(InflateError) in try Inflater.inflate(b, size: size) }
    }

    static func inflateError(_ bytes: [UInt8], size: Int) -> InflateError? {
        do {
            _ = try bytes.withUnsafeBufferPointer { (b) throws(InflateError) in try Inflater.inflate(b, size: size) }
            return nil
        } catch {
            return error
        }
    }

    func testCRC32KnownValues() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(CRC32.checksum([]), 0)
        XCTAssertEqual(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)), 0x414F_A339)
        // Slicing by eight and the byte loop agree on every length and alignment.
        let bytes = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for start in 0..<9 {
            for end in start...bytes.count {
                let slice = Array(bytes[start..<end])
                var crc: UInt32 = 0xFFFF_FFFF
                for b in slice {
                    crc ^= UInt32(b)
                    for _ in 0..<8 { crc = crc & 1 != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
                }
                XCTAssertEqual(CRC32.checksum(slice), ~crc)
            }
        }
    }

    func testZlibStreams() throws {
        let cases = try Self.zlibCases()
        XCTAssertEqual(cases.count, 25)
        for c in cases {
            do {
                let output = try Self.inflate(c.compressed, size: c.size)
                XCTAssertEqual(output.count, c.size, c.name)
                XCTAssertEqual(CRC32.checksum(output), c.crc, c.name)
            } catch {
                XCTFail("\(c.name): \(error)")
            }
        }
    }

    func testZlibStreamsDecodingToMoreThanDeclaredStopAtTheDeclaredSize() throws {
        for c in try Self.zlibCases() where c.size > 0 {
            XCTAssertEqual(Self.inflateError(c.compressed, size: c.size - 1), .outputTooLarge, c.name)
            XCTAssertEqual(Self.inflateError(c.compressed, size: 0), .outputTooLarge, c.name)
        }
    }

    func testZlibStreamsDecodingToLessThanDeclaredAreReported() throws {
        for c in try Self.zlibCases() {
            XCTAssertEqual(Self.inflateError(c.compressed, size: c.size + 10), .outputTooSmall, c.name)
        }
    }

    func testTruncatedZlibStreamsFail() throws {
        for c in try Self.zlibCases() where c.compressed.count > 8 {
            for cut in [c.compressed.count / 2, c.compressed.count - 1] {
                XCTAssertNotNil(Self.inflateError(Array(c.compressed[0..<cut]), size: c.size), "\(c.name) cut at \(cut)")
            }
        }
        XCTAssertEqual(Self.inflateError([], size: 0), .truncated)
        // A stored block whose data is cut short.
        XCTAssertEqual(Self.inflateError(Array(TestDeflate.stored(Array(repeating: 7, count: 100)).dropLast(10)), size: 100), .truncated)
    }

    func testCorruptedZlibStreamsNeverCrashOrOverrun() throws {
        // Flipping bytes gives arbitrary garbage: any outcome but a crash or more output than allowed.
        var generator = SystemRandomNumberGenerator()
        for c in try Self.zlibCases() where c.compressed.count > 16 {
            for _ in 0..<20 {
                var bytes = c.compressed
                let k = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[k] ^= UInt8.random(in: 1...255, using: &generator)
                _ = Self.inflateError(bytes, size: c.size)
            }
        }
    }

    func testTestEncodersRoundTrip() throws {
        let text = Array(String(repeating: "全国数据资源调查 <c r=\"A1\"><v>12.5</v></c> ", count: 500).utf8)
        var random = [UInt8](repeating: 0, count: 70_000)
        for k in random.indices { random[k] = UInt8.random(in: 0...255) }
        for input in [[], [42], text, random, [UInt8](repeating: 0, count: 100_000)] {
            XCTAssertEqual(try Self.inflate(TestDeflate.fixed(input), size: input.count), input)
            XCTAssertEqual(try Self.inflate(TestDeflate.stored(input), size: input.count), input)
        }
    }

    func testHandMadeZeroBomb() throws {
        let matches = 10_000
        let bomb = TestDeflate.zeroBomb(matches: matches)
        XCTAssertLessThan(bomb.count, matches / 4 + 64)
        let output = try Self.inflate(bomb, size: 1 + 258 * matches)
        XCTAssertTrue(output.allSatisfy { $0 == 0 })
        XCTAssertEqual(Self.inflateError(bomb, size: 1_000), .outputTooLarge)
    }

    func testInvalidBlocks() {
        // Block type 11.
        XCTAssertEqual(Self.inflateError([0b111], size: 10), .invalid)
        // Stored block: LEN and NLEN disagree.
        XCTAssertEqual(Self.inflateError([0x01, 0x05, 0x00, 0xFA, 0xFE, 1, 2, 3, 4, 5], size: 5), .invalid)

        // Fixed block: literal 'a', then a match reaching 2 bytes back.
        var w = BitWriter()
        w.put(1, 1)
        w.put(1, 2)
        w.code(0x30 + 0x61, 8)
        w.code(1, 7)  // length 3
        w.code(1, 5)  // distance 2
        w.code(0, 7)
        w.alignToByte()
        XCTAssertEqual(Self.inflateError(w.bytes, size: 10), .invalid)

        // Fixed block: literal/length symbol 286 (code 11000110).
        w = BitWriter()
        w.put(1, 1)
        w.put(1, 2)
        w.code(0xC6, 8)
        w.alignToByte()
        XCTAssertEqual(Self.inflateError(w.bytes + [0, 0], size: 10), .invalid)

        // Fixed block: distance symbol 30.
        w = BitWriter()
        w.put(1, 1)
        w.put(1, 2)
        w.code(0x30 + 0x61, 8)
        w.code(1, 7)
        w.code(30, 5)
        w.alignToByte()
        XCTAssertEqual(Self.inflateError(w.bytes + [0, 0], size: 10), .invalid)
    }

    /// A dynamic block header with the given code-length-code lengths (for symbols in the RFC's
    /// order) followed by `body` bits.
    private func dynamicHeader(hlit: Int, hdist: Int, codeLengthLengths: [Int], _ body: (inout BitWriter) -> Void) -> [UInt8] {
        var w = BitWriter()
        w.put(1, 1)
        w.put(2, 2)
        w.put(hlit - 257, 5)
        w.put(hdist - 1, 5)
        w.put(codeLengthLengths.count - 4, 4)
        for l in codeLengthLengths { w.put(l, 3) }
        body(&w)
        w.alignToByte()
        return w.bytes + [0, 0, 0, 0]
    }

    func testInvalidDynamicHeaders() {
        // HLIT 287 (> 286).
        XCTAssertEqual(Self.inflateError(dynamicHeader(hlit: 287, hdist: 1, codeLengthLengths: [0, 0, 0, 0]) { _ in }, size: 10),
                       .invalid)
        // Code-length code over-subscribed: three codes of length 1 (symbols 16, 17, 18).
        XCTAssertEqual(Self.inflateError(dynamicHeader(hlit: 257, hdist: 1, codeLengthLengths: [1, 1, 1, 0]) { _ in }, size: 10),
                       .invalid)
        // Code-length code incomplete: a single code (symbol 18) of length 2.
        XCTAssertEqual(Self.inflateError(dynamicHeader(hlit: 257, hdist: 1, codeLengthLengths: [0, 0, 2, 0]) { _ in }, size: 10),
                       .invalid)
        // Code-length code: 16 → 0, 17 → 10, 18 → 11; a 16 (repeat previous) first.
        XCTAssertEqual(Self.inflateError(dynamicHeader(hlit: 257, hdist: 1, codeLengthLengths: [1, 2, 2, 0]) { w in
            w.code(0, 1)
            w.put(0, 2)
        }, size: 10), .invalid)
        // All literal/length lengths zero (18 × 2 + 17): no end-of-block code.
        XCTAssertEqual(Self.inflateError(dynamicHeader(hlit: 257, hdist: 1, codeLengthLengths: [1, 2, 2, 0]) { w in
            w.code(0b11, 2); w.put(138 - 11, 7)
            w.code(0b11, 2); w.put(119 - 11, 7)
            w.code(0b10, 2); w.put(1, 3)  // 4 zeros: 257 + 1 = 258 lengths
        }, size: 10), .invalid)
        // A repeat running past the last length.
        XCTAssertEqual(Self.inflateError(dynamicHeader(hlit: 257, hdist: 1, codeLengthLengths: [1, 2, 2, 0]) { w in
            w.code(0b11, 2); w.put(138 - 11, 7)
            w.code(0b11, 2); w.put(138 - 11, 7)
        }, size: 10), .invalid)
    }
}
