import CZlib
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

/// Raw DEFLATE decoding by zlib's `inflate` (independent of the writer's code, which only calls
/// zlib's `deflate`): the whole stream, and nothing after it.
enum Inflater {
    static func inflate(_ input: [UInt8]) throws -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard inflateInit2_(stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw TinyZipReader.Failure("inflate: no memory")
        }
        defer { inflateEnd(stream) }
        var input = input
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        return try input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.pointee.next_in = inputBuffer.baseAddress
            stream.pointee.avail_in = uInt(inputBuffer.count)
            while true {
                let (status, produced) = buffer.withUnsafeMutableBufferPointer { b in
                    stream.pointee.next_out = b.baseAddress
                    stream.pointee.avail_out = uInt(b.count)
                    let status = CZlib.inflate(stream, Z_NO_FLUSH)
                    return (status, b.count - Int(stream.pointee.avail_out))
                }
                out += buffer[0..<produced]
                switch status {
                case Z_STREAM_END:
                    guard stream.pointee.avail_in == 0 else { throw TinyZipReader.Failure("inflate: trailing bytes") }
                    return out
                case Z_OK: continue
                default: throw TinyZipReader.Failure("inflate: zlib status \(status)")
                }
            }
        }
    }
}
