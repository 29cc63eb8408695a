/// Why a DEFLATE stream could not be decoded.
enum InflateError: Error, Sendable, Equatable {
    /// The input ended before the final block did.
    case truncated
    /// Block type 11.
    case invalidBlockType
    /// A stored block whose LEN and NLEN disagree.
    case storedLengthMismatch
    /// A dynamic block header with too many symbols, over-subscribed or incomplete codes, a repeat
    /// with nothing to repeat or running past the end, or no end-of-block code.
    case invalidCodeLengths
    /// A code with no symbol, literal/length 286–287 or distance 30–31.
    case invalidSymbol
    /// A match reaching back before the start of the output.
    case distanceTooFar
    /// The stream decodes to more than the output can hold (the size the ZIP directory declares).
    case outputTooLarge
}

/// Raw DEFLATE (RFC 1951) decoder: stored, fixed and dynamic Huffman blocks, decoded through
/// two-level lookup tables (10 bits then up to 5 more for literals/lengths, 8 then up to 7 for
/// distances) with a 64-bit bit buffer refilled eight bytes at a time.
///
/// The whole output is one buffer of a size fixed in advance (a ZIP entry's declared size), so the
/// window is the output itself and no stream can make the decoder allocate more than that: a stream
/// that would decode to more stops with `outputTooLarge` at the first byte too many.
struct Inflater {
    /// Decodes `input` into exactly `size` bytes: fails if the stream is broken or decodes to more;
    /// `decodedCount` tells how many bytes it did decode (less than `size` when the stream ended early).
    static func inflate(_ input: UnsafeBufferPointer<UInt8>, size: Int) throws(InflateError) -> (bytes: [UInt8], decodedCount: Int) {
        var failure: InflateError?
        var decoded = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            do throws(InflateError) {
                decoded = try inflate(input, into: buffer)
                // Bytes past `decoded` (an early end) are zeroed so the array is fully initialised.
                if decoded < size, let base = buffer.baseAddress { (base + decoded).initialize(repeating: 0, count: size - decoded) }
                initialized = size
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return (bytes, decoded)
    }

    /// Decodes `input` into `output`; returns the number of bytes written.
    static func inflate(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>) throws(InflateError) -> Int {
        guard let inBase = input.baseAddress, input.count > 0 else { throw .truncated }
        let dummy = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        defer { dummy.deallocate() }
        let lit = UnsafeMutablePointer<UInt32>.allocate(capacity: Tables.literalCapacity)
        let dist = UnsafeMutablePointer<UInt32>.allocate(capacity: Tables.distanceCapacity)
        let lengths = UnsafeMutablePointer<UInt8>.allocate(capacity: 320)
        defer {
            lit.deallocate()
            dist.deallocate()
            lengths.deallocate()
        }
        var state = Inflater(input: inBase, inputCount: input.count, out: output.baseAddress ?? dummy, outCount: output.count,
                             lit: lit, dist: dist, lengths: lengths)
        try state.run()
        return state.outPos
    }

    private let input: UnsafePointer<UInt8>
    private let inputCount: Int
    private let out: UnsafeMutablePointer<UInt8>
    private let outCount: Int
    private let lit: UnsafeMutablePointer<UInt32>
    private let dist: UnsafeMutablePointer<UInt32>
    private let lengths: UnsafeMutablePointer<UInt8>
    private var inPos = 0
    /// Zero bytes fed to the bit buffer past the end of the input (an error if any gets consumed).
    private var overrun = 0
    private var bits: UInt64 = 0
    /// Valid bits in `bits` (bits above may hold the next input bytes, or zeros).
    private var count = 0
    private(set) var outPos = 0
    private var tablesAreFixed = false

    private init(input: UnsafePointer<UInt8>, inputCount: Int, out: UnsafeMutablePointer<UInt8>, outCount: Int,
                 lit: UnsafeMutablePointer<UInt32>, dist: UnsafeMutablePointer<UInt32>, lengths: UnsafeMutablePointer<UInt8>) {
        self.input = input
        self.inputCount = inputCount
        self.out = out
        self.outCount = outCount
        self.lit = lit
        self.dist = dist
        self.lengths = lengths
    }

    // MARK: Bits

    /// Afterwards at least 56 bits are available.
    @inline(__always) private mutating func refill() throws(InflateError) {
        if inPos &+ 8 <= inputCount {
            let word = UnsafeRawPointer(input + inPos).loadUnaligned(as: UInt64.self)
            bits |= UInt64(littleEndian: word) &<< UInt64(count)
            inPos &+= (63 &- count) &>> 3
            count |= 56
        } else {
            try refillSlow()
        }
    }

    @inline(never) private mutating func refillSlow() throws(InflateError) {
        while count < 56 {
            if inPos < inputCount {
                bits |= UInt64(input[inPos]) &<< UInt64(count)
                inPos += 1
            } else {
                overrun += 1
                // The buffer holds at most 8 bytes: beyond that, padding has been consumed.
                if overrun > 8 { throw .truncated }
            }
            count += 8
        }
    }

    @inline(__always) private mutating func take(_ n: Int) -> UInt64 {
        let v = bits & ((1 &<< UInt64(n)) &- 1)
        bits &>>= UInt64(n)
        count &-= n
        return v
    }

    @inline(__always) private mutating func drop(_ n: Int) {
        bits &>>= UInt64(n)
        count &-= n
    }

    // MARK: Blocks

    private mutating func run() throws(InflateError) {
        var final = false
        while !final {
            try refill()
            final = take(1) == 1
            switch take(2) {
            case 0: try storedBlock()
            case 1:
                if !tablesAreFixed {
                    Tables.buildFixed(lit: lit, dist: dist, lengths: lengths)
                    tablesAreFixed = true
                }
                try huffmanBlock()
            case 2:
                try dynamicHeader()
                tablesAreFixed = false
                try huffmanBlock()
            default: throw .invalidBlockType
            }
        }
        // Consumed padding past the end of the input?
        if overrun * 8 > count { throw .truncated }
    }

    private mutating func storedBlock() throws(InflateError) {
        drop(count & 7)
        try refill()
        let len = Int(take(16))
        let nlen = Int(take(16))
        guard len == (~nlen & 0xFFFF) else { throw .storedLengthMismatch }
        // Give the whole bytes still buffered back to the input.
        let position = inPos + overrun - (count >> 3)
        guard position <= inputCount, len <= inputCount - position else { throw .truncated }
        guard len <= outCount - outPos else { throw .outputTooLarge }
        if len > 0 { (out + outPos).update(from: input + position, count: len) }
        outPos += len
        inPos = position + len
        overrun = 0
        bits = 0
        count = 0
    }

    private mutating func dynamicHeader() throws(InflateError) {
        try refill()
        let hlit = Int(take(5)) + 257
        let hdist = Int(take(5)) + 1
        let hclen = Int(take(4)) + 4
        guard hlit <= 286, hdist <= 30 else { throw .invalidCodeLengths }
        var codeLengthLengths = (UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0),
                                 UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0))
        let codeLengthTable = UnsafeMutablePointer<UInt32>.allocate(capacity: 128)
        defer { codeLengthTable.deallocate() }
        try withUnsafeMutableBytes(of: &codeLengthLengths) { (raw) throws(InflateError) in
            let cl = raw.bindMemory(to: UInt8.self).baseAddress!
            for i in 0..<hclen {
                if count < 3 { try refill() }
                cl[Int(Tables.codeLengthOrder[i])] = UInt8(take(3))
            }
            guard Tables.build(lengths: cl, count: 19, primaryBits: 7, kind: .codeLength, table: codeLengthTable) else {
                throw .invalidCodeLengths
            }
        }
        let total = hlit + hdist
        var i = 0
        while i < total {
            try refill()
            let e = codeLengthTable[Int(bits & 127)]
            drop(Int(e & 15))
            let symbol = Int(e >> 16)
            if symbol < 16 {
                lengths[i] = UInt8(symbol)
                i += 1
                continue
            }
            var value: UInt8 = 0
            let repeatCount: Int
            switch symbol {
            case 16:
                guard i > 0 else { throw .invalidCodeLengths }
                value = lengths[i - 1]
                repeatCount = 3 + Int(take(2))
            case 17: repeatCount = 3 + Int(take(3))
            default: repeatCount = 11 + Int(take(7))
            }
            guard repeatCount <= total - i else { throw .invalidCodeLengths }
            (lengths + i).update(repeating: value, count: repeatCount)
            i += repeatCount
        }
        guard lengths[256] != 0 else { throw .invalidCodeLengths }
        guard Tables.build(lengths: lengths, count: hlit, primaryBits: Tables.literalBits, kind: .literalLength, table: lit),
              Tables.build(lengths: lengths + hlit, count: hdist, primaryBits: Tables.distanceBits, kind: .distance, table: dist)
        else { throw .invalidCodeLengths }
    }

    private mutating func huffmanBlock() throws(InflateError) {
        let lit = self.lit, out = self.out, outCount = self.outCount
        while true {
            try refill()
            var e = lit[Int(bits & Tables.literalMask)]
            if (e >> 8) & 0xFF == Tables.link {
                drop(Tables.literalBits)
                e = lit[Int(e >> 16) + Int(bits & ((1 &<< UInt64(e & 15)) &- 1))]
            }
            drop(Int(e & 15))
            let tag = (e >> 8) & 0xFF
            if tag == Tables.literal {
                guard outPos < outCount else { throw .outputTooLarge }
                out[outPos] = UInt8(truncatingIfNeeded: e >> 16)
                outPos &+= 1
                // A second literal without refilling: a primary literal entry takes at most 10 bits
                // and at least 41 remain after the first code.
                let e2 = lit[Int(bits & Tables.literalMask)]
                if (e2 >> 8) & 0xFF == Tables.literal {
                    drop(Int(e2 & 15))
                    guard outPos < outCount else { throw .outputTooLarge }
                    out[outPos] = UInt8(truncatingIfNeeded: e2 >> 16)
                    outPos &+= 1
                }
                continue
            }
            try symbol(e)
            if tag == Tables.endOfBlock { return }
        }
    }

    /// A non-literal literal/length symbol whose code has been consumed: a match, end of block, or invalid.
    @inline(__always) private mutating func symbol(_ e: UInt32) throws(InflateError) {
        let tag = (e >> 8) & 0xFF
        if tag == Tables.endOfBlock { return }
        guard tag == Tables.base else { throw .invalidSymbol }
        // At least 41 bits remain after the length code (≤ 15 bits of 56): enough for 5 extra
        // length bits, a distance code (≤ 15) and 13 extra distance bits.
        let length = Int(e >> 16) + Int(take(Int((e >> 4) & 15)))
        var d = dist[Int(bits & Tables.distanceMask)]
        if (d >> 8) & 0xFF == Tables.link {
            drop(Tables.distanceBits)
            d = dist[Int(d >> 16) + Int(bits & ((1 &<< UInt64(d & 15)) &- 1))]
        }
        drop(Int(d & 15))
        guard (d >> 8) & 0xFF == Tables.base else { throw .invalidSymbol }
        let distance = Int(d >> 16) + Int(take(Int((d >> 4) & 15)))
        guard distance <= outPos else { throw .distanceTooFar }
        guard length <= outCount &- outPos else { throw .outputTooLarge }
        let dst = out + outPos
        let src = dst - distance
        if distance >= 8 && outPos &+ length &+ 8 <= outCount {
            var s = UnsafeRawPointer(src), t = UnsafeMutableRawPointer(dst)
            var remaining = length
            repeat {
                t.storeBytes(of: s.loadUnaligned(as: UInt64.self), as: UInt64.self)
                s += 8
                t += 8
                remaining &-= 8
            } while remaining > 0
        } else if distance == 1 {
            dst.update(repeating: src.pointee, count: length)
        } else {
            for k in 0..<length { dst[k] = src[k] }
        }
        outPos &+= length
    }
}

/// Decoding tables. An entry (UInt32): bits 0–3 the code bits to consume (for a link: the subtable's
/// index bits), bits 4–7 extra bits, bits 8–15 a tag, bits 16–31 the value (literal byte, base
/// length or distance, code-length symbol, subtable offset).
enum Tables {
    static let literal: UInt32 = 0
    static let base: UInt32 = 1
    static let endOfBlock: UInt32 = 2
    static let link: UInt32 = 3
    static let invalid: UInt32 = 4

    static let literalBits = 10
    static let distanceBits = 8
    static let literalMask: UInt64 = (1 << 10) - 1
    static let distanceMask: UInt64 = (1 << 8) - 1
    /// Primary table plus one subtable of up to 2^(15-10) entries per symbol.
    static let literalCapacity = (1 << 10) + 288 * (1 << 5)
    static let distanceCapacity = (1 << 8) + 32 * (1 << 7)

    static let codeLengthOrder: [UInt8] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    static let lengthBase: [UInt16] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase: [UInt16] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
                                         2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra: [UInt8] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    enum Kind { case literalLength, distance, codeLength }

    static let invalidEntry: UInt32 = invalid << 8

    @inline(__always) static func entry(_ symbol: Int, kind: Kind) -> UInt32 {
        switch kind {
        case .codeLength:
            return UInt32(symbol) << 16
        case .literalLength:
            if symbol < 256 { return UInt32(symbol) << 16 | literal << 8 }
            if symbol == 256 { return endOfBlock << 8 }
            if symbol < 286 {
                let i = symbol - 257
                return UInt32(lengthBase[i]) << 16 | base << 8 | UInt32(lengthExtra[i]) << 4
            }
            return invalidEntry
        case .distance:
            if symbol < 30 { return UInt32(distanceBase[symbol]) << 16 | base << 8 | UInt32(distanceExtra[symbol]) << 4 }
            return invalidEntry
        }
    }

    /// Builds the canonical Huffman decoding table of `count` code lengths. False if the lengths
    /// over-subscribe the code, or leave it incomplete (allowed only for a single code of length 1,
    /// as zlib does, and for a literal/length or distance code with no codes at all).
    static func build(lengths: UnsafePointer<UInt8>, count: Int, primaryBits: Int, kind: Kind, table: UnsafeMutablePointer<UInt32>) -> Bool {
        var lengthCounts = [Int](repeating: 0, count: 16)
        var maxLength = 0
        for i in 0..<count {
            let l = Int(lengths[i])
            guard l <= 15 else { return false }
            lengthCounts[l] += 1
            if l > maxLength { maxLength = l }
        }
        let primarySize = 1 << primaryBits
        table.update(repeating: invalidEntry, count: primarySize)
        if maxLength == 0 { return kind != .codeLength }
        var left = 1
        for l in 1...15 {
            left <<= 1
            left -= lengthCounts[l]
            if left < 0 { return false }
        }
        if left > 0 && (kind == .codeLength || maxLength != 1) { return false }
        // Canonical first codes (RFC 1951 3.2.2).
        var nextCode = [Int](repeating: 0, count: 16)
        var code = 0
        lengthCounts[0] = 0
        for l in 1...15 {
            code = (code + lengthCounts[l - 1]) << 1
            nextCode[l] = code
        }
        let subBits = max(0, maxLength - primaryBits)
        let subSize = 1 << subBits
        var nextSubtable = primarySize
        for symbol in 0..<count {
            let l = Int(lengths[symbol])
            guard l > 0 else { continue }
            let c = nextCode[l]
            nextCode[l] += 1
            // Huffman codes are sent most significant bit first: index by the reversed code.
            var reversed = 0
            for k in 0..<l where c & (1 << k) != 0 { reversed |= 1 << (l - 1 - k) }
            let e = entry(symbol, kind: kind)
            if l <= primaryBits {
                var index = reversed
                while index < primarySize {
                    table[index] = e | UInt32(l)
                    index += 1 << l
                }
            } else {
                let low = reversed & (primarySize - 1)
                var linkEntry = table[low]
                if (linkEntry >> 8) & 0xFF != link {
                    linkEntry = UInt32(nextSubtable) << 16 | link << 8 | UInt32(subBits)
                    table[low] = linkEntry
                    (table + nextSubtable).update(repeating: invalidEntry, count: subSize)
                    nextSubtable += subSize
                }
                let subtable = table + Int(linkEntry >> 16)
                let subLength = l - primaryBits
                var index = reversed >> primaryBits
                while index < subSize {
                    subtable[index] = e | UInt32(subLength)
                    index += 1 << subLength
                }
            }
        }
        return true
    }

    static func buildFixed(lit: UnsafeMutablePointer<UInt32>, dist: UnsafeMutablePointer<UInt32>, lengths: UnsafeMutablePointer<UInt8>) {
        (lengths + 0).update(repeating: 8, count: 144)
        (lengths + 144).update(repeating: 9, count: 112)
        (lengths + 256).update(repeating: 7, count: 24)
        (lengths + 280).update(repeating: 8, count: 8)
        _ = build(lengths: lengths, count: 288, primaryBits: literalBits, kind: .literalLength, table: lit)
        (lengths + 0).update(repeating: 5, count: 32)
        _ = build(lengths: lengths, count: 32, primaryBits: distanceBits, kind: .distance, table: dist)
    }
}
