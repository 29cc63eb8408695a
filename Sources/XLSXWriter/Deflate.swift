/// Raw DEFLATE (RFC 1951) with the fixed Huffman code (block type 01) and greedy LZ77 matching
/// over a 32 KiB window: one hash probe per position, matches of 4…258 bytes. Simple, fast and
/// deterministic; spreadsheet XML (which repeats `<c r="…" s="…"><v>…</v></c>` endlessly) shrinks
/// by roughly a factor of five to eight.
///
/// Streaming: each `compress` call emits one non-final block for the bytes it is given (matches may
/// reach back into earlier calls' bytes); `finish` emits an empty final block and pads to a byte.
/// Memory is constant: the window (≤ 32 KiB of history plus the current chunk) and the hash table.
struct DeflateEncoder {
    static let windowSize = 32_768
    static let hashBits = 15
    static let minMatch = 4
    static let maxMatch = 258

    /// History (at most `windowSize` bytes) followed by the bytes being compressed.
    private var window: [UInt8] = []
    /// The absolute input position of `window[0]`.
    private var windowStart = 0
    /// Hash of four bytes → the absolute position where they were last seen.
    private var head: [Int]
    private var bitBuffer: UInt64 = 0
    private var bitCount = 0
    private(set) var finished = false

    init() {
        head = [Int](repeating: Int.min / 2, count: 1 << Self.hashBits)
        window.reserveCapacity(Self.windowSize * 4)
    }

    /// Compresses `input` as one block and appends the produced bytes to `output` (some bits may
    /// stay pending until the next call or `finish`).
    mutating func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        precondition(!finished)
        guard input.count > 0 else { return }
        let start = window.count
        window.append(contentsOf: input)
        let end = window.count
        // Worst case: 9 bits per literal plus the block header and end code.
        let bound = (end - start) * 9 / 8 + 16
        let outStart = output.count
        var written = 0
        var bits = bitBuffer, count = bitCount
        let windowStart = self.windowStart
        output.append(contentsOf: repeatElement(0, count: bound))
        output.withUnsafeMutableBufferPointer { outBuffer in
            let out = outBuffer.baseAddress! + outStart
            @inline(__always) func put(_ value: UInt32, _ length: Int) {
                bits |= UInt64(value) << UInt64(count)
                count += length
                if count >= 32 {
                    UnsafeMutableRawPointer(out + written).storeBytes(of: UInt32(truncatingIfNeeded: bits).littleEndian, as: UInt32.self)
                    written += 4
                    bits >>= 32
                    count -= 32
                }
            }
            put(0b010, 3)  // BFINAL = 0, BTYPE = 01 (fixed Huffman)
            window.withUnsafeBufferPointer { windowBuffer in
                head.withUnsafeMutableBufferPointer { headBuffer in
                    DeflateTables.shared.withTables { literal, literalLength, lengthCode, lengthCodeLength, distanceCode, distanceCodeLength in
                        let w = UnsafeRawPointer(windowBuffer.baseAddress!)
                        let bytes = windowBuffer.baseAddress!
                        let h = headBuffer.baseAddress!
                        let shift = UInt32(32 - Self.hashBits)
                        @inline(__always) func hash(_ v: UInt32) -> Int { Int((v &* 2_654_435_761) >> shift) }
                        var i = start
                        while i < end {
                            if end - i >= Self.minMatch {
                                let v = w.loadUnaligned(fromByteOffset: i, as: UInt32.self)
                                let slot = hash(v)
                                let candidate = h[slot] - windowStart
                                h[slot] = windowStart + i
                                if candidate >= 0, i - candidate <= Self.windowSize,
                                   w.loadUnaligned(fromByteOffset: candidate, as: UInt32.self) == v {
                                    let limit = min(Self.maxMatch, end - i)
                                    var length = 4
                                    while length + 8 <= limit {
                                        let x = w.loadUnaligned(fromByteOffset: i + length, as: UInt64.self)
                                            ^ w.loadUnaligned(fromByteOffset: candidate + length, as: UInt64.self)
                                        if x != 0 {
                                            length += x.littleEndian.trailingZeroBitCount >> 3
                                            break
                                        }
                                        length += 8
                                    }
                                    if length + 8 > limit {
                                        while length < limit && bytes[i + length] == bytes[candidate + length] { length += 1 }
                                    }
                                    let distance = i - candidate
                                    put(lengthCode[length], Int(lengthCodeLength[length]))
                                    put(distanceCode[distance], Int(distanceCodeLength[distance]))
                                    // Remember the positions inside the match too.
                                    let last = min(i + length, end - Self.minMatch + 1)
                                    var j = i + 1
                                    while j < last {
                                        h[hash(w.loadUnaligned(fromByteOffset: j, as: UInt32.self))] = windowStart + j
                                        j += 1
                                    }
                                    i += length
                                    continue
                                }
                            }
                            let byte = Int(bytes[i])
                            put(UInt32(literal[byte]), Int(literalLength[byte]))
                            i += 1
                        }
                        put(UInt32(literal[256]), Int(literalLength[256]))  // end of block
                    }
                }
            }
        }
        output.removeLast(bound - written)
        bitBuffer = bits
        bitCount = count
        // Keep only the last 32 KiB as history.
        if window.count > Self.windowSize {
            let drop = window.count - Self.windowSize
            window.removeFirst(drop)
            self.windowStart += drop
        }
    }

    /// Ends the stream: an empty final block, then the pending bits padded to a whole byte.
    mutating func finish(into output: inout [UInt8]) {
        precondition(!finished)
        finished = true
        var bits = bitBuffer, count = bitCount
        bits |= UInt64(0b011) << UInt64(count)  // BFINAL = 1, BTYPE = 01
        count += 3
        count += 7  // end of block: seven zero bits
        while count > 0 {
            output.append(UInt8(truncatingIfNeeded: bits))
            bits >>= 8
            count -= 8
        }
        bitBuffer = 0
        bitCount = 0
    }
}

/// The fixed Huffman code as bit strings ready to be OR-ed into an LSB-first bit buffer.
final class DeflateTables: Sendable {
    static let shared = DeflateTables()

    /// Literal/length symbols 0…287: reversed code, and its length.
    let literal: [UInt16]
    let literalLength: [UInt8]
    /// Match length 3…258 → length symbol code followed by its extra bits.
    let lengthCode: [UInt32]
    let lengthCodeLength: [UInt8]
    /// Distance 1…32768 → 5-bit distance code followed by its extra bits.
    let distanceCode: [UInt32]
    let distanceCodeLength: [UInt8]

    private init() {
        func reversed(_ code: Int, _ length: Int) -> Int {
            var r = 0
            for k in 0..<length where code & (1 << k) != 0 { r |= 1 << (length - 1 - k) }
            return r
        }
        var literal = [UInt16](repeating: 0, count: 288)
        var literalLength = [UInt8](repeating: 0, count: 288)
        for symbol in 0..<288 {
            let (code, length): (Int, Int)
            switch symbol {
            case 0...143: (code, length) = (0x30 + symbol, 8)
            case 144...255: (code, length) = (0x190 + symbol - 144, 9)
            case 256...279: (code, length) = (symbol - 256, 7)
            default: (code, length) = (0xC0 + symbol - 280, 8)
            }
            literal[symbol] = UInt16(reversed(code, length))
            literalLength[symbol] = UInt8(length)
        }
        let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
        let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
        var lengthCode = [UInt32](repeating: 0, count: 259)
        var lengthCodeLength = [UInt8](repeating: 0, count: 259)
        for index in lengthBase.indices {
            let symbol = 257 + index
            // Symbol 284 covers 227…257 (not 258, although its five extra bits could say so);
            // length 258 is symbol 285 alone.
            let top = index + 1 < lengthBase.count ? lengthBase[index + 1] - 1 : 258
            for length in lengthBase[index]...top {
                let codeBits = UInt32(literal[symbol]), codeLength = Int(literalLength[symbol])
                lengthCode[length] = codeBits | (UInt32(length - lengthBase[index]) << UInt32(codeLength))
                lengthCodeLength[length] = UInt8(codeLength + lengthExtra[index])
            }
        }
        let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
        var distanceCode = [UInt32](repeating: 0, count: 32_769)
        var distanceCodeLength = [UInt8](repeating: 0, count: 32_769)
        for symbol in distanceBase.indices {
            let extra = symbol < 4 ? 0 : symbol / 2 - 1
            let top = symbol + 1 < distanceBase.count ? distanceBase[symbol + 1] - 1 : 32_768
            let codeBits = UInt32(reversed(symbol, 5))
            for distance in distanceBase[symbol]...top {
                distanceCode[distance] = codeBits | (UInt32(distance - distanceBase[symbol]) << 5)
                distanceCodeLength[distance] = UInt8(5 + extra)
            }
        }
        self.literal = literal
        self.literalLength = literalLength
        self.lengthCode = lengthCode
        self.lengthCodeLength = lengthCodeLength
        self.distanceCode = distanceCode
        self.distanceCodeLength = distanceCodeLength
    }

    func withTables<R>(_ body: (UnsafePointer<UInt16>, UnsafePointer<UInt8>, UnsafePointer<UInt32>, UnsafePointer<UInt8>, UnsafePointer<UInt32>, UnsafePointer<UInt8>) -> R) -> R {
        literal.withUnsafeBufferPointer { a in
            literalLength.withUnsafeBufferPointer { b in
                lengthCode.withUnsafeBufferPointer { c in
                    lengthCodeLength.withUnsafeBufferPointer { d in
                        distanceCode.withUnsafeBufferPointer { e in
                            distanceCodeLength.withUnsafeBufferPointer { f in
                                body(a.baseAddress!, b.baseAddress!, c.baseAddress!, d.baseAddress!, e.baseAddress!, f.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
    }
}
