import Foundation

/// UUIDs of version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Rows keyed by them
/// are inserted at the end of the primary key's index rather than all over it: with random (version 4)
/// ids, each of a 企业5表 file's 239 audit lines dirtied its own index page, and `drs import` wrote
/// about a megabyte of SQLite log per file.
public enum TimeOrderedUUID {
    public static func make(at date: Date = Date()) -> UUID {
        var generator = SystemRandomNumberGenerator()
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        let random = generator.next() as UInt64, more = generator.next() as UInt64
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - i))) }
        for i in 6..<16 { bytes[i] = UInt8(truncatingIfNeeded: (i < 14 ? random >> (8 * (i - 6)) : more >> (8 * (i - 14)))) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)   // version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)   // variant 10
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
