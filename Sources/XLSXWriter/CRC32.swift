/// CRC-32 as used by ZIP (IEEE 802.3, reflected polynomial 0xEDB88320), table-driven and sliced by
/// eight bytes: `CRC32.checksum(Array("123456789".utf8)) == 0xCBF43926`.
public struct CRC32: Sendable, Hashable {
    /// The running value (already finalised: the value of the bytes seen so far).
    public private(set) var value: UInt32 = 0

    public init() {}

    /// The CRC-32 of `bytes`.
    public static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var crc = CRC32()
        let contiguous = bytes.withContiguousStorageIfAvailable { crc.update(UnsafeRawBufferPointer($0)) } != nil
        if !contiguous { crc.update(Array(bytes)) }
        return crc.value
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var c = ~value
        var i = 0
        let n = bytes.count
        guard n > 0, let base = bytes.baseAddress else { return }
        CRC32Tables.table.withUnsafeBufferPointer { t in
            // Eight bytes per step through eight 256-entry tables.
            while n - i >= 8 {
                let lo = base.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian ^ c
                let hi = base.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self).littleEndian
                c = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                i += 8
            }
            while i < n {
                c = t[Int((c ^ UInt32(base.load(fromByteOffset: i, as: UInt8.self))) & 0xFF)] ^ (c >> 8)
                i += 1
            }
        }
        value = ~c
    }
}

enum CRC32Tables {
    /// Eight tables of 256 entries: table 0 is the classic byte-at-a-time table; table k advances k more zero bytes.
    static let table: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[n] = c
        }
        for k in 1..<8 {
            for n in 0..<256 {
                let previous = t[(k - 1) * 256 + n]
                t[k * 256 + n] = t[Int(previous & 0xFF)] ^ (previous >> 8)
            }
        }
        return t
    }()
}
