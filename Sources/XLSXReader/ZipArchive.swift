/// One entry of the central directory.
struct ZipEntry: Sendable {
    /// As stored (UTF-8).
    var name: String
    var nameBytes: [UInt8]
    /// `name` normalised for lookup: `/` separators, no leading `/`, ASCII lower case (OPC part
    /// names are case-insensitive).
    var key: String
    var flags: UInt16
    var method: UInt16
    var crc: UInt32
    var compressedSize: Int
    var size: Int
    var localHeaderOffset: Int
}

/// A ZIP archive read from memory (APPNOTE 6.3): the end of central directory record (and the ZIP64
/// end record and locator), the central directory, and each entry's local header when it is read.
/// Sizes, CRCs and offsets are taken from the central directory (writers that stream put zeros in
/// the local header and the real values in a data descriptor); the local header only locates the data.
struct ZipArchive {
    let bytes: [UInt8]
    let entries: [ZipEntry]
    private let index: [String: Int]

    static let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    init(_ bytes: [UInt8], limits: XLSXReadLimits) throws(XLSXReadError) {
        self.bytes = bytes
        let parsed = try bytes.withUnsafeBufferPointer { (b) throws(XLSXReadError) in try Self.directory(b, limits: limits) }
        entries = parsed
        var index: [String: Int] = [:]
        index.reserveCapacity(parsed.count)
        for (i, entry) in parsed.enumerated() {
            // Two entries with one name: readers would disagree on which is meant; refuse.
            guard index.updateValue(i, forKey: entry.key) == nil else {
                throw .corrupt("压缩包中有重名的部件", part: entry.name)
            }
        }
        self.index = index
    }

    func entry(_ path: String) -> ZipEntry? { index[Self.key(path)].map { entries[$0] } }

    static func key(_ name: String) -> String {
        var bytes = Array(name.utf8)
        for k in bytes.indices {
            if bytes[k] == 0x5C { bytes[k] = 0x2F } else if bytes[k] >= 0x41 && bytes[k] <= 0x5A { bytes[k] += 0x20 }
        }
        while bytes.first == 0x2F { bytes.removeFirst() }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Directory

    @inline(__always) static func u16(_ b: UnsafeBufferPointer<UInt8>, _ k: Int) -> Int { Int(b[k]) | Int(b[k + 1]) << 8 }
    @inline(__always) static func u32(_ b: UnsafeBufferPointer<UInt8>, _ k: Int) -> Int { u16(b, k) | u16(b, k + 2) << 16 }
    @inline(__always) static func u64(_ b: UnsafeBufferPointer<UInt8>, _ k: Int) -> UInt64 { UInt64(u32(b, k)) | UInt64(u32(b, k + 4)) << 32 }

    /// A 64-bit size or offset as an Int; absurd values (beyond 2^62) stay absurd but do not trap.
    @inline(__always) static func int(_ v: UInt64) -> Int { v > UInt64(1) << 62 ? 1 << 62 : Int(v) }

    static func directory(_ b: UnsafeBufferPointer<UInt8>, limits: XLSXReadLimits) throws(XLSXReadError) -> [ZipEntry] {
        let n = b.count
        let startsLikeZip = n >= 4 && b[0] == 0x50 && b[1] == 0x4B && b[2] == 0x03 && b[3] == 0x04
        // End of central directory: the last 22 bytes plus a comment of up to 65,535.
        var eocd = -1
        if n >= 22 {
            var k = n - 22
            let lowest = max(0, n - 22 - 0xFFFF)
            while k >= lowest {
                if b[k] == 0x50 && b[k + 1] == 0x4B && b[k + 2] == 0x05 && b[k + 3] == 0x06 && k + 22 + u16(b, k + 20) <= n {
                    eocd = k
                    break
                }
                k -= 1
            }
        }
        guard eocd >= 0 else {
            if startsLikeZip { throw .corrupt("压缩包目录缺失，文件不完整（可能上传中断）") }
            throw .notZip
        }
        var disk = u16(b, eocd + 4)
        var directoryDisk = u16(b, eocd + 6)
        var count = u16(b, eocd + 10)
        var directorySize = u32(b, eocd + 12)
        var directoryOffset = u32(b, eocd + 16)
        var directoryEnd = eocd
        // ZIP64 end of central directory locator, just before the end record.
        let locator = eocd - 20
        if locator >= 0 && u32(b, locator) == 0x0706_4B50 {
            let recordOffset = int(u64(b, locator + 8))
            guard recordOffset <= locator - 56, u32(b, recordOffset) == 0x0606_4B50 else {
                throw .corrupt("ZIP64 目录记录损坏")
            }
            disk = u32(b, recordOffset + 16)
            directoryDisk = u32(b, recordOffset + 20)
            count = int(u64(b, recordOffset + 32))
            directorySize = int(u64(b, recordOffset + 40))
            directoryOffset = int(u64(b, recordOffset + 48))
            directoryEnd = recordOffset
        }
        guard disk == 0 && directoryDisk == 0 else { throw .unsupported("分卷压缩文件") }
        guard count <= limits.maxEntries else { throw .limit(.entries, limits) }
        guard directoryOffset <= directoryEnd, directorySize <= directoryEnd - directoryOffset else {
            throw .corrupt("压缩包目录超出文件范围，文件不完整或已被截断")
        }
        guard count <= directorySize / 46 else { throw .corrupt("压缩包目录记录数与目录大小不符") }

        var entries: [ZipEntry] = []
        entries.reserveCapacity(count)
        var k = directoryOffset
        let end = directoryOffset + directorySize
        for _ in 0..<count {
            guard k + 46 <= end, u32(b, k) == 0x0201_4B50 else { throw .corrupt("压缩包目录记录损坏") }
            let flags = UInt16(u16(b, k + 8))
            let method = UInt16(u16(b, k + 10))
            let crc = UInt32(u32(b, k + 16))
            var compressedSize = u32(b, k + 20)
            var size = u32(b, k + 24)
            let nameLength = u16(b, k + 28)
            let extraLength = u16(b, k + 30)
            let commentLength = u16(b, k + 32)
            var offset = u32(b, k + 42)
            let nameStart = k + 46
            let extraStart = nameStart + nameLength
            let next = extraStart + extraLength + commentLength
            guard next <= end else { throw .corrupt("压缩包目录记录损坏") }
            let nameBytes = Array(b[nameStart..<extraStart])
            let name = String(decoding: nameBytes, as: UTF8.self)
            // ZIP64 extended information: the 8-byte values of the fields set to 0xFFFFFFFF, in order.
            var e = extraStart
            while e + 4 <= extraStart + extraLength {
                let id = u16(b, e)
                let length = u16(b, e + 2)
                let dataEnd = e + 4 + length
                guard dataEnd <= extraStart + extraLength else { throw .corrupt("压缩包目录记录的扩展字段损坏", part: name) }
                if id == 0x0001 {
                    var f = e + 4
                    func take() throws(XLSXReadError) -> Int {
                        guard f + 8 <= dataEnd else { throw .corrupt("ZIP64 扩展字段过短", part: name) }
                        defer { f += 8 }
                        return int(u64(b, f))
                    }
                    if size == 0xFFFF_FFFF { size = try take() }
                    if compressedSize == 0xFFFF_FFFF { compressedSize = try take() }
                    if offset == 0xFFFF_FFFF { offset = try take() }
                }
                e = dataEnd
            }
            // Bit 0: traditional PKWARE encryption; bit 6: strong encryption.
            if flags & 0x41 != 0 { throw .encryptedEntry(name) }
            entries.append(ZipEntry(name: name, nameBytes: nameBytes, key: key(name), flags: flags, method: method, crc: crc,
                                    compressedSize: compressedSize, size: size, localHeaderOffset: offset))
            k = next
        }
        return entries
    }

    // MARK: Data

    /// The entry's data, decompressed and checked against its CRC-32. `totalRead` (the bytes read so
    /// far) is checked against the limits before anything is inflated, and increased.
    func read(_ entry: ZipEntry, totalRead: inout Int, limits: XLSXReadLimits) throws(XLSXReadError) -> [UInt8] {
        let name = entry.name
        // Checked on the sizes the directory declares; the inflater never writes past the declared
        // size, so a directory that lies about them only gets the entry refused as corrupt.
        let (ratioBound, overflow) = entry.compressedSize.multipliedReportingOverflow(by: limits.maxCompressionRatio)
        if entry.size > limits.compressionRatioThreshold && !overflow && entry.size > ratioBound {
            throw .limit(.compressionRatio, limits, part: name)
        }
        guard entry.size <= limits.maxPartSize else { throw .limit(.partSize, limits, part: name) }
        guard entry.size <= limits.maxTotalUncompressedSize - totalRead else { throw .limit(.totalUncompressedSize, limits, part: name) }
        let data = try bytes.withUnsafeBufferPointer { (b) throws(XLSXReadError) -> [UInt8] in
            let n = b.count
            let h = entry.localHeaderOffset
            guard h <= n - 30, Self.u32(b, h) == 0x0403_4B50 else { throw .corrupt("部件的本地文件头损坏", part: name) }
            if Self.u16(b, h + 6) & 0x41 != 0 { throw .encryptedEntry(name) }
            let nameLength = Self.u16(b, h + 26)
            let extraLength = Self.u16(b, h + 28)
            let dataStart = h + 30 + nameLength + extraLength
            guard nameLength == entry.nameBytes.count, b[(h + 30)..<(h + 30 + nameLength)].elementsEqual(entry.nameBytes) else {
                throw .corrupt("部件的本地文件头与目录不符", part: name)
            }
            guard dataStart <= n, entry.compressedSize <= n - dataStart else {
                throw .corrupt("部件数据不完整，文件已被截断", part: name)
            }
            let input = UnsafeBufferPointer(rebasing: b[dataStart..<(dataStart + entry.compressedSize)])
            switch entry.method {
            case 0:
                guard entry.compressedSize == entry.size else { throw .corrupt("未压缩部件的大小与目录记录不符", part: name) }
                return Array(input)
            case 8:
                let inflated: (bytes: [UInt8], decodedCount: Int)
                do throws(InflateError) {
                    inflated = try Inflater.inflate(input, size: entry.size)
                } catch {
                    switch error {
                    case .truncated: throw .corrupt("部件的压缩数据不完整，文件已被截断", part: name)
                    case .outputTooLarge: throw .corrupt("部件解压后的大小与目录记录不符", part: name)
                    default: throw .corrupt("部件的压缩数据无效", part: name)
                    }
                }
                guard inflated.decodedCount == entry.size else { throw .corrupt("部件解压后的大小与目录记录不符", part: name) }
                return inflated.bytes
            default:
                throw .unsupported("压缩方式 \(entry.method)", part: name)
            }
        }
        guard CRC32.checksum(data) == entry.crc else { throw .corrupt("部件的校验码（CRC-32）不符", part: name) }
        totalRead += entry.size
        return data
    }
}
