import XCTest
import XLSXWriter

/// A small, strict ZIP reader for the tests: it walks the end record (and the ZIP64 end record),
/// the central directory and every local header, inflates the data and checks CRCs and sizes against
/// the data descriptor and the directory. Independent of the writer's code (only CRC32 is shared,
/// and that is tested against known vectors).
struct TinyZipReader {
    struct Entry {
        var name: String
        var flags: UInt16
        var method: UInt16
        var crc: UInt32
        var compressedSize: UInt64
        var size: UInt64
        var localHeaderOffset: UInt64
        var versionNeeded: UInt16
        var hasZip64Extra: Bool
        var data: [UInt8]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    var entries: [Entry] = []
    var usedZip64EndRecord = false
    var entryCountInEndRecord = 0

    subscript(name: String) -> Entry? { entries.first { $0.name == name } }

    func text(_ name: String) -> String? {
        self[name].map { String(decoding: $0.data, as: UTF8.self) }
    }

    init(_ bytes: [UInt8], readData: Bool = true) throws {
        func u16(_ at: Int) throws -> UInt16 {
            guard at >= 0, at + 2 <= bytes.count else { throw Failure("read past end at \(at)") }
            return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
        }
        func u32(_ at: Int) throws -> UInt32 {
            guard at >= 0, at + 4 <= bytes.count else { throw Failure("read past end at \(at)") }
            return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
        }
        func u64(_ at: Int) throws -> UInt64 {
            guard at >= 0, at + 8 <= bytes.count else { throw Failure("read past end at \(at)") }
            return (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
        }
        // End of central directory: no comment is written, so it is the last 22 bytes.
        let eocd = bytes.count - 22
        guard try u32(eocd) == 0x0605_4B50 else { throw Failure("no end record") }
        guard try u16(eocd + 20) == 0 else { throw Failure("unexpected comment") }
        var count = Int(try u16(eocd + 10))
        guard Int(try u16(eocd + 8)) == count else { throw Failure("entry counts differ") }
        var directorySize = UInt64(try u32(eocd + 12))
        var directoryOffset = UInt64(try u32(eocd + 16))
        var directoryEnd = UInt64(eocd)
        if try eocd >= 20 && u32(eocd - 20) == 0x0706_4B50 {
            usedZip64EndRecord = true
            let recordOffset = Int(try u64(eocd - 20 + 8))
            guard try u32(recordOffset) == 0x0606_4B50 else { throw Failure("bad ZIP64 end record") }
            guard try u64(recordOffset + 4) == 44 else { throw Failure("bad ZIP64 end record size") }
            let count64 = try u64(recordOffset + 24)
            guard try u64(recordOffset + 32) == count64 else { throw Failure("ZIP64 counts differ") }
            if count == 0xFFFF { count = Int(count64) } else { guard count == Int(count64) else { throw Failure("counts differ") } }
            if directorySize == 0xFFFF_FFFF { directorySize = try u64(recordOffset + 40) }
            if directoryOffset == 0xFFFF_FFFF { directoryOffset = try u64(recordOffset + 48) }
            guard try directorySize == u64(recordOffset + 40), try directoryOffset == u64(recordOffset + 48) else {
                throw Failure("ZIP64 record disagrees with the end record")
            }
            directoryEnd = UInt64(recordOffset)
        }
        entryCountInEndRecord = count
        guard directoryOffset + directorySize == directoryEnd else { throw Failure("central directory is not where the end record says") }
        var p = Int(directoryOffset)
        var expectedLocal = 0
        for _ in 0..<count {
            guard try u32(p) == 0x0201_4B50 else { throw Failure("bad central header at \(p)") }
            let versionNeeded = try u16(p + 6)
            let flags = try u16(p + 8)
            let method = try u16(p + 10)
            let crc = try u32(p + 16)
            var compressedSize = UInt64(try u32(p + 20))
            var size = UInt64(try u32(p + 24))
            let nameLength = Int(try u16(p + 28)), extraLength = Int(try u16(p + 30)), commentLength = Int(try u16(p + 32))
            var offset = UInt64(try u32(p + 42))
            let name = String(decoding: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            var hasZip64 = false
            let sizesInZip64 = size == 0xFFFF_FFFF || compressedSize == 0xFFFF_FFFF
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e < extraEnd {
                let id = try u16(e), length = Int(try u16(e + 2))
                if id == 1 {
                    hasZip64 = true
                    var q = e + 4
                    if size == 0xFFFF_FFFF { size = try u64(q); q += 8 }
                    if compressedSize == 0xFFFF_FFFF { compressedSize = try u64(q); q += 8 }
                    if offset == 0xFFFF_FFFF { offset = try u64(q); q += 8 }
                    guard q == e + 4 + length else { throw Failure("ZIP64 extra of \(name) has the wrong length") }
                }
                e += 4 + length
            }
            if hasZip64 && versionNeeded < 45 { throw Failure("ZIP64 entry \(name) needs version 4.5") }
            // The local header.
            let l = Int(offset)
            guard l == expectedLocal else { throw Failure("entry \(name) does not follow the previous one") }
            guard try u32(l) == 0x0403_4B50 else { throw Failure("bad local header of \(name)") }
            guard try u16(l + 6) == flags, try u16(l + 8) == method else { throw Failure("local header of \(name) differs") }
            let localNameLength = Int(try u16(l + 26)), localExtraLength = Int(try u16(l + 28))
            guard String(decoding: bytes[(l + 30)..<(l + 30 + localNameLength)], as: UTF8.self) == name else { throw Failure("local name differs") }
            let dataStart = l + 30 + localNameLength + localExtraLength
            let dataEnd = dataStart + Int(compressedSize)
            var data: [UInt8] = []
            if readData {
                let raw = Array(bytes[dataStart..<dataEnd])
                switch method {
                case 0: data = raw
                case 8: data = try Inflater.inflate(raw)
                default: throw Failure("method \(method)")
                }
                guard UInt64(data.count) == size else { throw Failure("\(name): \(data.count) bytes, directory says \(size)") }
                guard CRC32.checksum(data) == crc else { throw Failure("\(name): CRC mismatch") }
            }
            // The data descriptor (bit 3): signature, CRC, sizes (8 bytes each for ZIP64 entries).
            var next = dataEnd
            if flags & 0x08 != 0 {
                guard try u32(dataEnd) == 0x0807_4B50 else { throw Failure("no data descriptor after \(name)") }
                guard try u32(dataEnd + 4) == crc else { throw Failure("descriptor CRC of \(name) differs") }
                if sizesInZip64 {
                    guard try u64(dataEnd + 8) == compressedSize, try u64(dataEnd + 16) == size else {
                        throw Failure("ZIP64 descriptor sizes of \(name) differ")
                    }
                    next = dataEnd + 24
                } else {
                    guard try UInt64(u32(dataEnd + 8)) == compressedSize, try UInt64(u32(dataEnd + 12)) == size else {
                        throw Failure("descriptor sizes of \(name) differ")
                    }
                    next = dataEnd + 16
                }
            }
            expectedLocal = next
            entries.append(Entry(name: name, flags: flags, method: method, crc: crc, compressedSize: compressedSize, size: size,
                                 localHeaderOffset: offset, versionNeeded: versionNeeded, hasZip64Extra: hasZip64, data: data))
            p = extraEnd + commentLength
        }
        guard UInt64(expectedLocal) == directoryOffset else { throw Failure("gap before the central directory") }
        guard UInt64(p) == directoryOffset + directorySize else { throw Failure("central directory size differs") }
    }
}

/// RFC 1951 inflate for stored and fixed-Huffman blocks (what the writer produces); dynamic blocks
/// are refused.
enum Inflater {
    static func inflate(_ input: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        var position = 0  // bit position
        func bits(_ n: Int) throws -> Int {
            var v = 0
            for k in 0..<n {
                let byte = position >> 3
                guard byte < input.count else { throw TinyZipReader.Failure("inflate: out of input") }
                v |= Int((input[byte] >> UInt8(position & 7)) & 1) << k
                position += 1
            }
            return v
        }
        // Fixed literal/length code, read MSB-first.
        func literal() throws -> Int {
            var code = 0
            for length in 1...9 {
                code = code << 1 | (try bits(1))
                switch length {
                case 7 where code <= 0b0010111: return 256 + code
                case 8 where code >= 0x30 && code <= 0xBF: return code - 0x30
                case 8 where code >= 0xC0 && code <= 0xC7: return 280 + code - 0xC0
                case 9 where code >= 0x190 && code <= 0x1FF: return 144 + code - 0x190
                default: continue
                }
            }
            throw TinyZipReader.Failure("inflate: bad code")
        }
        let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
        let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
        let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
        var final = false
        while !final {
            final = try bits(1) == 1
            let type = try bits(2)
            switch type {
            case 0:
                position = (position + 7) & ~7
                let length = try bits(16), inverse = try bits(16)
                guard length == ~inverse & 0xFFFF else { throw TinyZipReader.Failure("inflate: bad stored length") }
                let start = position >> 3
                out.append(contentsOf: input[start..<(start + length)])
                position += 8 * length
            case 1:
                while true {
                    let symbol = try literal()
                    if symbol < 256 { out.append(UInt8(symbol)); continue }
                    if symbol == 256 { break }
                    let index = symbol - 257
                    guard index < 29 else { throw TinyZipReader.Failure("inflate: bad length symbol") }
                    let length = lengthBase[index] + (try bits(lengthExtra[index]))
                    var distanceSymbol = 0
                    for _ in 0..<5 { distanceSymbol = distanceSymbol << 1 | (try bits(1)) }
                    guard distanceSymbol < 30 else { throw TinyZipReader.Failure("inflate: bad distance symbol") }
                    let extra = distanceSymbol < 4 ? 0 : distanceSymbol / 2 - 1
                    let distance = distanceBase[distanceSymbol] + (try bits(extra))
                    guard distance <= out.count, distance <= 32_768 else { throw TinyZipReader.Failure("inflate: distance too far") }
                    for _ in 0..<length { out.append(out[out.count - distance]) }
                }
            default:
                throw TinyZipReader.Failure("inflate: block type \(type) not supported")
            }
        }
        guard (position + 7) >> 3 == input.count else { throw TinyZipReader.Failure("inflate: trailing bytes") }
        return out
    }
}
