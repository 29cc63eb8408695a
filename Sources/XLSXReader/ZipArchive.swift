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
    /// Where the next entry's local header (or the central directory) starts: the entry's local
    /// header, name, extra field and data must all end by here, so no two entries share bytes.
    var regionEnd: Int = 0
}

/// A ZIP archive read from memory (APPNOTE 6.3): the end of central directory record (and the ZIP64
/// end record and locator), the central directory, and each entry's local header when it is read.
/// Sizes, CRCs and offsets are taken from the central directory (writers that stream put zeros in
/// the local header and the real values in a data descriptor); the local header only locates the data.
///
/// Every offset, length and count in an upload is hostile until checked: fields are read only
/// through `ZipBytes` (which checks each one lies inside the buffer), sums go through `ZipBytes.sum`
/// (overflow-checked), 64-bit values become `Int` only when they fit, and entries may not overlap
/// each other or the central directory. Why this parser is hand-written: docs/parsers.md.
struct ZipArchive {
    let bytes: [UInt8]
    let entries: [ZipEntry]
    private let index: [String: Int]

    static let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    init(_ bytes: [UInt8], limits: XLSXReadLimits) throws(XLSXReadError) {
        self.bytes = bytes
        let parsed = try Self.directory(ZipBytes(bytes: bytes), limits: limits)
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

    static func directory(_ b: ZipBytes, limits: XLSXReadLimits) throws(XLSXReadError) -> [ZipEntry] {
        let eocd = try endOfCentralDirectory(b)
        let (count, directoryOffset, directorySize) = try directoryBounds(b, eocd: eocd, limits: limits)
        var entries: [ZipEntry] = []
        entries.reserveCapacity(count)
        var k = directoryOffset
        let end = directoryOffset + directorySize  // ≤ directoryEnd ≤ n: checked in directoryBounds
        for _ in 0..<count {
            let (entry, next) = try centralEntry(b, at: k, end: end)
            entries.append(entry)
            k = next
        }
        return try separated(entries, directoryOffset: directoryOffset)
    }

    /// Where the end of central directory record starts: searched from the end, in the last 22 bytes
    /// plus a comment of up to 65,535.
    private static func endOfCentralDirectory(_ b: ZipBytes) throws(XLSXReadError) -> Int {
        let n = b.count
        let startsLikeZip = b.u32OrNil(0) == 0x0403_4B50
        var eocd = -1
        if n >= 22 {
            var k = n - 22
            let lowest = max(0, n - 22 - 0xFFFF)
            while k >= lowest {
                if b.bytes[k] == 0x50, b.u32OrNil(k) == 0x0605_4B50, let commentLength = b.u16OrNil(k + 20), commentLength <= n - 22 - k {
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
        return eocd
    }

    /// The entry count and the offset and size of the central directory, from the end record (or the
    /// ZIP64 end record it points to), checked to lie before that record.
    private static func directoryBounds(_ b: ZipBytes, eocd: Int,
                                        limits: XLSXReadLimits) throws(XLSXReadError) -> (count: Int, offset: Int, size: Int) {
        var disk = try b.u16(eocd + 4)
        var directoryDisk = try b.u16(eocd + 6)
        var count = try b.u16(eocd + 10)
        var directorySize = try b.u32(eocd + 12)
        var directoryOffset = try b.u32(eocd + 16)
        var directoryEnd = eocd
        // ZIP64 end of central directory locator, just before the end record.
        let locator = eocd - 20
        if locator >= 0, b.u32OrNil(locator) == 0x0706_4B50 {
            let record = try b.int64(locator + 8, "ZIP64 目录记录损坏")
            guard try ZipBytes.sum(record, 56) <= locator, b.u32OrNil(record) == 0x0606_4B50 else {
                throw .corrupt("ZIP64 目录记录损坏")
            }
            disk = try b.u32(record + 16)
            directoryDisk = try b.u32(record + 20)
            count = try b.int64(record + 32, "ZIP64 目录记录损坏")
            directorySize = try b.int64(record + 40, "ZIP64 目录记录损坏")
            directoryOffset = try b.int64(record + 48, "ZIP64 目录记录损坏")
            directoryEnd = record
        }
        guard disk == 0 && directoryDisk == 0 else { throw .unsupported("分卷压缩文件") }
        guard count <= limits.maxEntries else { throw .limit(.entries, limits) }
        guard directoryOffset <= directoryEnd, directorySize <= directoryEnd - directoryOffset else {
            throw .corrupt("压缩包目录超出文件范围，文件不完整或已被截断")
        }
        guard count <= directorySize / 46 else { throw .corrupt("压缩包目录记录数与目录大小不符") }
        return (count, directoryOffset, directorySize)
    }

    /// The central directory record at `k` (which must end by `end`), and where the next one starts.
    private static func centralEntry(_ b: ZipBytes, at k: Int, end: Int) throws(XLSXReadError) -> (entry: ZipEntry, next: Int) {
        guard k <= end - 46, b.u32OrNil(k) == 0x0201_4B50 else { throw .corrupt("压缩包目录记录损坏") }
        let flags = UInt16(try b.u16(k + 8))
        let method = UInt16(try b.u16(k + 10))
        let crc = UInt32(try b.u32(k + 16))
        var compressedSize = try b.u32(k + 20)
        var size = try b.u32(k + 24)
        let nameLength = try b.u16(k + 28)
        let extraLength = try b.u16(k + 30)
        let commentLength = try b.u16(k + 32)
        var offset = try b.u32(k + 42)
        // k + 46 ≤ end, and the three lengths are below 2^16 each: no overflow.
        let nameStart = k + 46
        let extraStart = nameStart + nameLength
        let extraEnd = extraStart + extraLength
        let next = extraEnd + commentLength
        guard next <= end else { throw .corrupt("压缩包目录记录损坏") }
        let nameBytes = try b.slice(nameStart, nameLength)
        let name = String(decoding: nameBytes, as: UTF8.self)
        try readZIP64Extra(b, extraStart..<extraEnd, name: name, size: &size, compressedSize: &compressedSize, offset: &offset)
        // Bit 0: traditional PKWARE encryption; bit 6: strong encryption.
        if flags & 0x41 != 0 { throw .encryptedEntry(name) }
        let entry = ZipEntry(name: name, nameBytes: nameBytes, key: key(name), flags: flags, method: method, crc: crc,
                             compressedSize: compressedSize, size: size, localHeaderOffset: offset)
        return (entry, next)
    }

    /// ZIP64 extended information in an extra field: the 8-byte values of the fields set to
    /// 0xFFFFFFFF, in order.
    private static func readZIP64Extra(_ b: ZipBytes, _ extra: Range<Int>, name: String,
                                       size: inout Int, compressedSize: inout Int, offset: inout Int) throws(XLSXReadError) {
        let extraEnd = extra.upperBound
        var e = extra.lowerBound
        while e <= extraEnd - 4 {
            let id = try b.u16(e)
            let length = try b.u16(e + 2)
            let dataEnd = e + 4 + length
            guard dataEnd <= extraEnd else { throw .corrupt("压缩包目录记录的扩展字段损坏", part: name) }
            if id == 0x0001 {
                var f = e + 4
                func take() throws(XLSXReadError) -> Int {
                    guard f <= dataEnd - 8 else { throw .corrupt("ZIP64 扩展字段过短", part: name) }
                    defer { f += 8 }
                    return try b.int64(f, "ZIP64 扩展字段的值超出范围")
                }
                if size == 0xFFFF_FFFF { size = try take() }
                if compressedSize == 0xFFFF_FFFF { compressedSize = try take() }
                if offset == 0xFFFF_FFFF { offset = try take() }
            }
            e = dataEnd
        }
    }

    /// Each entry's region: from its local header to the next one's (or to the central directory).
    /// Refuses entries whose header, name and data cannot fit there — entries that share data (the
    /// overlapping-entries ZIP bomb) or run into the directory.
    static func separated(_ entries: [ZipEntry], directoryOffset: Int) throws(XLSXReadError) -> [ZipEntry] {
        var result = entries
        let order = entries.indices.sorted { entries[$0].localHeaderOffset < entries[$1].localHeaderOffset }
        for (position, i) in order.enumerated() {
            let entry = entries[i]
            let regionEnd = position + 1 < order.count ? entries[order[position + 1]].localHeaderOffset : directoryOffset
            let minimalEnd = try ZipBytes.sum(try ZipBytes.sum(entry.localHeaderOffset, 30 + entry.nameBytes.count), entry.compressedSize)
            guard minimalEnd <= regionEnd else {
                if entry.localHeaderOffset >= directoryOffset {
                    throw .corrupt("部件的本地文件头损坏", part: entry.name)
                }
                throw .corrupt("压缩包中的部件相互重叠", part: entry.name)
            }
            result[i].regionEnd = regionEnd
        }
        return result
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
        let b = ZipBytes(bytes: bytes)
        let h = entry.localHeaderOffset
        guard b.u32OrNil(h) == 0x0403_4B50, let localFlags = b.u16OrNil(h + 6), let nameLength = b.u16OrNil(h + 26),
              let extraLength = b.u16OrNil(h + 28) else {
            throw .corrupt("部件的本地文件头损坏", part: name)
        }
        if localFlags & 0x41 != 0 { throw .encryptedEntry(name) }
        guard nameLength == entry.nameBytes.count, let localName = b.range(h + 30, nameLength),
              bytes[localName].elementsEqual(entry.nameBytes) else {
            throw .corrupt("部件的本地文件头与目录不符", part: name)
        }
        // h + 30 + nameLength fits in the buffer (checked just above), extraLength < 2^16.
        let dataStart = localName.upperBound + extraLength
        guard let data = b.range(dataStart, entry.compressedSize) else {
            throw .corrupt("部件数据不完整，文件已被截断", part: name)
        }
        guard data.upperBound <= entry.regionEnd else { throw .corrupt("压缩包中的部件相互重叠", part: name) }
        let output: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.size else { throw .corrupt("未压缩部件的大小与目录记录不符", part: name) }
            output = Array(bytes[data])
        case 8:
            do throws(InflateError) {
                output = try bytes.withUnsafeBufferPointer { (all) throws(InflateError) in
                    try Inflater.inflate(UnsafeBufferPointer(rebasing: all[data]), size: entry.size)
                }
            } catch {
                switch error {
                case .truncated: throw .corrupt("部件的压缩数据不完整，文件已被截断", part: name)
                case .outputTooLarge, .outputTooSmall: throw .corrupt("部件解压后的大小与目录记录不符", part: name)
                case .invalid, .outOfMemory: throw .corrupt("部件的压缩数据无效", part: name)
                }
            }
        default:
            throw .unsupported("压缩方式 \(entry.method)", part: name)
        }
        guard CRC32.checksum(output) == entry.crc else { throw .corrupt("部件的校验码（CRC-32）不符", part: name) }
        totalRead += entry.size
        return output
    }
}

/// The uploaded bytes, read as little-endian fields only where the whole field lies inside them.
struct ZipBytes {
    let bytes: [UInt8]
    var count: Int { bytes.count }

    static let outside = XLSXReadError.corrupt("压缩包结构损坏：记录指向文件范围之外")

    /// `start..<start + length`, or nil unless it lies inside the buffer.
    func range(_ start: Int, _ length: Int) -> Range<Int>? {
        guard start >= 0, length >= 0, start <= bytes.count, length <= bytes.count - start else { return nil }
        return start..<(start + length)
    }

    func u16OrNil(_ k: Int) -> Int? {
        guard let r = range(k, 2) else { return nil }
        return Int(bytes[r.lowerBound]) | Int(bytes[r.lowerBound + 1]) << 8
    }

    func u32OrNil(_ k: Int) -> Int? {
        guard let r = range(k, 4) else { return nil }
        var v = 0
        for i in r.reversed() { v = v << 8 | Int(bytes[i]) }
        return v
    }

    func u16(_ k: Int) throws(XLSXReadError) -> Int {
        guard let v = u16OrNil(k) else { throw Self.outside }
        return v
    }

    func u32(_ k: Int) throws(XLSXReadError) -> Int {
        guard let v = u32OrNil(k) else { throw Self.outside }
        return v
    }

    /// A 64-bit size, count or offset; refused unless it fits in an `Int` (no file is that large).
    func int64(_ k: Int, _ message: String) throws(XLSXReadError) -> Int {
        guard let r = range(k, 8) else { throw Self.outside }
        var v: UInt64 = 0
        for i in r.reversed() { v = v << 8 | UInt64(bytes[i]) }
        guard let value = Int(exactly: v) else { throw .corrupt(message) }
        return value
    }

    func slice(_ start: Int, _ length: Int) throws(XLSXReadError) -> [UInt8] {
        guard let r = range(start, length) else { throw Self.outside }
        return Array(bytes[r])
    }

    /// `a + b`, refused on overflow.
    static func sum(_ a: Int, _ b: Int) throws(XLSXReadError) -> Int {
        let (value, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw outside }
        return value
    }
}
