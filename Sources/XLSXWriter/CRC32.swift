import CZlib

/// CRC-32 as used by ZIP (IEEE 802.3, reflected polynomial 0xEDB88320), computed by zlib:
/// `CRC32.checksum(Array("123456789".utf8)) == 0xCBF43926`.
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
        guard var base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var crc = uLong(value)
        var remaining = bytes.count
        // zlib takes a 32-bit length: feed at most 1 GiB a call.
        while remaining > 0 {
            let n = min(remaining, 1 << 30)
            crc = crc32(crc, base, uInt(n))
            base += n
            remaining -= n
        }
        value = UInt32(truncatingIfNeeded: crc)
    }
}
