import CZlib

/// CRC-32 as ZIP uses it (ISO-HDLC, reflected polynomial 0xEDB88320), computed by zlib.
enum CRC32 {
    static func checksum(_ bytes: UnsafeBufferPointer<UInt8>, initial: UInt32 = 0) -> UInt32 {
        guard var base = bytes.baseAddress else { return initial }
        var crc = UInt(initial)
        var remaining = bytes.count
        // zlib takes a 32-bit length: feed at most 1 GiB a call.
        while remaining > 0 {
            let n = min(remaining, 1 << 30)
            crc = UInt(crc32(uLong(crc), base, uInt(n)))
            base += n
            remaining -= n
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { checksum($0) }
    }
}
