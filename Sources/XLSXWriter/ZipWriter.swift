/// How ZIP entries are stored.
public enum ZipCompression: Sendable, Hashable {
    /// No compression (method 0): fastest, largest.
    case stored
    /// DEFLATE (method 8, zlib level 1): many times smaller, a little slower.
    case deflate
}

/// A streaming ZIP writer (APPNOTE 6.3.x): each entry's local header has general-purpose bit 3 set, so
/// its CRC and sizes follow the data in a data descriptor and an entry never needs to be held whole;
/// bit 11 marks the names as UTF-8. The central directory and the end record are written by `finish`.
///
/// ZIP64: an entry whose sizes or offset reach 0xFFFFFFFF gets a ZIP64 extra field in the central
/// directory (and 8-byte sizes in its data descriptor); an archive with ≥ 65,535 entries or a central
/// directory beyond 4 GiB gets the ZIP64 end record and locator. Nothing is ever truncated silently.
struct ZipWriter<Sink: ByteSink> {
    struct Entry {
        var name: [UInt8]
        var method: UInt16
        var crc: UInt32
        var compressedSize: UInt64
        var size: UInt64
        var offset: UInt64
    }

    private(set) var sink: Sink
    let compression: ZipCompression
    let dosTime: UInt16
    let dosDate: UInt16
    /// Values at or above this go into ZIP64 fields (0xFFFFFFFF; lowered by tests to exercise ZIP64).
    let zip64Limit: UInt64
    /// Entry counts at or above this need the ZIP64 end record (0xFFFF; lowered by tests).
    let entryCountLimit: Int

    private(set) var entries: [Entry] = []
    /// Bytes handed to the sink so far: the offset of whatever is written next.
    private(set) var offset: UInt64 = 0
    private var current: Entry?
    private var crc = CRC32()
    private var deflater: DeflateEncoder?
    private var compressed: [UInt8] = []
    private var scratch: [UInt8] = []

    init(sink: Sink, compression: ZipCompression, dosTime: UInt16 = 0, dosDate: UInt16 = 0x21,
         zip64Limit: UInt64 = 0xFFFF_FFFF, entryCountLimit: Int = 0xFFFF) {
        self.sink = sink
        self.compression = compression
        self.dosTime = dosTime
        self.dosDate = dosDate
        self.zip64Limit = zip64Limit
        self.entryCountLimit = entryCountLimit
    }

    var isInEntry: Bool { current != nil }

    mutating func beginEntry(_ name: String) throws {
        // The stream writer opens and closes entries in order; a broken order is refused, not trapped.
        guard current == nil else { throw XLSXError.failed }
        let method: UInt16 = compression == .deflate ? 8 : 0
        let nameBytes = Array(name.utf8)
        guard nameBytes.count <= 0xFFFF else { throw XLSXError.invalidLayout("ZIP entry name over 65,535 bytes") }
        current = Entry(name: nameBytes, method: method, crc: 0, compressedSize: 0, size: 0, offset: offset)
        crc = CRC32()
        deflater = compression == .deflate ? try DeflateEncoder() : nil
        scratch.removeAll(keepingCapacity: true)
        scratch.u32(0x0403_4B50)
        scratch.u16(20)  // version needed: 2.0 (a ZIP64 entry says 4.5 in the central directory)
        scratch.u16(0x0808)  // bit 3: data descriptor follows; bit 11: UTF-8 name
        scratch.u16(method)
        scratch.u16(dosTime)
        scratch.u16(dosDate)
        scratch.u32(0)  // CRC, sizes: in the data descriptor
        scratch.u32(0)
        scratch.u32(0)
        scratch.u16(UInt16(nameBytes.count))
        scratch.u16(0)  // no extra field
        scratch.append(contentsOf: nameBytes)
        try emit(scratch)
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var entry = current else { throw XLSXError.failed }
        guard bytes.count > 0 else { return }
        crc.update(bytes)
        entry.size += UInt64(bytes.count)
        if let deflater {
            compressed.removeAll(keepingCapacity: true)
            try deflater.compress(bytes, into: &compressed)
            entry.compressedSize += UInt64(compressed.count)
            current = entry
            try emit(compressed)
        } else {
            entry.compressedSize += UInt64(bytes.count)
            current = entry
            try emitRaw(bytes)
        }
    }

    mutating func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    mutating func endEntry() throws {
        guard var entry = current else { throw XLSXError.failed }
        if let deflater {
            compressed.removeAll(keepingCapacity: true)
            try deflater.finish(into: &compressed)
            entry.compressedSize += UInt64(compressed.count)
            try emit(compressed)
            self.deflater = nil
            if compressed.capacity > 1 << 20 { compressed = [] }
        }
        entry.crc = crc.value
        current = nil
        scratch.removeAll(keepingCapacity: true)
        scratch.u32(0x0807_4B50)
        scratch.u32(entry.crc)
        if entry.size >= zip64Limit || entry.compressedSize >= zip64Limit {
            scratch.u64(entry.compressedSize)
            scratch.u64(entry.size)
        } else {
            scratch.u32(UInt32(entry.compressedSize))
            scratch.u32(UInt32(entry.size))
        }
        try emit(scratch)
        entries.append(entry)
    }

    mutating func addEntry(_ name: String, _ bytes: [UInt8]) throws {
        try beginEntry(name)
        try write(bytes)
        try endEntry()
    }

    /// The central directory and the end of central directory record (with the ZIP64 end record and
    /// locator when needed).
    mutating func finish() throws {
        guard current == nil else { throw XLSXError.failed }
        let directoryStart = offset
        for entry in entries {
            try writeDirectoryRecord(entry)
        }
        try writeEndRecords(directoryStart: directoryStart)
    }

    /// An entry's central directory record; sizes and offset past `zip64Limit` go in a ZIP64 extra field.
    private mutating func writeDirectoryRecord(_ entry: Entry) throws {
        scratch.removeAll(keepingCapacity: true)
        var extra: [UInt8] = []
        let bigSize = entry.size >= zip64Limit
        let bigCompressed = entry.compressedSize >= zip64Limit
        let bigOffset = entry.offset >= zip64Limit
        if bigSize { extra.u64(entry.size) }
        if bigCompressed { extra.u64(entry.compressedSize) }
        if bigOffset { extra.u64(entry.offset) }
        let zip64 = !extra.isEmpty
        if zip64 {
            extra.insert(contentsOf: [0x01, 0x00, UInt8(extra.count), 0x00], at: 0)
        }
        scratch.u32(0x0201_4B50)
        scratch.u16(zip64 ? 45 : 20)  // version made by: MS-DOS attributes, spec 2.0 / 4.5
        scratch.u16(zip64 ? 45 : 20)  // version needed
        scratch.u16(0x0808)
        scratch.u16(entry.method)
        scratch.u16(dosTime)
        scratch.u16(dosDate)
        scratch.u32(entry.crc)
        scratch.u32(bigCompressed ? 0xFFFF_FFFF : UInt32(entry.compressedSize))
        scratch.u32(bigSize ? 0xFFFF_FFFF : UInt32(entry.size))
        scratch.u16(UInt16(entry.name.count))
        scratch.u16(UInt16(extra.count))
        scratch.u16(0)  // comment length
        scratch.u16(0)  // disk number start
        scratch.u16(0)  // internal attributes
        scratch.u32(0)  // external attributes
        scratch.u32(bigOffset ? 0xFFFF_FFFF : UInt32(entry.offset))
        scratch.append(contentsOf: entry.name)
        scratch.append(contentsOf: extra)
        try emit(scratch)
    }

    /// After the central directory (which started at `directoryStart` and ends here): the ZIP64 end
    /// record and locator when a count, size or offset does not fit, then the end record.
    private mutating func writeEndRecords(directoryStart: UInt64) throws {
        let directorySize = offset - directoryStart
        let count = entries.count
        let needZip64 = count >= entryCountLimit || directorySize >= zip64Limit || directoryStart >= zip64Limit
        scratch.removeAll(keepingCapacity: true)
        if needZip64 {
            let recordOffset = offset
            scratch.u32(0x0606_4B50)
            scratch.u64(44)  // size of the rest of this record
            scratch.u16(45)
            scratch.u16(45)
            scratch.u32(0)  // this disk
            scratch.u32(0)  // disk with the central directory
            scratch.u64(UInt64(count))
            scratch.u64(UInt64(count))
            scratch.u64(directorySize)
            scratch.u64(directoryStart)
            // Locator.
            scratch.u32(0x0706_4B50)
            scratch.u32(0)
            scratch.u64(recordOffset)
            scratch.u32(1)
        }
        scratch.u32(0x0605_4B50)
        scratch.u16(0)
        scratch.u16(0)
        let shortCount: UInt16 = count >= entryCountLimit ? 0xFFFF : UInt16(count)
        scratch.u16(shortCount)
        scratch.u16(shortCount)
        scratch.u32(directorySize >= zip64Limit ? 0xFFFF_FFFF : UInt32(directorySize))
        scratch.u32(directoryStart >= zip64Limit ? 0xFFFF_FFFF : UInt32(directoryStart))
        scratch.u16(0)  // comment length
        try emit(scratch)
    }

    private mutating func emit(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try emitRaw($0) }
    }

    private mutating func emitRaw(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        try sink.write(bytes)
        offset += UInt64(bytes.count)
    }
}

extension [UInt8] {
    @inline(__always) mutating func u16(_ v: UInt16) {
        append(UInt8(truncatingIfNeeded: v))
        append(UInt8(truncatingIfNeeded: v >> 8))
    }

    @inline(__always) mutating func u32(_ v: UInt32) {
        for k in 0..<4 { append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(k)))) }
    }

    @inline(__always) mutating func u64(_ v: UInt64) {
        for k in 0..<8 { append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
    }
}

/// MS-DOS date and time (local, two-second resolution) of an ISO-8601 timestamp's own fields.
func dosDateTime(_ timestamp: ISO8601Timestamp) -> (time: UInt16, date: UInt16) {
    let year = min(max(timestamp.year, 1980), 2107)
    let time = UInt16(timestamp.hour << 11 | timestamp.minute << 5 | timestamp.second / 2)
    let date = UInt16((year - 1980) << 9 | timestamp.month << 5 | timestamp.day)
    return (time, date)
}
